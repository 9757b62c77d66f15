import pLimit, { type LimitFunction } from 'p-limit';
import type { GeneratorKind } from './generator.js';

/**
 * Two bounded lanes of the same width: deterministic work (inputs, synthesis, verification,
 * writes) and LLM generators. A bug waiting on a slow or hung LLM server holds an LLM slot
 * only, so bugs that need no LLM never queue behind it.
 */
export interface WorkLanes {
  run<T>(lane: GeneratorKind | 'work', task: () => Promise<T>): Promise<T>;
  /** Bugs processed at once in each lane (a config reload may change it). */
  concurrency: number;
}

export function createWorkLanes(concurrency: number): WorkLanes {
  const work: LimitFunction = pLimit(concurrency);
  const llm: LimitFunction = pLimit(concurrency);
  return {
    run: (lane, task) => (lane === 'llm' ? llm(task) : work(task)),
    get concurrency() {
      return work.concurrency;
    },
    set concurrency(n: number) {
      work.concurrency = n;
      llm.concurrency = n;
    },
  };
}

import pLimit, { type LimitFunction } from 'p-limit';
import type { GeneratorKind } from './generator.js';

/** Where a step runs: deterministic work (inputs, synthesis, verification, writes), or LLM generators. */
export type Lane = 'work' | 'llm';

/** The lane a generator of this kind runs in. */
export function laneOf(kind: GeneratorKind): Lane {
  return kind === 'llm' ? 'llm' : 'work';
}

/**
 * Two bounded lanes of the same width: deterministic work and LLM generators. A bug holds one
 * slot from the moment it starts until its JSON is written and its outcome reported, so at most
 * `concurrency` bugs per lane are in memory at once, whatever the number of bugs. A bug holds at
 * most one slot at a time: one that needs an LLM gives its work slot back before it queues for
 * the LLM lane (keeping only how far it got), and finishes there. So no bug ever waits for a
 * slot while holding one (no deadlock), and bugs that need no LLM never queue behind a slow or
 * hung server (no starvation).
 */
export interface WorkLanes {
  run<T>(lane: GeneratorKind | Lane, task: () => Promise<T>): Promise<T>;
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

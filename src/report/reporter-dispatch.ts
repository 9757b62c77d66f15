import { boundedCall } from '../generate/bounded-call.js';
import type { BugDone, Reporter, RunEnd, RunStart, WatchEvent } from '../contracts.js';

/** A reporter hook that takes longer than this is left behind (with a warning) so the run is not held up. */
const HOOK_TIMEOUT_MS = 30_000;

type Hook = 'onRunStart' | 'onBugDone' | 'onRunEnd' | 'onWatchEvent';

/** Feeds every reporter; each has its own queue, so a slow one never delays the terminal output. */
export interface ReporterDispatch {
  runStart(run: RunStart): void;
  bugDone(done: BugDone): void;
  runEnd(end: RunEnd): void;
  watchEvent(event: WatchEvent): void;
  /**
   * Swaps the reporters (a watch config reload): those dropped get `onRunEnd(end)`, the new
   * ones `onRunStart(run)`; those in both lists carry on untouched.
   */
  replace(reporters: readonly Reporter[], run: RunStart, end: RunEnd): void;
  /** Resolves once every hook called so far has returned. */
  flush(): Promise<void>;
}

export function createReporterDispatch(initial: readonly Reporter[], warn: (message: string) => void): ReporterDispatch {
  type Queue = { reporter: Reporter; tail: Promise<void> };
  let queues: Queue[] = initial.map((reporter) => ({ reporter, tail: Promise.resolve() }));
  const warned = new Set<string>();
  const retired: Queue[] = [];
  const call = <A>(hook: Hook, arg: A, to: readonly Queue[] = queues) => {
    for (const queue of to) {
      const fn = queue.reporter[hook] as ((arg: A) => void | Promise<void>) | undefined;
      if (!fn) continue;
      queue.tail = queue.tail.then(async () => {
        const settled = await boundedCall(() => fn.call(queue.reporter, arg), { timeoutMs: HOOK_TIMEOUT_MS });
        if (settled.state === 'done') return;
        const key = `${queue.reporter.name}/${hook}`;
        if (warned.has(key)) return;
        warned.add(key);
        const why = settled.state === 'threw' ? settled.fault.message : `no answer within ${HOOK_TIMEOUT_MS / 1000} s`;
        warn(`reporter ${queue.reporter.name}: ${hook} failed: ${why}`);
      });
    }
  };
  return {
    runStart: (run) => call('onRunStart', run),
    bugDone: (done) => call('onBugDone', done),
    runEnd: (end) => call('onRunEnd', end),
    watchEvent: (event) => call('onWatchEvent', event),
    replace(reporters, run, end) {
      const kept = new Map(queues.map((q) => [q.reporter, q]));
      const dropped = queues.filter((q) => !reporters.includes(q.reporter));
      call('onRunEnd', end, dropped);
      retired.push(...dropped);
      queues = reporters.map((reporter) => kept.get(reporter) ?? { reporter, tail: Promise.resolve() });
      call('onRunStart', run, queues.filter((q) => !kept.has(q.reporter)));
    },
    async flush() {
      await Promise.all([...queues, ...retired].map((q) => q.tail));
      retired.length = 0;
    },
  };
}

import type { WatchNotice, WatchOutcome } from '../../../src/contracts.js';
import { startWatcher, type RunningWatcher, type WatchOptions } from '../../../src/watch/watcher.js';
import { builtInGenerators } from '../../../src/api/built-in-generators.js';
import { pythonChoiceEnv } from '../../support/cli-run.js';

type Entry = { type: 'outcome'; event: WatchOutcome } | { type: 'notice'; notice: WatchNotice };

/** Everything a watcher reported, with waits for what a test expects next. */
export class WatchLog {
  readonly entries: Entry[] = [];
  private waiters: (() => void)[] = [];

  push(entry: Entry): void {
    this.entries.push(entry);
    const waiters = this.waiters;
    this.waiters = [];
    for (const wake of waiters) wake();
  }

  outcomes(since = 0): WatchOutcome[] {
    return this.entries.slice(since).flatMap((e) => (e.type === 'outcome' ? [e.event] : []));
  }

  notices(since = 0): WatchNotice[] {
    return this.entries.slice(since).flatMap((e) => (e.type === 'notice' ? [e.notice] : []));
  }

  /** A position to pass as `since`. */
  mark(): number {
    return this.entries.length;
  }

  /** Waits until `predicate` holds for the entries since `since`; returns its value. */
  async waitFor<T>(since: number, predicate: (outcomes: WatchOutcome[], notices: WatchNotice[]) => T | undefined | false, timeoutMs = 15000, what = 'the expected watch events'): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const value = predicate(this.outcomes(since), this.notices(since));
      if (value !== undefined && value !== false) return value;
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out waiting for ${what}; got:\n${this.describe(since)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /** Waits for one outcome of the bug `<module>/<name>` after `since`. */
  waitForOutcome(since: number, bugId: string, timeoutMs?: number): Promise<WatchOutcome> {
    return this.waitFor(since, (outcomes) => outcomes.find((o) => o.outcome.bug.id === bugId), timeoutMs, `an outcome for ${bugId}`);
  }

  describe(since = 0): string {
    return this.entries
      .slice(since)
      .map((e) => (e.type === 'outcome' ? `outcome ${e.event.trigger} ${e.event.outcome.bug.id} ${e.event.outcome.status} ${e.event.outcome.reason ?? ''}` : `notice ${JSON.stringify(e.notice)}`))
      .join('\n');
  }
}

/** Starts a watcher on the project with a log; `ready` awaited. */
export async function startLoggedWatcher(cwd: string, options: Partial<WatchOptions> = {}): Promise<{ watcher: RunningWatcher; log: WatchLog }> {
  const log = new WatchLog();
  const watcher = await startWatcher({
    cwd,
    noLlm: true,
    env: pythonChoiceEnv(),
    builtInGenerators,
    ...options,
    onOutcome: (event) => log.push({ type: 'outcome', event }),
    onNotice: (notice) => log.push({ type: 'notice', notice }),
  });
  await watcher.ready;
  return { watcher, log };
}

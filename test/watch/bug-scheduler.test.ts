import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BugOutcome } from '../../src/compile/bug-outcome.js';
import type { BugRef } from '../../src/discover/bug-ref.js';
import { BugScheduler, type RunRequest } from '../../src/watch/bug-scheduler.js';

function bug(name: string): BugRef {
  return { id: `m/${name}`, name, module: 'm', patchFile: `/p/${name}.patch`, dir: '/p', moduleDir: '/p', outputFile: `/p/${name}.json`, symptomCandidates: [] };
}

/**
 * Fake inputs (a key per bug, editable) and builds that run until the test releases them or
 * their signal aborts them: no build's length is left to the clock. With `autoRelease` every
 * build finishes as soon as it has started.
 */
function harness(options: { concurrency?: number; status?: BugOutcome['status']; autoRelease?: boolean } = {}) {
  const keys = new Map<string, string>();
  const log: string[] = [];
  const reported: { request: RunRequest; outcome: BugOutcome }[] = [];
  const running = new Map<string, () => void>();
  const waiters: (() => void)[] = [];
  let autoRelease = options.autoRelease === true;
  let active = 0;
  let maxActive = 0;
  const scheduler = new BugScheduler(options.concurrency ?? 4, {
    inputKey: async (b) => keys.get(b.name) ?? 'k0',
    build: async (b, signal) => {
      const key = keys.get(b.name) ?? 'k0';
      log.push(`start ${b.name} ${key}`);
      active++;
      maxActive = Math.max(maxActive, active);
      for (const wake of waiters.splice(0)) wake();
      let release: (() => void) | undefined;
      await new Promise<void>((resolve) => {
        if (autoRelease) return void setImmediate(resolve);
        running.set(b.name, (release = resolve));
        signal.addEventListener('abort', () => resolve());
      });
      if (running.get(b.name) === release) running.delete(b.name);
      active--;
      log.push(`${signal.aborted ? 'aborted' : 'done'} ${b.name} ${key}`);
      return { bug: b, status: options.status ?? 'built', verdict: 'exact', written: true, ms: 1, reason: key } as BugOutcome;
    },
    finished: (request, outcome) => reported.push({ request, outcome }),
  });
  /** Resolves once the log holds this line. */
  const logged = async (line: string) => {
    while (!log.includes(line)) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return {
    scheduler,
    keys,
    log,
    reported,
    logged,
    active: () => active,
    maxActive: () => maxActive,
    release: (name: string) => running.get(name)?.(),
    releaseAll: () => {
      autoRelease = true;
      for (const release of running.values()) release();
    },
  };
}

test('a request while the bug builds cancels that run and builds again; only the last run is reported', async () => {
  const h = harness();
  const a = bug('a');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.logged('start a k0');
  h.keys.set('a', 'k1');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.logged('start a k1');
  h.release('a');
  await h.scheduler.idle();
  assert.deepEqual(h.log, ['start a k0', 'aborted a k0', 'start a k1', 'done a k1']);
  assert.deepEqual(h.reported.map((r) => r.outcome.reason), ['k1']);
});

test('unchanged inputs are not rebuilt after a success, but a failure is retried on the next save', async () => {
  const h = harness({ autoRelease: true });
  const a = bug('a');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.scheduler.idle();
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.scheduler.idle();
  assert.equal(h.reported.length, 1);
  await h.scheduler.request({ bug: a, trigger: 'change', force: true });
  await h.scheduler.idle();
  assert.equal(h.reported.length, 2);

  const f = harness({ status: 'failed', autoRelease: true });
  await f.scheduler.request({ bug: a, trigger: 'change' });
  await f.scheduler.idle();
  await f.scheduler.request({ bug: a, trigger: 'change' });
  await f.scheduler.idle();
  assert.equal(f.reported.length, 2);
  // …but a recheck of the same inputs does not repeat the failure.
  await f.scheduler.request({ bug: a, trigger: 'change', recheck: true });
  await f.scheduler.idle();
  assert.equal(f.reported.length, 2);
});

test('a request with the same inputs as the running build is dropped', async () => {
  const h = harness();
  const a = bug('a');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.logged('start a k0');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  h.release('a');
  await h.scheduler.idle();
  assert.deepEqual(h.log, ['start a k0', 'done a k0']);
});

test('concurrency is bounded; cancel and close stop the work without reporting it', async () => {
  const h = harness({ concurrency: 2 });
  for (const name of ['a', 'b', 'c', 'd', 'e']) await h.scheduler.request({ bug: bug(name), trigger: 'initial' });
  await h.logged('start b k0');
  assert.equal(h.active(), 2);
  assert.deepEqual(h.log, ['start a k0', 'start b k0'], 'the other three wait for a slot');
  h.releaseAll();
  await h.scheduler.idle();
  assert.equal(h.maxActive(), 2);
  assert.equal(h.reported.length, 5);

  // These builds end only when aborted: close() returning at all proves it stopped them.
  const g = harness();
  await g.scheduler.request({ bug: bug('a'), trigger: 'initial' });
  await g.scheduler.request({ bug: bug('b'), trigger: 'initial' });
  await g.logged('start b k0');
  await g.scheduler.cancel('/p/a.patch');
  await g.scheduler.close();
  assert.deepEqual(g.log.filter((l) => !l.startsWith('start')).sort(), ['aborted a k0', 'aborted b k0']);
  assert.deepEqual(g.reported, []);
  assert.equal(g.scheduler.busy, false);
});

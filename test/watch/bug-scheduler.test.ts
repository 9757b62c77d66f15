import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BugOutcome } from '../../src/build/bug-outcome.js';
import type { BugRef } from '../../src/discover/bug-ref.js';
import { BugScheduler, type RunRequest } from '../../src/watch/bug-scheduler.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function bug(name: string): BugRef {
  return { id: `m/${name}`, name, module: 'm', patchFile: `/p/${name}.patch`, dir: '/p', moduleDir: '/p', outputFile: `/p/${name}.json`, symptomCandidates: [] };
}

/** Fake inputs (a key per bug, editable) and a build that takes `ms` and honours the signal. */
function harness(options: { concurrency?: number; ms?: number; status?: BugOutcome['status'] } = {}) {
  const keys = new Map<string, string>();
  const log: string[] = [];
  const reported: { request: RunRequest; outcome: BugOutcome }[] = [];
  let active = 0;
  let maxActive = 0;
  const scheduler = new BugScheduler(options.concurrency ?? 4, {
    inputKey: async (b) => keys.get(b.name) ?? 'k0',
    build: async (b, signal) => {
      const key = keys.get(b.name) ?? 'k0';
      log.push(`start ${b.name} ${key}`);
      active++;
      maxActive = Math.max(maxActive, active);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, options.ms ?? 30);
        signal.addEventListener('abort', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      active--;
      log.push(`${signal.aborted ? 'aborted' : 'done'} ${b.name} ${key}`);
      return { bug: b, status: options.status ?? 'built', verdict: 'exact', written: true, ms: 1, reason: key } as BugOutcome;
    },
    finished: (request, outcome) => reported.push({ request, outcome }),
  });
  return { scheduler, keys, log, reported, maxActive: () => maxActive };
}

test('a request while the bug builds cancels that run and builds again; only the last run is reported', async () => {
  const h = harness({ ms: 50 });
  const a = bug('a');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await sleep(10);
  h.keys.set('a', 'k1');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.scheduler.idle();
  assert.deepEqual(h.log, ['start a k0', 'aborted a k0', 'start a k1', 'done a k1']);
  assert.deepEqual(h.reported.map((r) => r.outcome.reason), ['k1']);
});

test('unchanged inputs are not rebuilt after a success, but a failure is retried on the next save', async () => {
  const h = harness();
  const a = bug('a');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.scheduler.idle();
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.scheduler.idle();
  assert.equal(h.reported.length, 1);
  await h.scheduler.request({ bug: a, trigger: 'change', force: true });
  await h.scheduler.idle();
  assert.equal(h.reported.length, 2);

  const f = harness({ status: 'failed' });
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
  const h = harness({ ms: 40 });
  const a = bug('a');
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await sleep(10);
  await h.scheduler.request({ bug: a, trigger: 'change' });
  await h.scheduler.idle();
  assert.deepEqual(h.log, ['start a k0', 'done a k0']);
});

test('concurrency is bounded; cancel and close stop the work without reporting it', async () => {
  const h = harness({ concurrency: 2, ms: 30 });
  for (const name of ['a', 'b', 'c', 'd', 'e']) await h.scheduler.request({ bug: bug(name), trigger: 'initial' });
  await h.scheduler.idle();
  assert.equal(h.maxActive(), 2);
  assert.equal(h.reported.length, 5);

  const g = harness({ ms: 1000 });
  await g.scheduler.request({ bug: bug('a'), trigger: 'initial' });
  await g.scheduler.request({ bug: bug('b'), trigger: 'initial' });
  await sleep(10);
  await g.scheduler.cancel('/p/a.patch');
  const started = Date.now();
  await g.scheduler.close();
  assert.ok(Date.now() - started < 500);
  assert.deepEqual(g.reported, []);
  assert.equal(g.scheduler.busy, false);
});

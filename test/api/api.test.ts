import assert from 'node:assert/strict';
import { test } from 'node:test';
import { build, check, createWatcher, listBugs, readBug, tryDefinitions, type BugOutcome, type RunNotice, type WatchOutcome } from '../../src/index.js';
import { pythonChoiceEnv } from '../support/cli-run.js';
import { BUGS, disposableProjects, OPS_PY } from '../watch/support/watch-fixture.js';

const project = disposableProjects();
const env = pythonChoiceEnv();

test('build returns every outcome as plain data and prints nothing; check then finds nothing', async () => {
  const p = project();
  const notices: RunNotice[] = [];
  const result = await build({ cwd: p.root, env, noLlm: true, onNotice: (n) => notices.push(n) });
  assert.equal(result.command, 'build');
  assert.equal(result.root, p.root);
  assert.equal(result.exitCode, 0);
  assert.equal(result.outcomes.length, BUGS.length);
  for (const outcome of result.outcomes) {
    assert.equal(outcome.status, 'built', `${outcome.bug.id}: ${outcome.reason}`);
    assert.equal(outcome.verdict, 'exact');
    assert.ok(outcome.transfer && outcome.transfer.total > 0, 'transfer measured per variant');
  }
  assert.deepEqual(notices, []);
  assert.ok(JSON.parse(JSON.stringify(result)), 'plain data');

  const again = await build({ cwd: p.root, env, noLlm: true });
  assert.deepEqual(again.outcomes.map((o) => o.status), BUGS.map(() => 'up-to-date'));

  const report = await check({ cwd: p.root, env, ci: false });
  assert.equal(report.command, 'check');
  assert.equal(report.exitCode, 0, JSON.stringify(report.findings));
  assert.equal(report.bugs, BUGS.length);
  assert.equal(report.transfer.length, BUGS.length);

  p.remove(p.jsonPath(BUGS[0]!));
  const missing = await check({ cwd: p.root, env, ci: false });
  assert.equal(missing.exitCode, 1);
  assert.deepEqual(missing.findings.filter((f) => f.severity === 'error').map((f) => [f.kind, f.bug]), [['missing', `${BUGS[0]!.module}/${BUGS[0]!.name}`]]);
});

test('a failed outcome carries its reason (outcome is a union by status)', async () => {
  const p = project();
  p.write(p.patchPath(BUGS[0]!), 'not a patch\n');
  const result = await build({ cwd: p.root, env, noLlm: true, patches: [p.patchPath(BUGS[0]!)] });
  assert.equal(result.outcomes.length, 1);
  const outcome: BugOutcome = result.outcomes[0]!;
  assert.equal(outcome.status, 'failed');
  if (outcome.status === 'failed') assert.match(outcome.reason, /patch/);
  assert.equal(result.exitCode, 1);
});

test('an aborted signal cancels build (interrupted) and check (rejects)', async () => {
  const p = project();
  const controller = new AbortController();
  controller.abort('SIGTERM');
  const result = await build({ cwd: p.root, env, noLlm: true, signal: controller.signal });
  assert.equal(result.interrupted, true);
  assert.equal(result.exitCode, 143);
  assert.ok(result.outcomes.every((o) => o.status === 'failed' && o.reason === 'cancelled'));
  await assert.rejects(check({ cwd: p.root, env, signal: controller.signal }));
  await assert.rejects(tryDefinitions({ cwd: p.root, env, students: ['modes'], signal: controller.signal }));
});

test('listBugs and readBug give a bug and its inputs without building it', async () => {
  const p = project();
  const bugs = await listBugs({ cwd: p.root, env });
  assert.deepEqual(bugs.map((b) => b.id).sort(), BUGS.map((b) => `${b.module}/${b.name}`).sort());
  const details = await readBug({ cwd: p.root, env, bug: 'scale/drop_add' });
  assert.equal(details.bug.id, 'scale/drop_add');
  assert.match(details.patchText, /^-\s+z = y \+ 1$/m);
  assert.equal(details.symptom, 'The scale result is wrong.\n');
  assert.equal(details.referenceText, OPS_PY);
  assert.ok(!details.patchedText.includes('z = y + 1'));
  assert.deepEqual(details.output, { state: 'missing' });
  await assert.rejects(readBug({ cwd: p.root, env, bug: 'nope/none' }), /no bug 'nope\/none'/);
});

test('tryDefinitions runs the project definitions on student files and says which break them', async () => {
  const p = project();
  await build({ cwd: p.root, env, noLlm: true });
  p.write('students/alice/ops.py', OPS_PY);
  const result = await tryDefinitions({ cwd: p.root, env, students: ['students'] });
  assert.equal(result.definitions, BUGS.length);
  assert.equal(result.files, 1);
  // Deleting an assignment leaves a name the student's file never defines: a broken program.
  assert.equal(result.exitCode, 1);
  assert.deepEqual(result.cells.map((c) => [c.bug, c.outcome]).sort(), [
    ['norm/drop_len', 'absent'],
    ['scale/drop_add', 'broke'],
    ['scale/drop_double', 'broke'],
    ['shift/drop_sub', 'broke'],
  ]);
  assert.match(result.cells.find((c) => c.bug === 'scale/drop_add')!.reason!, /`z`, which the student's file never defines/);
});

test('createWatcher emits typed events from the start, rebuilds on a save and closes', async () => {
  const p = project();
  const watcher = await createWatcher({ cwd: p.root, env, noLlm: true, debounceMs: 20 });
  const outcomes: WatchOutcome[] = [];
  watcher.on('outcome', (event) => outcomes.push(event));
  let closed = false;
  watcher.on('close', () => (closed = true));
  const ready = await watcher.ready;
  assert.equal(ready.bugs, BUGS.length);
  assert.equal(outcomes.filter((o) => o.trigger === 'initial').length, BUGS.length, 'no initial outcome is missed');
  const changed = new Promise<WatchOutcome>((resolve) => watcher.on('outcome', (e) => e.trigger === 'change' && resolve(e)));
  p.write(p.bugPath(BUGS[0]!, '_symptom.txt'), 'Another symptom.\n');
  const event = await changed;
  assert.equal(event.outcome.bug.id, `${BUGS[0]!.module}/${BUGS[0]!.name}`);
  assert.equal(event.outcome.status, 'built');
  await watcher.close();
  await new Promise((resolve) => setImmediate(resolve));
  assert.equal(closed, true);
});

test('createWatcher: once `ready` resolves, every initial outcome has been delivered, also when there is nothing to build', async () => {
  const p = project();
  await build({ cwd: p.root, env, noLlm: true });
  const watcher = await createWatcher({ cwd: p.root, env, noLlm: true });
  const seen: string[] = [];
  watcher.on('outcome', (event) => seen.push(`${event.trigger} ${event.outcome.status}`));
  watcher.on('ready', () => seen.push('ready'));
  try {
    await watcher.ready;
    assert.deepEqual(seen, [...BUGS.map(() => 'initial up-to-date'), 'ready']);
  } finally {
    await watcher.close();
  }
});

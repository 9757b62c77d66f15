import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { bugRefFor } from '../../src/discover/bug-ref.js';
import { readBugInputs } from '../../src/inputs/read-bug-inputs.js';
import { runInProcess } from '../support/cli-run.js';
import { BUGS, deletionPatch, deletionPatchFor, OPS_PY, parseJson, Project, sleep, slowSynthConfig } from './support/watch-fixture.js';
import { startLoggedWatcher, type WatchLog } from './support/watch-log.js';

const projects: Project[] = [];
after(() => {
  for (const p of projects) p.dispose();
});

function project(options: { config?: string } = {}): Project {
  const p = Project.create(options);
  projects.push(p);
  return p;
}

const [dropAdd, dropDouble, dropSub, dropLen] = BUGS as [(typeof BUGS)[number], (typeof BUGS)[number], (typeof BUGS)[number], (typeof BUGS)[number]];
const id = (bug: { module: string; name: string }) => `${bug.module}/${bug.name}`;

/** The input hash the JSON should record for the bug's inputs as they are on disk now. */
async function currentInputHash(p: Project, bug: { module: string; name: string }): Promise<string> {
  const config = await loadConfig({ cwd: p.root });
  return (await readBugInputs(bugRefFor(p.abs(p.patchPath(bug)), config), config)).inputHash;
}

function recordedHash(p: Project, bug: { module: string; name: string }): string | undefined {
  return parseJson(p.readOrUndefined(p.jsonPath(bug)))?.metadata?.bug_author?.input_hash;
}

/** Asserts nothing else is reported for a while (no loops, no echoes of our own writes). */
async function assertQuiet(log: WatchLog, since: number, ms = 400): Promise<void> {
  await sleep(ms);
  assert.equal(log.describe(since), '', 'expected no further watch events');
}

test('initial pass brings every JSON up to date; a saved patch regenerates its JSON, and only that one', async () => {
  const p = project();
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    const initial = log.outcomes();
    assert.deepEqual(initial.map((o) => o.outcome.bug.id).sort(), BUGS.map(id).sort());
    assert.ok(initial.every((o) => o.trigger === 'initial' && o.outcome.status === 'built' && o.outcome.verdict === 'exact'), log.describe());
    for (const bug of BUGS) assert.equal(recordedHash(p, bug), await currentInputHash(p, bug));
    await assertQuiet(log, log.mark());

    const since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'y = x * k', 'BUG: no scaling'));
    const event = await log.waitForOutcome(since, id(dropAdd));
    assert.equal(event.trigger, 'change');
    assert.equal(event.outcome.status, 'built', log.describe(since));
    assert.equal(event.outcome.written, true);
    assert.deepEqual(event.changedFiles, [p.abs(p.patchPath(dropAdd))]);
    assert.equal(typeof event.latencyMs, 'number');
    assert.equal(recordedHash(p, dropAdd), await currentInputHash(p, dropAdd));
    assert.match(p.read(p.jsonPath(dropAdd)), /y = x \* k/);
    await assertQuiet(log, log.mark());
    assert.deepEqual(log.outcomes(since).map((o) => o.outcome.bug.id), [id(dropAdd)]);

    // A symptom edit changes the inputs too; the JSON still injects exactly, so only provenance changes.
    const since2 = log.mark();
    p.write(p.bugPath(dropAdd, '_symptom.txt'), 'Scaling is skipped.\n');
    const symptom = await log.waitForOutcome(since2, id(dropAdd));
    assert.equal(symptom.outcome.status, 'built');
    assert.equal(recordedHash(p, dropAdd), await currentInputHash(p, dropAdd));
  } finally {
    await watcher.close();
  }
  assert.equal(existsSync(watcher.lockFile), false, 'the lock is released');
});

test('a reference edit rebuilds every bug whose patch targets it, and no other', async () => {
  const p = project();
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    const since = log.mark();
    p.writeViaRename('modes/developer/pkg/ops.py', `# reference implementation\n${OPS_PY}`);
    const dependents = [dropAdd, dropDouble, dropSub].map(id).sort();
    await log.waitFor(since, (outcomes) => dependents.every((d) => outcomes.some((o) => o.outcome.bug.id === d)), 15000, 'the three ops.py bugs');
    await sleep(300);
    const outcomes = log.outcomes(since);
    assert.deepEqual(outcomes.map((o) => o.outcome.bug.id).sort(), dependents, log.describe(since));
    for (const o of outcomes) assert.equal(o.outcome.status, 'built', log.describe(since));
    for (const bug of [dropAdd, dropDouble, dropSub]) assert.equal(recordedHash(p, bug), await currentInputHash(p, bug));
  } finally {
    await watcher.close();
  }
});

test('a burst of 10 saves (rename, truncate + write) yields exactly one result, equal to the last content', async () => {
  const p = project();
  // The saves are made in one go and the quiet period is wide: the burst must not depend on how
  // soon a loaded machine runs this test again between two saves.
  const { watcher, log } = await startLoggedWatcher(p.root, { debounceMs: 400 });
  try {
    const since = log.mark();
    let last = '';
    for (let i = 0; i < 10; i++) {
      last = deletionPatch('ops', OPS_PY, i % 2 ? 'z = y + 1' : 'w = z * 2', `BUG: save ${i}`);
      if (i % 3 === 0) p.writeViaRename(p.patchPath(dropAdd), last);
      else if (i % 3 === 1) {
        p.write(p.patchPath(dropAdd), '');
        p.write(p.patchPath(dropAdd), last);
      } else p.write(p.patchPath(dropAdd), last);
    }
    await log.waitForOutcome(since, id(dropAdd));
    await sleep(500);
    const outcomes = log.outcomes(since);
    assert.equal(outcomes.length, 1, log.describe(since));
    assert.equal(outcomes[0]!.outcome.status, 'built');
    assert.equal(p.read(p.patchPath(dropAdd)), last);
    assert.equal(recordedHash(p, dropAdd), await currentInputHash(p, dropAdd));
    assert.match(p.read(p.jsonPath(dropAdd)), /z = y \+ 1/);
  } finally {
    await watcher.close();
  }
});

test('bad input prints an error, leaves the previous JSON untouched, and the next good save recovers', async () => {
  const p = project();
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    const good = p.read(p.jsonPath(dropAdd));

    let since = log.mark();
    p.write(p.patchPath(dropAdd), 'this is not a patch\n\u0000\u0001 garbage');
    let event = await log.waitForOutcome(since, id(dropAdd));
    assert.equal(event.outcome.status, 'failed');
    assert.match(event.outcome.reason ?? '', /drop_add\.patch/);
    assert.equal(p.read(p.jsonPath(dropAdd)), good);

    // Mid-edit: the code it removes is not in the reference.
    since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'z = y + 1').replace(/^-(\s*)z = y \+ 1$/m, '-$1z = y + 1000'));
    event = await log.waitForOutcome(since, id(dropAdd));
    assert.equal(event.outcome.status, 'failed', log.describe(since));
    assert.equal(p.read(p.jsonPath(dropAdd)), good);

    since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'z = y + 1', 'BUG: fixed again'));
    event = await log.waitForOutcome(since, id(dropAdd));
    assert.equal(event.outcome.status, 'built', log.describe(since));
    assert.equal(recordedHash(p, dropAdd), await currentInputHash(p, dropAdd));
  } finally {
    await watcher.close();
  }
});

test('a syntax error in the reference fails its bugs and keeps their JSON; fixing it recovers', async () => {
  const p = project();
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    const before = p.read(p.jsonPath(dropSub));
    let since = log.mark();
    p.write('modes/developer/pkg/ops.py', OPS_PY.replace('def shift(x):', 'def shift(x:'));
    const dependents = [dropAdd, dropDouble, dropSub].map(id);
    await log.waitFor(since, (outcomes) => dependents.every((d) => outcomes.some((o) => o.outcome.bug.id === d)), 15000, 'failures');
    for (const o of log.outcomes(since)) {
      assert.equal(o.outcome.status, 'failed', log.describe(since));
      assert.match(o.outcome.reason ?? '', /syntax|apply/i);
    }
    assert.equal(p.read(p.jsonPath(dropSub)), before);

    since = log.mark();
    p.write('modes/developer/pkg/ops.py', OPS_PY);
    await log.waitFor(since, (outcomes) => dependents.every((d) => outcomes.some((o) => o.outcome.bug.id === d)), 15000, 'recovery');
    for (const o of log.outcomes(since)) assert.notEqual(o.outcome.status, 'failed', log.describe(since));
  } finally {
    await watcher.close();
  }
});

test('a golden example edit rebuilds nothing; deleting a patch reports its orphan JSON and keeps it; a new patch is built', async () => {
  const p = project();
  // A hand-written definition (no provenance) is a golden example by default.
  const handWritten = {
    id: 'norm-drop-len',
    description: 'Deletes the length.',
    injection_type: 'ast',
    engine_version: '2.1',
    target_function: 'norm',
    logic: [{ pass: 1, type: 'find_and_replace', description: 'Delete n = len(v)', pattern: { node_type: 'Assign', value: { node_type: 'Call', func: { node_type: 'Name', id: 'len' } } }, replacement: { type: 'delete_statement' } }],
  };
  p.write(p.jsonPath(dropLen), JSON.stringify(handWritten, null, 2));
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    assert.equal(log.outcomes().find((o) => o.outcome.bug.id === id(dropLen))?.outcome.status, 'manual');

    let since = log.mark();
    p.write(p.jsonPath(dropLen), JSON.stringify({ ...handWritten, description: 'Forgets to count.' }, null, 2));
    const golden = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'golden-reloaded'));
    assert.deepEqual(golden.kind === 'golden-reloaded' && golden.files, [p.abs(p.jsonPath(dropLen))]);
    await assertQuiet(log, log.mark(), 300);
    assert.deepEqual(log.outcomes(since), []);

    since = log.mark();
    const json = p.read(p.jsonPath(dropDouble));
    p.remove(p.patchPath(dropDouble));
    const orphan = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'orphan'));
    assert.deepEqual(orphan, { kind: 'orphan', bugId: id(dropDouble), patchFile: p.abs(p.patchPath(dropDouble)), outputFile: p.abs(p.jsonPath(dropDouble)), outputExists: true });
    assert.equal(p.read(p.jsonPath(dropDouble)), json);

    since = log.mark();
    const newBug = { module: 'shift', name: 'drop_triple' };
    p.write(p.patchPath(newBug), deletionPatch('ops', OPS_PY, 'b = a * 3'));
    const built = await log.waitForOutcome(since, id(newBug));
    assert.equal(built.outcome.status, 'built', log.describe(since));
    assert.ok(existsSync(p.abs(p.jsonPath(newBug))));

    // Deleting a generated JSON by hand brings it back.
    since = log.mark();
    p.remove(p.jsonPath(newBug));
    assert.equal((await log.waitForOutcome(since, id(newBug))).outcome.status, 'built');
    assert.ok(existsSync(p.abs(p.jsonPath(newBug))));
  } finally {
    await watcher.close();
  }
});

test('a config edit reloads the config; an invalid config keeps the old one and reports the error', async () => {
  const p = project({ config: slowSynthConfig({ name: 'gen-a' }) });
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    assert.equal(parseJson(p.read(p.jsonPath(dropAdd)))?.metadata?.bug_author?.generator, 'gen-a');

    let since = log.mark();
    p.write('bug-author.config.mjs', slowSynthConfig({ name: 'gen-b' }));
    await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'));
    // A new generator does not make existing JSON stale: nothing is rebuilt…
    await sleep(300);
    assert.ok(log.outcomes(since).every((o) => o.outcome.status === 'up-to-date'), log.describe(since));
    // …but the next save uses it.
    since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'y = x * k', 'BUG: with gen-b'));
    assert.equal((await log.waitForOutcome(since, id(dropAdd))).outcome.generator, 'gen-b');

    since = log.mark();
    p.write('bug-author.config.mjs', 'export default {{ this is not javascript');
    const error = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-error'));
    assert.match(error.kind === 'config-error' ? error.message : '', /bug-author\.config\.mjs/);
    p.write('bug-author.config.mjs', 'export default { concurrency: 0 }');
    await log.waitFor(since, (_o, notices) => notices.filter((n) => n.kind === 'config-error').length === 2);

    since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'w = z * 2', 'BUG: still gen-b'));
    const event = await log.waitForOutcome(since, id(dropAdd));
    assert.equal(event.outcome.status, 'built');
    assert.equal(event.outcome.generator, 'gen-b');
  } finally {
    await watcher.close();
  }
});

test('a save during a generation cancels it (AbortSignal) and starts again', async () => {
  const logFile = path.join(os.tmpdir(), `slow-gen-${process.pid}-${Date.now()}.log`);
  const p = project({ config: slowSynthConfig({ delayMs: 800, log: logFile }) });
  const generatorLog = () => (existsSync(logFile) ? readFileSync(logFile, 'utf8').trim().split('\n') : []);
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    rmSync(logFile, { force: true });
    const since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'w = z * 2', 'BUG: first'));
    const deadline = Date.now() + 10000;
    while (!generatorLog().includes(`start ${id(dropAdd)}`)) {
      assert.ok(Date.now() < deadline, 'the generation did not start');
      await sleep(10);
    }
    const final = deletionPatch('ops', OPS_PY, 'y = x * k', 'BUG: second');
    p.write(p.patchPath(dropAdd), final);
    await log.waitForOutcome(since, id(dropAdd));
    await sleep(300);
    assert.deepEqual(generatorLog(), [`start ${id(dropAdd)}`, `aborted ${id(dropAdd)}`, `start ${id(dropAdd)}`, `done ${id(dropAdd)}`]);
    const outcomes = log.outcomes(since);
    assert.equal(outcomes.length, 1, log.describe(since));
    assert.equal(outcomes[0]!.outcome.status, 'built');
    assert.equal(recordedHash(p, dropAdd), await currentInputHash(p, dropAdd));
  } finally {
    await watcher.close();
    rmSync(logFile, { force: true });
  }
});

test('one watcher per project: a second is refused with exit 2 naming the pid; a stale lock is recovered', async () => {
  const p = project();
  const { watcher } = await startLoggedWatcher(p.root);
  try {
    const second = await runInProcess(['watch', '--no-llm'], p.root);
    assert.equal(second.code, 2);
    assert.match(second.stderr, new RegExp(`pid ${process.pid}\\b`));
    assert.ok(existsSync(watcher.lockFile));
    // Wiping the cache does not wipe the lock: a second watcher is still refused.
    const config = await loadConfig({ cwd: p.root });
    assert.ok(!watcher.lockFile.startsWith(config.cacheDir + path.sep), `${watcher.lockFile} is outside the cache dir`);
    rmSync(config.cacheDir, { recursive: true, force: true });
    const afterWipe = await runInProcess(['watch', '--no-llm'], p.root);
    assert.equal(afterWipe.code, 2, afterWipe.stdout + afterWipe.stderr);
    assert.match(afterWipe.stderr, /already watching/);
  } finally {
    await watcher.close();
  }
  assert.equal(existsSync(watcher.lockFile), false);

  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  p.write(path.relative(p.root, watcher.lockFile), JSON.stringify({ pid: dead, token: 'x', root: p.root }));
  const { watcher: again, log } = await startLoggedWatcher(p.root);
  try {
    assert.deepEqual(log.notices().find((n) => n.kind === 'lock-recovered'), { kind: 'lock-recovered', pid: dead, lockFile: again.lockFile });
  } finally {
    await again.close();
  }
});

test('a reference outside the source roots is watched too, also when a new patch targets it', async () => {
  const p = project();
  const extra = 'def twice(v):\n    t = v + v\n    u = t * 1\n    return u\n';
  p.write('lib/extra.py', extra);
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    let since = log.mark();
    const newBug = { module: 'twice', name: 'drop_mul' };
    p.write(p.patchPath(newBug), deletionPatchFor('lib/extra.py', extra, 'u = t * 1'));
    assert.equal((await log.waitForOutcome(since, id(newBug))).outcome.status, 'built', log.describe(since));
    assert.equal(parseJson(p.read(p.jsonPath(newBug)))?.metadata?.bug_author?.input_hash, await currentInputHash(p, newBug));

    await sleep(300); // let the post-save recheck pass, so the next outcome can only come from lib/extra.py
    since = log.mark();
    p.write('lib/extra.py', `# helpers\n${extra}`);
    const rebuilt = await log.waitForOutcome(since, id(newBug));
    assert.equal(rebuilt.outcome.status, 'built', log.describe(since));
    assert.deepEqual(rebuilt.changedFiles, [p.abs("lib/extra.py")], log.describe());
    assert.equal(recordedHash(p, newBug), await currentInputHash(p, newBug));
  } finally {
    await watcher.close();
  }
});

test('--poll: polling picks up saves too', async () => {
  const p = project();
  const { watcher, log } = await startLoggedWatcher(p.root, { poll: true, pollIntervalMs: 50 });
  try {
    const since = log.mark();
    p.write(p.patchPath(dropSub), deletionPatch('ops', OPS_PY, 'b = a * 3'));
    assert.equal((await log.waitForOutcome(since, id(dropSub))).outcome.status, 'built');
    assert.equal(recordedHash(p, dropSub), await currentInputHash(p, dropSub));
  } finally {
    await watcher.close();
  }
});

test('a config saved in the same batch as patches: the config reloads and the patches (a new one, an edited one) are built too', async () => {
  for (const [what, config] of [
    ['unchanged', slowSynthConfig({ name: 'gen-a' })],
    ['a new generator', slowSynthConfig({ name: 'gen-b' })],
    ['another cache (the whole project reloads)', slowSynthConfig({ name: 'gen-a', extra: "cacheDir: '.other-cache'," })],
  ] as const) {
    const p = project({ config: slowSynthConfig({ name: 'gen-a' }) });
    // A quiet period long enough that three synchronous writes are certainly one batch.
    const { watcher, log } = await startLoggedWatcher(p.root, { debounceMs: 500 });
    try {
      const since = log.mark();
      const newBug = { module: 'shift', name: 'drop_triple' };
      p.write('bug-author.config.mjs', `// ${what}\n${config}`);
      p.write(p.patchPath(newBug), deletionPatch('ops', OPS_PY, 'b = a * 3'));
      p.write(p.patchPath(dropSub), deletionPatch('ops', OPS_PY, 'a = x - 1', 'BUG: edited with the config'));
      await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'), 15000, `${what}: config-reloaded`);
      assert.equal((await log.waitForOutcome(since, id(newBug))).outcome.status, 'built', `${what}:\n${log.describe(since)}`);
      await log.waitFor(since, () => recordedHash(p, dropSub) !== undefined && existsSync(p.abs(p.jsonPath(newBug))) && log.outcomes(since).some((o) => o.outcome.bug.id === id(dropSub)), 15000, `${what}: ${id(dropSub)} rebuilt`);
      assert.equal(recordedHash(p, dropSub), await currentInputHash(p, dropSub), `${what}:\n${log.describe(since)}`);
    } finally {
      await watcher.close();
    }
  }
});

test('a JSON changed by someone else is said (output-changed) and rebuilds nothing; the daemon\'s own writes are not', async () => {
  const p = project();
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    let since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'w = z * 2', 'BUG: rebuilt by the daemon'));
    assert.equal((await log.waitForOutcome(since, id(dropAdd))).outcome.status, 'built');
    await assertQuiet(log, log.mark());
    assert.deepEqual(log.notices(since).filter((n) => n.kind === 'output-changed'), [], log.describe(since));

    since = log.mark();
    const edited = JSON.parse(p.read(p.jsonPath(dropSub))) as { description: string };
    p.write(p.jsonPath(dropSub), JSON.stringify({ ...edited, description: 'Edited by hand.' }, null, 2));
    const notice = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'output-changed'));
    assert.deepEqual(notice, { kind: 'output-changed', bugId: id(dropSub), outputFile: p.abs(p.jsonPath(dropSub)) });
    await assertQuiet(log, log.mark());
    assert.deepEqual(log.outcomes(since), []);
  } finally {
    await watcher.close();
  }
});

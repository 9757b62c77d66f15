import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'junit2json';
import { junitReporter } from '../../plugins/junit/index.js';
import { runInProcess } from '../support/cli-run.js';
import { formatWatchOutcome } from '../../src/watch/format-watch-report.js';
import { BUGS, deletionPatch, OPS_PY, Project, sleep, slowSynthConfig } from './support/watch-fixture.js';
import { startLoggedWatcher } from './support/watch-log.js';

// The daemon runs plugins through the same runner as build, and applies a config edit by what it changed.

const projects: Project[] = [];
const logs: string[] = [];
after(() => {
  for (const p of projects) p.dispose();
  for (const file of logs) rmSync(file, { force: true });
});

const [dropAdd] = BUGS as [(typeof BUGS)[number]];
const id = (bug: { module: string; name: string }) => `${bug.module}/${bug.name}`;

function logFile(): { file: string; lines: () => string[] } {
  const file = path.join(os.tmpdir(), `watch-plugins-${process.pid}-${logs.length}-${Date.now()}.log`);
  logs.push(file);
  return { file, lines: () => (existsSync(file) ? readFileSync(file, 'utf8').trim().split('\n') : []) };
}

async function until(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    assert.ok(Date.now() < deadline, `timed out waiting for ${what}`);
    await sleep(20);
  }
}

test('watch: a generator that throws fails its bug with the plugin’s name, never an internal error; no stack unless verbose', async () => {
  const p = Project.create({
    config: `export default { generators: [{ name: 'flaky', async generate(bug) {
  if (bug.id.includes('drop_len')) throw new Error('boom');
  return { status: 'unsupported', reason: 'not mine' }; } }] };
`,
  });
  projects.push(p);
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    const outcomes = log.outcomes();
    assert.equal(outcomes.length, BUGS.length, log.describe());
    const flaky = outcomes.find((o) => o.outcome.bug.id === 'norm/drop_len')!;
    assert.equal(flaky.outcome.reason, 'flaky: boom');
    assert.match(flaky.outcome.stack ?? '', /Error: boom/);
    assert.doesNotMatch(formatWatchOutcome(flaky)!, /at |internal error/);
    for (const o of outcomes) if (o !== flaky) assert.equal(o.outcome.reason, 'flaky: not mine');
  } finally {
    await watcher.close();
  }
});

test('a config edit that only changes concurrency (and reporters) keeps running generations and rebuilds nothing', async () => {
  const p = Project.create();
  projects.push(p);
  assert.equal((await runInProcess(['build', '--no-llm'], p.root)).code, 0);
  const generator = logFile();
  const reported = logFile();
  const reporter = (tag: string) => `reporters: [{ name: 'rec-${tag}', onBugDone: (d) => appendFileSync(${JSON.stringify(reported.file)}, '${tag} ' + d.command + ' ' + d.bug.id + '\\n') }],`;
  const config = (concurrency: number, tag: string) =>
    `import { appendFileSync } from 'node:fs';\n${slowSynthConfig({ delayMs: 1500, log: generator.file, extra: `concurrency: ${concurrency}, ${reporter(tag)}` })}`;
  p.write('bug-author.config.mjs', config(2, 'a'));
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    assert.ok(log.outcomes().every((o) => o.outcome.status === 'up-to-date'), log.describe());
    const since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'w = z * 2', 'BUG: slow'));
    await until(() => generator.lines().includes(`start ${id(dropAdd)}`), 'the generation to start');

    p.write('bug-author.config.mjs', config(3, 'b'));
    const reloaded = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'));
    assert.deepEqual(reloaded.kind === 'config-reloaded' && [reloaded.changed, reloaded.rebuilt], [['concurrency', 'reporters'], false]);

    const done = await log.waitForOutcome(since, id(dropAdd));
    assert.equal(done.outcome.status, 'built', log.describe(since));
    await sleep(300);
    assert.deepEqual(generator.lines(), [`start ${id(dropAdd)}`, `done ${id(dropAdd)}`], 'the running generation was not cancelled');
    assert.deepEqual(log.outcomes(since).map((o) => o.outcome.bug.id), [id(dropAdd)], 'nothing else was rebuilt');
    // The first reporter saw the initial pass; the one replacing it, the rebuilt bug.
    const seen = (tag: string) => reported.lines().filter((l) => l === `${tag} watch ${id(dropAdd)}`).length;
    assert.deepEqual([seen('a'), seen('b')], [1, 1], reported.lines().join(' | '));
  } finally {
    await watcher.close();
  }
});

test('a config edit that changes the generator chain restarts the running generation with the new chain', async () => {
  const p = Project.create();
  projects.push(p);
  assert.equal((await runInProcess(['build', '--no-llm'], p.root)).code, 0);
  const generator = logFile();
  p.write('bug-author.config.mjs', slowSynthConfig({ name: 'gen-a', delayMs: 1500, log: generator.file }));
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    const since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'w = z * 2', 'BUG: slow'));
    await until(() => generator.lines().includes(`start ${id(dropAdd)}`), 'the generation to start');
    p.write('bug-author.config.mjs', slowSynthConfig({ name: 'gen-b', delayMs: 10, log: generator.file }));
    const reloaded = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'));
    assert.deepEqual(reloaded.kind === 'config-reloaded' && [reloaded.changed, reloaded.rebuilt], [['generators'], true]);
    const built = await log.waitFor(since, (outcomes) => outcomes.find((o) => o.outcome.bug.id === id(dropAdd) && o.outcome.status === 'built'));
    assert.equal(built.outcome.generator, 'gen-b');
    assert.deepEqual(generator.lines().slice(0, 2), [`start ${id(dropAdd)}`, `aborted ${id(dropAdd)}`]);
  } finally {
    await watcher.close();
  }
});

test('a .env edit sets the generators up again with its values, and says it changed env', async () => {
  const p = Project.create();
  projects.push(p);
  assert.equal((await runInProcess(['build', '--no-llm'], p.root)).code, 0);
  const generator = logFile();
  // A reporter that stays the same is no change either.
  p.write('bug-author.config.mjs', slowSynthConfig({ log: generator.file, logEnv: 'WATCH_TEST_SETTING', extra: "reporters: [{ name: 'quiet', onBugDone() {} }]," }));
  p.write('.env', 'WATCH_TEST_SETTING=first\n');
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    let since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'w = z * 2', 'BUG: first'));
    await log.waitForOutcome(since, id(dropAdd));
    assert.ok(generator.lines().includes(`env ${id(dropAdd)} first`), generator.lines().join(' | '));

    since = log.mark();
    p.write('.env', 'WATCH_TEST_SETTING=second\n');
    const reloaded = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'));
    assert.deepEqual(reloaded.kind === 'config-reloaded' && [reloaded.changed, reloaded.rebuilt], [['env'], true]);
    await log.waitFor(since, (outcomes) => outcomes.length === BUGS.length);

    since = log.mark();
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'y = x * k', 'BUG: second'));
    assert.equal((await log.waitForOutcome(since, id(dropAdd))).outcome.status, 'built', log.describe(since));
    assert.ok(generator.lines().includes(`env ${id(dropAdd)} second`), generator.lines().join(' | '));
  } finally {
    await watcher.close();
  }
});

test('watch --reporter junit: the XML is written after the initial pass and rewritten after each rebuilt bug', async () => {
  const p = Project.create();
  projects.push(p);
  const xml = p.abs('reports/watch.xml');
  const cases = async () => ((await parse(readFileSync(xml, 'utf8'))) as { testsuite?: { testcase?: { name?: string; failure?: unknown[] }[] }[] }).testsuite![0]!.testcase ?? [];
  const { watcher, log } = await startLoggedWatcher(p.root, { reporters: [junitReporter({ outputFile: 'reports/watch.xml' })] });
  try {
    await until(() => existsSync(xml), 'the XML after the initial pass');
    assert.equal((await cases()).length, BUGS.length);
    assert.equal((await cases()).filter((c) => c.failure).length, 0);
    const since = log.mark();
    p.write(p.patchPath(dropAdd), 'not a patch\n');
    await log.waitForOutcome(since, id(dropAdd));
    await until(() => readFileSync(xml, 'utf8').includes('<failure'), 'the failure in the XML');
    const failed = (await cases()).filter((c) => c.failure);
    assert.deepEqual(failed.map((c) => c.name), [id(dropAdd)]);
  } finally {
    await watcher.close();
  }
});

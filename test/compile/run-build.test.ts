import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { build } from '../../src/api/build.js';
import { runCli } from '../../src/cli.js';
import { packageRoot } from '../../src/package-root.js';
import { pythonChoiceEnv } from '../support/cli-run.js';
import { waitUntil } from '../support/processes.js';
import { BUGS, disposableProjects, slowSynthConfig } from '../watch/support/watch-fixture.js';

// A bug goes from its inputs to its written JSON and its report line before it lets go of its
// slot: memory is bounded by the concurrency, and a run killed at any moment keeps every JSON
// already finished.

const project = disposableProjects();
const synthModule = JSON.stringify(pathToFileURL(path.join(packageRoot, 'plugins', 'synth', 'index.ts')).href);

/** Runs `build` in this process; the config's generators see how many bug lines were printed so far as globalThis.__printed(). */
async function buildCounting(root: string): Promise<{ code: number; stdout: string }> {
  let stdout = '';
  (globalThis as { __printed?: () => number }).__printed = () => stdout.split('\n').filter((l) => /^\[[ \d]+\/\d+\]/.test(l)).length;
  const code = await runCli(['build'], { cwd: root, env: pythonChoiceEnv(), stdout: (t) => void (stdout += t), stderr: (t) => void (stdout += t) });
  return { code, stdout };
}

test('with concurrency 1, each bug is written and reported before the next bug starts', async () => {
  const p = project();
  p.write(
    'bug-author.config.mjs',
    `import { readdirSync } from 'node:fs';
import { synthGenerator } from ${synthModule};
const synth = synthGenerator();
globalThis.__seen = [];
export default { concurrency: 1, generators: [{ name: 'counting', async generate(bug, context) {
  globalThis.__seen.push(globalThis.__printed());
  return synth.generate(bug, context);
} }] };
`,
  );
  const result = await buildCounting(p.root);
  assert.equal(result.code, 0, result.stdout);
  const seen = (globalThis as { __seen?: number[] }).__seen;
  assert.deepEqual(seen, BUGS.map((_, i) => i), `bug lines printed when each bug's generator started:\n${result.stdout}`);
});

test('a bug that needs the LLM gives its work slot back and finishes in the LLM lane; nothing waits on a slot it holds', async () => {
  const p = project();
  // Concurrency 1: were a bug to wait for the LLM lane in its work slot while the LLM slot waits
  // for work (or the other way round), the run would never end.
  p.write(
    'bug-author.config.mjs',
    `import { synthGenerator } from ${synthModule};
const synth = synthGenerator();
const llmBugs = new Set(['scale/drop_add', 'shift/drop_sub']);
globalThis.__order = [];
export default { concurrency: 1, generators: [
  { name: 'picky', async generate(bug, context) {
    if (llmBugs.has(bug.id)) return { status: 'unsupported', reason: 'not mine' };
    return synth.generate(bug, context);
  } },
  { name: 'fake-llm', kind: 'llm', async generate(bug, context) {
    globalThis.__order.push('llm ' + bug.id + ' at ' + globalThis.__printed());
    await new Promise((resolve) => setTimeout(resolve, 1500));
    return bug.id === 'shift/drop_sub' ? { status: 'failed', reason: 'no luck' } : synth.generate(bug, context);
  } },
  { name: 'after', async generate(bug, context) { return synth.generate(bug, context); } },
] };
`,
  );
  const result = await buildCounting(p.root);
  assert.equal(result.code, 0, result.stdout);
  assert.match(result.stdout, /✔ scale\/drop_add +fake-llm +exact/);
  // The generator after the LLM one runs in the LLM slot the bug holds.
  assert.match(result.stdout, /✔ shift\/drop_sub +after +exact/);
  assert.match(result.stdout, /✔ scale\/drop_double +picky +exact/);
  assert.match(result.stdout, /✔ norm\/drop_len +picky +exact/);
  const lines = result.stdout.split('\n').filter((l) => /^\[[ \d]+\/\d+\]/.test(l));
  // The deterministic bugs did not wait behind the LLM: they were reported first.
  assert.match(lines[0]!, /picky/);
  assert.match(lines[1]!, /picky/);
});

test('a build killed while it runs keeps every JSON it finished, each whole', async () => {
  const p = project();
  const log = path.join(mkdtempSync(path.join(os.tmpdir(), 'bug-author-kill-')), 'log');
  p.write('bug-author.config.mjs', slowSynthConfig({ delayMs: 400, log, extra: 'concurrency: 1,' }));
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(packageRoot, 'src', 'main.ts'), 'build'], {
    cwd: p.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...pythonChoiceEnv() },
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  let stdout = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const written = () => BUGS.filter((bug) => existsSync(p.abs(p.jsonPath(bug))));
    await waitUntil(() => written().length >= 1, 60_000, 'the first JSON');
    const started = readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('start ')).length;
    assert.ok(started < BUGS.length, `the first JSON was written only after every bug's generator had started (${started})`);
    await waitUntil(() => written().length >= 2, 60_000, 'the second JSON');
    child.kill('SIGKILL');
    await exited;
    const kept = written();
    assert.ok(kept.length >= 2 && kept.length < BUGS.length, `kept ${kept.length}`);
    for (const bug of kept) {
      const json = JSON.parse(p.read(p.jsonPath(bug))) as { metadata: { bug_author: { generator: string } } };
      assert.equal(json.metadata.bug_author.generator, 'slow-synth');
      assert.match(stdout, new RegExp(`✔ ${bug.module}/${bug.name} `), 'its line was printed as it finished');
    }
  } finally {
    child.kill('SIGKILL');
  }
});

test("a bug's time is the time it held a slot: not the wait for the LLM lane after it handed its work slot over", async () => {
  const p = project();
  // Concurrency 1: scale/drop_add holds the LLM slot for 3 s; shift/drop_sub, handed over meanwhile, waits for it.
  p.write(
    'bug-author.config.mjs',
    `import { synthGenerator } from ${synthModule};
const synth = synthGenerator();
export default { concurrency: 1, generators: [
  { name: 'picky', async generate(bug, context) {
    return bug.id === 'scale/drop_add' || bug.id === 'shift/drop_sub' ? { status: 'unsupported', reason: 'not mine' } : synth.generate(bug, context);
  } },
  { name: 'fake-llm', kind: 'llm', async generate(bug) {
    if (bug.id === 'scale/drop_add') await new Promise((resolve) => setTimeout(resolve, 3000));
    return { status: 'failed', reason: 'no luck' };
  } },
  { name: 'after', async generate(bug, context) { return synth.generate(bug, context); } },
] };
`,
  );
  const result = await build({ cwd: p.root, env: pythonChoiceEnv() });
  assert.equal(result.exitCode, 0);
  const ms = (id: string) => result.outcomes.find((o) => o.bug.id === id)!.ms;
  assert.ok(ms('scale/drop_add') >= 3000, `drop_add: ${ms('scale/drop_add')} ms`);
  assert.ok(ms('shift/drop_sub') < ms('scale/drop_add') - 1500, `drop_sub took ${ms('shift/drop_sub')} ms of slots, drop_add ${ms('scale/drop_add')} ms`);
});

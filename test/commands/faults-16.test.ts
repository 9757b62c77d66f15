// Issue 16: faults found by a hostile user. Each test fails on the code before the fix: no stack
// trace, no data lost, no secret read, and the message names the file.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli.js';
import { packageRoot } from '../../src/package-root.js';
import { WatchLockedError } from '../../src/watch/watch-lock.js';
import { startWatcher } from '../../src/watch/watcher.js';
import { readProcCommandLine } from '../../src/process/proc-stat.js';
import { runChild, runInProcess, STACK_FRAME } from '../support/cli-run.js';
import { waitUntil } from '../support/processes.js';
import { writeFakeEngine } from '../verify/support/fake-engine.js';
import { chatCompletion, startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { disposableProjects, slowSynthConfig } from '../watch/support/watch-fixture.js';

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAI();
});
after(() => server.close());

const openaiModule = JSON.stringify(pathToFileURL(path.join(packageRoot, 'plugins', 'openai', 'index.ts')).href);
const KEY = { OPENAI_API_KEY: 'sk-test-0123456789' };

/** A directory outside every project, holding what must never be read. */
function outsideDir(): string {
  return mkdtempSync(path.join(os.tmpdir(), 'bug-author-outside-'));
}

const project = disposableProjects();

/** Two hunks in one function of the fixture's ops.py. */
const TWO_HUNKS = `--- a/pkg/ops.py
+++ b/pkg/ops.py
@@ -4,3 +4,3 @@
 def scale(x, k):
-    y = x * k
+    y = x + k
     z = y + 1
@@ -7,2 +7,2 @@
     w = z * 2
-    return w
+    return w - 1
`;

test('16.2 a hunk header GNU patch cannot read: the build fails naming file and line, the verified JSON stays, check reports it', async () => {
  const p = project();
  const patch = 'curricula/c1/modules/scale/bugs/two_edits.patch';
  const json = 'curricula/c1/modules/scale/bugs/two_edits.json';
  p.write(patch, TWO_HUNKS);
  const built = await runInProcess(['build', '--no-llm', patch], p.root);
  assert.equal(built.code, 0, built.stdout);
  const verified = p.read(json);
  for (const header of ['@@ -7,x +7,y @@', '@@ 7,2 7,2 @@', '@ -7,2 +7,2 @@']) {
    p.write(patch, TWO_HUNKS.replace('@@ -7,2 +7,2 @@', header));
    const broken = await runInProcess(['build', '--no-llm', patch], p.root);
    assert.equal(broken.code, 1, broken.stdout);
    assert.match(broken.stdout, new RegExp(`✖ scale/two_edits .*\\n {4}${patch.replaceAll('.', '\\.')}:8: the hunk header \`${header.replace(/[+]/g, '\\+')}\` at line 8 cannot be read`));
    assert.equal(p.read(json), verified, `${header}: the verified two-hunk JSON is kept`);
    const checked = await runInProcess(['check'], p.root);
    assert.equal(checked.code, 1, checked.stdout);
    assert.match(checked.stdout, new RegExp(`${patch.replaceAll('.', '\\.')}:8: the hunk header`));
    assert.doesNotMatch(broken.stdout + broken.stderr + checked.stdout + checked.stderr, STACK_FRAME);
  }
});

test('16.3 a symptom linked to a secrets file never reaches the LLM server, neither for its bug nor as a golden example', async () => {
  const p = project();
  const secretValue = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const secrets = path.join(outsideDir(), 'credentials');
  writeFileSync(secrets, `AWS_SECRET_ACCESS_KEY=${secretValue}\n`);
  p.remove('curricula/c1/modules/scale/bugs/drop_add_symptom.txt');
  symlinkSync(secrets, p.abs('curricula/c1/modules/scale/bugs/drop_add_symptom.txt'));
  // A hand-written JSON is a golden example: its patch and symptom go into every prompt.
  p.write('curricula/c1/modules/shift/bugs/drop_sub.json', JSON.stringify({ id: 'drop_sub', metadata: { manual: true }, logic: [] }));
  p.remove('curricula/c1/modules/shift/bugs/drop_sub_symptom.txt');
  symlinkSync(secrets, p.abs('curricula/c1/modules/shift/bugs/drop_sub_symptom.txt'));
  p.write('bug-author.config.mjs', `import { openaiGenerator } from ${openaiModule};\nexport default { generators: [openaiGenerator({ baseURL: ${JSON.stringify(server.baseURL)}, maxAttempts: 1, maxRetries: 0 })] };\n`);
  server.fallback(() => ({ body: chatCompletion('I cannot help with that.') }));
  const start = server.requests.length;
  const result = await runInProcess(['build'], p.root, KEY);
  const bodies = server.requests.slice(start).map((r) => JSON.stringify(r.body));
  assert.ok(bodies.length > 0, 'the other bugs were sent');
  for (const body of bodies) {
    assert.ok(!body.includes(secretValue) && !body.includes('AWS_SECRET_ACCESS_KEY'), 'a request carried the secret');
  }
  assert.equal(result.code, 1);
  assert.match(result.stdout, /✖ scale\/drop_add .*\n {4}curricula\/c1\/modules\/scale\/bugs\/drop_add_symptom\.txt: the symptom file .*drop_add_symptom\.txt is a symbolic link to .*credentials, outside the project root/);
  const checked = await runInProcess(['check'], p.root);
  assert.match(checked.stdout, /drop_add_symptom\.txt is a symbolic link to .*credentials, outside the project root/);
  assert.doesNotMatch(result.stdout + result.stderr + checked.stdout + checked.stderr, STACK_FRAME);
});

test('16.3 a module folder or a patch linked out of the project: refused naming the link, nothing written outside', async () => {
  const p = project();
  const outside = outsideDir();
  // A whole module elsewhere, reached through a link in the curriculum.
  mkdirSync(path.join(outside, 'bugs'));
  writeFileSync(path.join(outside, 'bugs', 'elsewhere.patch'), p.read('curricula/c1/modules/scale/bugs/drop_add.patch'));
  symlinkSync(outside, p.abs('curricula/c1/modules/linked'));
  // A patch file linked to one outside.
  const loosePatch = path.join(outsideDir(), 'x.patch');
  writeFileSync(loosePatch, p.read('curricula/c1/modules/shift/bugs/drop_sub.patch'));
  p.remove('curricula/c1/modules/shift/bugs/drop_sub.patch');
  symlinkSync(loosePatch, p.abs('curricula/c1/modules/shift/bugs/drop_sub.patch'));
  const result = await runInProcess(['build', '--no-llm'], p.root);
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stdout, /✖ linked\/elsewhere .*\n {4}curricula\/c1\/modules\/linked\/bugs\/elsewhere\.patch: the patch .* is refused: curricula\/c1\/modules\/linked is a symbolic link to .*, outside the project root/);
  assert.match(result.stdout, /✖ shift\/drop_sub .*\n {4}.*drop_sub\.patch is a symbolic link to .*x\.patch, outside the project root/);
  assert.match(result.stdout, /✔ scale\/drop_add /, 'the other bugs are built');
  assert.deepEqual(readdirSync(path.join(outside, 'bugs')), ['elsewhere.patch'], 'no JSON (nor draft) written outside');
  const checked = await runInProcess(['check'], p.root);
  assert.match(checked.stdout, /curricula\/c1\/modules\/linked is a symbolic link to/);
});

test('16.3 a link loop in the curriculum: each bug found once', async () => {
  const p = project();
  p.write('bug-author.config.mjs', "export default { bugs: ['curricula/**/*.patch'] };\n");
  symlinkSync('..', p.abs('curricula/c1/modules/scale/loop'));
  const result = await runInProcess(['build', '--no-llm'], p.root);
  assert.match(result.stdout, /Building 4 bugs/);
  assert.equal(result.code, 0, result.stdout);
});

test('16.3 a config importing a module through a link out of the project is refused, naming the link', async () => {
  const p = project();
  const helper = path.join(outsideDir(), 'helper.mjs');
  writeFileSync(helper, 'export const concurrency = 2;\n');
  symlinkSync(helper, p.abs('helper.mjs'));
  p.write('bug-author.config.mjs', "import { concurrency } from './helper.mjs';\nexport default { concurrency };\n");
  const result = await runInProcess(['build', '--no-llm'], p.root);
  assert.equal(result.code, 2);
  assert.match(result.stderr, /configuration error in .*bug-author\.config\.mjs: the imported module helper\.mjs is refused: helper\.mjs is a symbolic link to .*helper\.mjs, outside the project root/);
});

test('16.3 try: a link loop in the submissions is not followed, and a file linked out of the folder is refused by name', async () => {
  const p = project();
  assert.equal((await runInProcess(['build', '--no-llm'], p.root)).code, 0);
  const submissions = p.abs('submissions');
  mkdirSync(path.join(submissions, 'alice'), { recursive: true });
  writeFileSync(path.join(submissions, 'alice', 'ops.py'), p.read('modes/developer/pkg/ops.py'));
  symlinkSync('..', path.join(submissions, 'alice', 'loop'));
  const secret = path.join(outsideDir(), 'ops.py');
  writeFileSync(secret, p.read('modes/developer/pkg/ops.py'));
  symlinkSync(secret, path.join(submissions, 'bob.py'));
  const result = await runInProcess(['try', 'submissions', '--format', 'json'], p.root);
  const report = JSON.parse(result.stdout) as { cells: Array<{ file: string }>; unreadable: Array<{ file: string; reason: string }> };
  assert.deepEqual([...new Set(report.cells.map((c) => c.file))], ['submissions/alice/ops.py']);
  assert.equal(report.unreadable.length, 1);
  assert.match(report.unreadable[0]!.reason, /submissions\/bob\.py is a symbolic link to .*ops\.py, outside submissions/);
});

test('16.6 a config whose default export is null, or that throws undefined, is a configuration error naming the file', async () => {
  const p = project();
  for (const [source, reason] of [
    ['export default null;\n', /its default export is null/],
    ['throw undefined;\n', /cannot load: it threw undefined/],
  ] as const) {
    p.write('bug-author.config.mjs', source);
    const result = await runInProcess(['build'], p.root);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, /configuration error in .*bug-author\.config\.mjs/);
    assert.match(result.stderr, reason);
    assert.doesNotMatch(result.stderr, /TypeError|internal error/);
  }
});

const hasPython3 = spawnSync('python3', ['--version']).status === 0;

test('16.5 an engine judge that hangs is stopped once and switched off with one message: the definitions are built and checked, "not cross-checked", never does-not-verify', { skip: (!hasPython3 || process.env.BUG_AUTHOR_PYTHON === 'pyodide') && 'the engine judge needs CPython' }, async () => {
  const p = project();
  writeFakeEngine(p.root, { hang: true });
  const started = performance.now();
  const built = await runInProcess(['build', '--no-llm'], p.root);
  const buildMs = performance.now() - started;
  assert.equal(built.code, 0, built.stdout + built.stderr);
  const lines = built.stdout.split('\n').filter((l) => /^\[[ \d]+\/\d+\]/.test(l));
  assert.equal(lines.length, 4);
  for (const line of lines) assert.match(line, /✔ .* synth +exact .*not cross-checked/);
  assert.equal(built.stderr.match(/switched off for the rest of this run/g)?.length, 1, built.stderr);
  assert.match(built.stderr, /engine\/ast_harden\/generic_injector\.py\) was stopped after 10 s/);
  // One time limit (10 s), not one per definition and student-style variant.
  assert.ok(buildMs < 40_000, `build took ${Math.round(buildMs)} ms`);

  const checkStarted = performance.now();
  const checked = await runInProcess(['check'], p.root);
  assert.ok(performance.now() - checkStarted < 40_000);
  assert.doesNotMatch(checked.stdout, /does-not-verify|does not verify/);
  assert.equal(checked.stderr.match(/switched off for the rest of this run/g)?.length, 1, checked.stderr);
  assert.doesNotMatch(built.stdout + built.stderr + checked.stdout + checked.stderr, STACK_FRAME);
});

/** Processes (any parent) whose command line is exactly `args`, as /proc shows them. */
function processesRunning(args: string[]): number[] {
  const wanted = args.join(' ');
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number)
    .filter((pid) => readProcCommandLine(pid) === wanted);
}

test('16.5 a BUG_AUTHOR_PYTHON that never answers: its whole process group is killed, and the next run does not wait for it again', { skip: process.platform !== 'linux' && 'reads /proc' }, async () => {
  const p = project();
  const hanging = path.join(outsideDir(), 'python-that-hangs');
  writeFileSync(hanging, '#!/bin/sh\nsleep 317\n', { mode: 0o755 });
  const patch = 'curricula/c1/modules/scale/bugs/drop_add.patch';
  const first = await runChild(['build', '--no-llm', '--verbose', patch], p.root, { BUG_AUTHOR_PYTHON: hanging });
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.match(first.stderr, /python-that-hangs: did not answer within 15 s/);
  await waitUntil(() => processesRunning(['sleep', '317']).length === 0, 5000, 'the interpreter’s child to be killed with it');

  const second = await runChild(['build', '--no-llm', '--force', '--verbose', patch], p.root, { BUG_AUTHOR_PYTHON: hanging });
  assert.equal(second.code, 0, second.stdout + second.stderr);
  // Not started at all this time (so not waited for): it could not serve when last started.
  assert.match(second.stderr, /python-that-hangs: did not answer within 15 s \(when last started; tried again once it changes\)/);
  assert.deepEqual(processesRunning(['sleep', '317']), []);
});

test('16.6 check stops on the first SIGTERM (143) or SIGINT (130), without waiting for the verification in progress', { skip: (!hasPython3 || process.env.BUG_AUTHOR_PYTHON === 'pyodide') && 'the hanging engine needs CPython' }, async () => {
  for (const [signal, code] of [['SIGTERM', 143], ['SIGINT', 130]] as const) {
    const p = project();
    const marker = path.join(outsideDir(), 'engine-hangs');
    writeFakeEngine(p.root, { hang: true, hangMarker: marker });
    // Built without the engine: check then has verdicts to judge with it.
    p.write('bug-author.config.mjs', "export default { verify: { engine: 'off' } };\n");
    assert.equal((await runInProcess(['build', '--no-llm'], p.root)).code, 0);
    p.remove('bug-author.config.mjs');
    const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(packageRoot, 'src', 'main.ts'), 'check'], {
      cwd: p.root,
      env: { PATH: process.env.PATH, HOME: process.env.HOME },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (c) => resolve(c)));
    try {
      await waitUntil(() => existsSync(marker), 30_000, 'the engine to be judging');
      const signalled = performance.now();
      child.kill(signal);
      assert.equal(await exited, code, stderr);
      assert.ok(performance.now() - signalled < 5000, `${signal}: stopped ${Math.round(performance.now() - signalled)} ms later`);
      assert.match(stderr, /Interrupted: the check stopped before every bug was judged/);
      assert.doesNotMatch(stderr, STACK_FRAME);
    } finally {
      child.kill('SIGKILL');
    }
  }
});

test('16.6 check --since with a range (HEAD..HEAD) is a usage error saying what --since takes, not an internal error', async () => {
  const p = project();
  const git = (...args: string[]) => spawnSync('git', args, { cwd: p.root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.email=t@example.invalid', '-c', 'user.name=t', 'commit', '-qm', 'curriculum');
  for (const range of ['HEAD..HEAD', 'HEAD...HEAD']) {
    const result = await runInProcess(['check', '--since', range], p.root);
    assert.equal(result.code, 2, result.stderr);
    assert.match(result.stderr, new RegExp(`--since takes one commit, .* not a range like ${range.replaceAll('.', '\\.')}; e\\.g\\. --since HEAD`));
    assert.doesNotMatch(result.stderr, /internal error/);
  }
});

test('16.6 two builds of one project at once: the second takes the JSON the first wrote from the same inputs, no false "changed while being built"', async () => {
  const log = path.join(outsideDir(), 'log');
  const p = project({ config: slowSynthConfig({ delayMs: 1500, log }) });
  // The second starts once the first is generating every bug (nothing written yet), and finishes after it.
  const first = runInProcess(['build'], p.root);
  await waitUntil(() => existsSync(log) && readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith('start ')).length === 4, 30_000, 'the first build to generate');
  await new Promise((resolve) => setTimeout(resolve, 400));
  const [a, b] = await Promise.all([first, runInProcess(['build'], p.root)]);
  for (const result of [a, b]) {
    assert.equal(result.code, 0, result.stdout);
    assert.doesNotMatch(result.stdout, /changed while this bug was being built/);
  }
  assert.match(a.stdout + b.stdout, /written meanwhile by another build of this project/, `${a.stdout}\n---\n${b.stdout}`);
  const checked = await runInProcess(['check'], p.root);
  assert.doesNotMatch(checked.stdout, /✖/);
});

test('16.6 watch with a bugs glob that matches nothing exits 2 naming the glob, as build and check do', async () => {
  const p = project();
  p.write('bug-author.config.mjs', "export default { bugs: ['curricula/*/module/*/bugs/*.patch'] };\n");
  const controller = new AbortController();
  const watching = runCli(['watch'], { cwd: p.root, env: {}, stdout: () => {}, stderr: (t) => void (stderr += t), signal: controller.signal });
  let stderr = '';
  const timer = setTimeout(() => controller.abort('SIGINT'), 20_000);
  const code = await watching;
  clearTimeout(timer);
  assert.equal(code, 2, stderr);
  assert.match(stderr, /configuration error in .*bug-author\.config\.mjs: bugs glob 'curricula\/\*\/module\/\*\/bugs\/\*\.patch' matches no patch file/);
});

test('16.6 rm -rf .bug-author while a watcher runs does not let a second one start', async () => {
  const p = project({ config: slowSynthConfig() });
  const first = await startWatcher({ cwd: p.root, noLlm: true, env: {} });
  try {
    await first.ready;
    rmSync(p.abs('.bug-author'), { recursive: true, force: true });
    await assert.rejects(startWatcher({ cwd: p.root, noLlm: true, env: {} }), (err: unknown) => err instanceof WatchLockedError && err.pid === process.pid);
  } finally {
    await first.close();
  }
  // Once the first has stopped, the project is free again.
  const next = await startWatcher({ cwd: p.root, noLlm: true, env: {} });
  await next.close();
});

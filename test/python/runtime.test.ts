import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { packageRoot } from '../../src/package-root.js';
import { parseExpressions, parsePython, parsePythonMany, unparsePython } from '../../src/python/python-ast.js';
import { PythonCallError } from '../../src/python/python-errors.js';
import { interpreterFor, pythonChoiceOf, type PythonChoice } from '../../src/python/python-choice.js';
import { createPythonRuntime, createPythonRuntimes, type PythonRuntime } from '../../src/python/runtime.js';
import { processExists, waitUntil } from '../support/processes.js';

const choice = (setting: string, baseDir = packageRoot): PythonChoice => ({ setting, from: 'config', baseDir });
const auto = interpreterFor(choice('auto'));
const noPython3 = !(auto && 'executable' in auto) && 'no python3 on PATH';

// One process-wide pool, as the CLI has: pyodide is loaded once however many runtimes fall back to it.
const pool = createPythonRuntimes();
after(() => pool.close());
const cpython = pool.runtimeFor(choice('auto'));
const pyodide = pool.runtimeFor(choice('pyodide'));

const corpusDir = path.resolve(packageRoot, '..', 'shared', 'corpus', 'modes', 'developer', 'cs336_basics');
const sources = existsSync(corpusDir) ? readdirSync(corpusDir).map((f) => readFileSync(path.join(corpusDir, f), 'utf8')) : [];
sources.push(
  'def f(x):\n    return x ** 2 + 1j - 0x1F * 1e-3  # comment\n',
  'async def g():\n    async with a as b:\n        yield f"{b!r:>{w}}"\n',
  'x = b"\\x00\\xff" + "é😀" ; y = ...\n',
  '    def indented(self):\n        return self\n',
  'def broken(:\n    pass\n',
  'big = 123456789012345678901234567890\n',
);

test('auto starts python3 from PATH as a worker process and says which', { skip: noPython3 }, async () => {
  await cpython.bridge();
  const info = cpython.backend!;
  assert.equal(info.kind, 'cpython');
  assert.match(info.version, /^3\.(9|[1-9]\d)\.\d+$/);
  assert.ok(info.executable && existsSync(info.executable), info.executable);
  assert.ok(info.pid && processExists(info.pid));
  assert.equal(info.choice.setting, 'auto');
});

test('CPython and pyodide give the same answers: parse, parse many, expressions, unparse, errors', { skip: noPython3 }, async () => {
  for (const source of sources) {
    for (const dedent of [false, true]) {
      assert.deepEqual(await parsePython(cpython, source, { dedent }), await parsePython(pyodide, source, { dedent }), source.slice(0, 40));
    }
    const parsed = await parsePython(cpython, source, { dedent: true });
    if (parsed.ok) assert.deepEqual(await unparsePython(cpython, parsed.tree), await unparsePython(pyodide, parsed.tree));
  }
  assert.deepEqual(await parsePythonMany(cpython, sources), await parsePythonMany(pyodide, sources));
  const expressions = ['x + 1', 'node.left', 'f(*a, **k)', 'not valid (', 'lambda: (yield)'];
  assert.deepEqual(await parseExpressions(cpython, expressions), await parseExpressions(pyodide, expressions));
  // An unparse CPython refuses is reported the same way by both.
  const bad = { _type: 'Module', body: [{ _type: 'NoSuchNode' }], type_ignores: [] };
  assert.deepEqual(await unparsePython(cpython, bad), await unparsePython(pyodide, bad));
  assert.equal((await unparsePython(cpython, bad)).ok, false);
  // A bridge function that raises: the same PythonCallError ("Type: message") from both.
  const raised = async (runtime: PythonRuntime) => (await runtime.bridge()).parseExpressions('not json').catch((err: unknown) => err);
  const [a, b] = await Promise.all([raised(cpython), raised(pyodide)]);
  assert.ok(a instanceof PythonCallError && b instanceof PythonCallError);
  assert.match(a.message, /^JSONDecodeError: Expecting value/);
  assert.equal(a.message, b.message);
});

test('pyodide when asked for, and the back-end says so', async () => {
  await pyodide.bridge();
  assert.equal(pyodide.backend?.kind, 'pyodide');
  assert.match(pyodide.backend?.pyodideVersion ?? '', /^\d+\.\d+\.\d+$/);
  assert.equal(pyodide.backend?.fallbackReason, undefined);
});

test('an interpreter that is missing, broken or too old falls back to pyodide, with the reason', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-python-'));
  const broken = path.join(dir, 'python-broken');
  writeFileSync(broken, '#!/bin/sh\necho "fatal: cannot start" >&2\nexit 3\n');
  chmodSync(broken, 0o755);
  const cases: [PythonChoice, RegExp][] = [
    [choice('missing/python3', dir), /python3: no such executable file/],
    [choice(broken), /exited before answering: it exited with code 3 \(fatal: cannot start\)/],
    [choice('python-does-not-exist-anywhere'), /no python-does-not-exist-anywhere on PATH/],
  ];
  const old = oldPython();
  if (old) cases.push([choice(old), /Python [23]\.\d+\.\d+ is too old \(bug-author needs 3\.9 or later, for ast\.unparse\)/]);
  for (const [asked, reason] of cases) {
    const runtime = pool.runtimeFor(asked);
    const parsed = await parsePython(runtime, 'x = 1\n');
    assert.equal(parsed.ok, true);
    assert.equal(runtime.backend?.kind, 'pyodide', asked.setting);
    assert.match(runtime.backend?.fallbackReason ?? '', reason);
  }
});

/** A Python older than 3.9 on this machine (pyenv keeps some), if any. */
function oldPython(): string | undefined {
  const versions = path.join(os.homedir(), '.pyenv', 'versions');
  if (!existsSync(versions)) return undefined;
  const old = readdirSync(versions).find((v) => /^(2\.|3\.[0-8]\.)/.test(v));
  return old ? path.join(versions, old, 'bin', 'python') : undefined;
}

test('auto with no python3 on PATH is pyodide, known before starting anything', () => {
  assert.deepEqual(interpreterFor(choice('auto'), path.join(os.tmpdir(), 'no-such-dir')), { unavailable: 'no python3 on PATH' });
  assert.equal(interpreterFor(choice('pyodide')), undefined);
});

test('BUG_AUTHOR_PYTHON overrides the config; relative paths resolve from where each was given', () => {
  const root = '/project';
  assert.deepEqual(pythonChoiceOf({ env: { BUG_AUTHOR_PYTHON: 'pyodide' }, cwd: '/here', configured: '/usr/bin/python3', root }), {
    setting: 'pyodide',
    from: 'BUG_AUTHOR_PYTHON',
    baseDir: '/here',
  });
  assert.deepEqual(pythonChoiceOf({ env: {}, cwd: '/here', configured: '.venv/bin/python', root }), { setting: '.venv/bin/python', from: 'config', baseDir: root });
  assert.deepEqual(pythonChoiceOf({ env: { BUG_AUTHOR_PYTHON: ' ' }, cwd: '/here' }), { setting: 'auto', from: 'default', baseDir: '/here' });
});

test('close() ends the worker; a process that never closes its runtime still exits, and takes the worker with it', { skip: noPython3 }, async () => {
  const runtime = createPythonRuntime(choice('auto'));
  await parsePython(runtime, 'x = 1\n');
  const pid = runtime.backend!.pid!;
  await runtime.close();
  assert.equal(processExists(pid), false);

  const script = `
    import { createPythonRuntime } from ${JSON.stringify(path.join(packageRoot, 'src', 'python', 'runtime.ts'))};
    import { parsePython } from ${JSON.stringify(path.join(packageRoot, 'src', 'python', 'python-ast.ts'))};
    const runtime = createPythonRuntime();
    await parsePython(runtime, 'x = 1\\n');
    console.log(runtime.backend.pid);
  `;
  const started = performance.now();
  const { stdout } = await promisify(execFile)(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { cwd: packageRoot });
  assert.ok(performance.now() - started < 15000, 'the process must not wait for its worker');
  const orphan = Number(stdout.trim());
  await waitUntil(() => !processExists(orphan), 5000, `worker ${orphan} to exit with its parent`);
});

test('a bug-author killed with SIGKILL leaves no worker behind (its stdin closes)', { skip: noPython3 }, async () => {
  const script = `
    import { createPythonRuntime } from ${JSON.stringify(path.join(packageRoot, 'src', 'python', 'runtime.ts'))};
    import { parsePython } from ${JSON.stringify(path.join(packageRoot, 'src', 'python', 'python-ast.ts'))};
    const runtime = createPythonRuntime();
    await parsePython(runtime, 'x = 1\\n');
    console.log(runtime.backend.pid);
    setInterval(() => {}, 1000);
  `;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  assert.ok(processExists(pid));
  child.kill('SIGKILL');
  await waitUntil(() => !processExists(pid), 5000, `worker ${pid} to exit after its parent was killed`);
});

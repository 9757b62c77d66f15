import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, realpathSync, rmSync, symlinkSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { CPythonBackend } from '../../src/python/cpython-backend.js';
import { PythonCallError, PythonUnavailableError, PythonWorkerError } from '../../src/python/python-errors.js';
import { interpreterFor } from '../../src/python/python-choice.js';
import { packageFile, packageRoot } from '../../src/package-root.js';
import { childProcesses, processExists, waitUntil } from '../support/processes.js';

// Real CPython worker processes, killed for real; the bridge is a test one with slow calls.
const python = interpreterFor({ setting: 'auto', from: 'default', baseDir: packageRoot });
const executable = python && 'executable' in python ? python.executable : undefined;
const skip = !executable && 'no python3 on PATH';
const files = { worker: packageFile('src', 'python', 'worker.py'), bridge: path.join(packageRoot, 'test', 'python', 'support', 'test-bridge.py') };

const backends: CPythonBackend[] = [];
after(async () => {
  await Promise.all(backends.map((b) => b.close()));
});

async function start(): Promise<CPythonBackend> {
  const backend = await CPythonBackend.start(executable!, files);
  backends.push(backend);
  return backend;
}

const workerPid = async (backend: CPythonBackend) => Number(await backend.call('worker_pid', []));

test('a worker killed while idle is replaced on the next call', { skip }, async () => {
  const backend = await start();
  const first = await workerPid(backend);
  assert.equal(first, backend.pid);
  process.kill(first, 'SIGKILL');
  await waitUntil(() => !processExists(first), 5000, 'the killed worker to go');
  assert.equal(await backend.call('sleep_then_echo', [0, 'still here']), 'still here');
  assert.notEqual(await workerPid(backend), first);
  assert.equal(backend.restarts, 1);
});

test('a worker killed while serving: that call is retried once on a new worker, and the calls queued behind it are answered', { skip }, async () => {
  const backend = await start();
  const first = backend.pid!;
  const serving = backend.call('sleep_then_echo', [1.5, 'slow answer']);
  const queued = [backend.call('sleep_then_echo', [0, 'a']), backend.call('sleep_then_echo', [0, 'b'])];
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.kill(first, 'SIGKILL');
  assert.equal(await serving, 'slow answer');
  assert.deepEqual(await Promise.all(queued), ['a', 'b']);
  assert.equal(backend.restarts, 1);
});

test('killed twice while serving the same call: that call fails with a clear error, the others and later calls are answered', { skip }, async () => {
  const backend = await start();
  const first = backend.pid!;
  const doomed = backend.call('sleep_then_echo', [2, 'never']);
  const behind = backend.call('sleep_then_echo', [0, 'behind']);
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.kill(first, 'SIGKILL');
  await waitUntil(() => backend.pid !== first && backend.pid !== undefined, 5000, 'a new worker');
  const second = backend.pid!;
  await new Promise((resolve) => setTimeout(resolve, 300));
  process.kill(second, 'SIGKILL');
  await assert.rejects(doomed, (err: Error) => {
    assert.ok(err instanceof PythonWorkerError, String(err));
    assert.match(err.message, /was killed by SIGKILL while running sleep_then_echo, for the second time \(it was restarted once\)/);
    return true;
  });
  assert.equal(await behind, 'behind');
  assert.equal(await backend.call('sleep_then_echo', [0, 'later']), 'later');
  assert.equal(backend.restarts, 2);
});

test('a call that takes Python down every time fails alone; the worker serves the next one', { skip }, async () => {
  const backend = await start();
  await assert.rejects(backend.call('exit_now', [3]), /exited with code 3 while running exit_now, for the second time/);
  assert.equal(await backend.call('sleep_then_echo', [0, 'fine']), 'fine');
});

test('what a bridge function prints does not corrupt the frames; what it raises comes back as "Type: message"', { skip }, async () => {
  const backend = await start();
  await assert.rejects(backend.call('say_and_raise', ['no such pattern']), (err: Error) => err instanceof PythonCallError && err.message === 'ValueError: no such pattern');
  await assert.rejects(backend.call('no_such_function', []), /LookupError: bridge.py has no function 'no_such_function'/);
  assert.equal(await backend.call('sleep_then_echo', [0, 'ok']), 'ok');
});

test('no zombies, and no worker left once closed', { skip: skip || (process.platform !== 'linux' && 'reads /proc') }, async () => {
  const backend = await start();
  for (let i = 0; i < 5; i++) {
    process.kill(backend.pid!, 'SIGKILL');
    assert.equal(await backend.call('sleep_then_echo', [0, `round ${i}`]), `round ${i}`);
  }
  await waitUntil(() => !childProcesses()!.some((c) => c.state === 'Z'), 3000, 'killed workers to be reaped');
  const last = backend.pid!;
  await backend.close();
  assert.equal(processExists(last), false);
  await waitUntil(() => !childProcesses()!.some((c) => c.command.includes('test-bridge.py') && c.pid === last), 3000, 'the closed worker to be reaped');
});

test('an interpreter that cannot serve is reported with the reason, before any call', async () => {
  await assert.rejects(CPythonBackend.start('/nonexistent/python3', files), (err: Error) => err instanceof PythonUnavailableError && /not found/.test(err.message));
  await assert.rejects(CPythonBackend.start('/bin/false', files), (err: Error) => err instanceof PythonUnavailableError && /exited before answering: it exited with code 1/.test(err.message));
});

test('a call past its deadline kills the worker and fails alone; the calls behind it are answered by a new worker', { skip }, async () => {
  const backend = await start();
  const first = backend.pid!;
  const started = performance.now();
  const stuck = backend.call('spin', [], { deadlineMs: 500 });
  const behind = backend.call('sleep_then_echo', [0, 'behind']);
  await assert.rejects(stuck, (err: Error) => {
    assert.ok(err instanceof PythonWorkerError, String(err));
    assert.match(err.message, /spin did not finish within 0\.5 s, so the Python worker \(.*\) was killed: this bug cannot be processed/);
    return true;
  });
  assert.ok(performance.now() - started < 5000);
  assert.equal(await behind, 'behind');
  assert.equal(processExists(first), false);
  assert.equal(backend.restarts, 1);
});

test('a worker that dies while a process it started holds its stderr: its calls fail at once, not when that process ends', { skip }, async () => {
  const backend = await start();
  const started = performance.now();
  await assert.rejects(backend.call('start_sleeper_then_exit', [20, 3]), /exited with code 3 while running start_sleeper_then_exit, for the second time/);
  assert.ok(performance.now() - started < 8000, `took ${Math.round(performance.now() - started)} ms`);
  assert.equal(await backend.call('sleep_then_echo', [0, 'next']), 'next');
});

test('a busy worker ends when bug-author is killed (it reads no stdin while busy)', { skip: skip || (process.platform === 'win32' && 'POSIX signals') }, async () => {
  const script = `
    import { CPythonBackend } from ${JSON.stringify(path.join(packageRoot, 'src', 'python', 'cpython-backend.ts'))};
    const backend = await CPythonBackend.start(${JSON.stringify(executable)}, ${JSON.stringify(files)});
    void backend.call('spin', []).catch(() => {});
    console.log(backend.pid);
  `;
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), '--input-type=module', '-e', script], { cwd: packageRoot, stdio: ['ignore', 'pipe', 'inherit'] });
  const pid = await new Promise<number>((resolve) => child.stdout.once('data', (chunk: Buffer) => resolve(Number(chunk.toString().trim()))));
  await new Promise((resolve) => setTimeout(resolve, 300));
  assert.ok(processExists(pid));
  child.kill('SIGKILL');
  await waitUntil(() => !processExists(pid), 5000, `the spinning worker ${pid} to exit after its parent was killed`);
});

test('a worker that cannot be restarted fails the calls of the moment; a later call tries again and is served', { skip }, async () => {
  // Started through a link: the worker reports it as sys.executable, so restarts go through it too.
  const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-python-'));
  const link = path.join(dir, 'python3');
  const interpreter = realpathSync((await start()).greeting.executable);
  symlinkSync(interpreter, link);
  const backend = await CPythonBackend.start(link, files);
  backends.push(backend);
  rmSync(link);
  process.kill(backend.pid!, 'SIGKILL');
  await assert.rejects(backend.call('sleep_then_echo', [0, 'x']), /the Python worker died and could not be restarted: .*python3: not found/);
  symlinkSync(interpreter, link);
  await assert.rejects(backend.call('sleep_then_echo', [0, 'x']), /could not be restarted/, 'not at once: it backs off');
  await new Promise((resolve) => setTimeout(resolve, 1100));
  assert.equal(await backend.call('sleep_then_echo', [0, 'back']), 'back');
});

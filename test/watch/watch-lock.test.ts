import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { acquireWatchLock, WatchLockedError, WatchLockUnavailableError } from '../../src/watch/watch-lock.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-lock-'));
after(() => rmSync(dir, { recursive: true, force: true }));

test('the first watcher gets the lock; a second is refused with the holder pid; release frees it', async () => {
  const file = path.join(dir, 'a', 'watch.lock');
  const lock = await acquireWatchLock(file, '/project');
  assert.equal(JSON.parse(readFileSync(file, 'utf8')).pid, process.pid);
  await assert.rejects(acquireWatchLock(file, '/project'), (err: unknown) => {
    assert.ok(err instanceof WatchLockedError);
    assert.equal(err.pid, process.pid);
    assert.match(err.message, new RegExp(`pid ${process.pid}\\b.*/project`));
    return true;
  });
  await lock.release();
  assert.equal(existsSync(file), false);
  const again = await acquireWatchLock(file, '/project');
  await again.release();
});

test('a lock left by a dead process, or an unreadable one, is recovered', async () => {
  const file = path.join(dir, 'b', 'watch.lock');
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify({ pid: dead, token: 'old', root: '/p' }));
  const lock = await acquireWatchLock(file, '/p');
  assert.equal(lock.recoveredFrom, dead);
  await lock.release();

  writeFileSync(file, 'garbage');
  const lock2 = await acquireWatchLock(file, '/p');
  assert.equal(lock2.recoveredFrom, undefined);
  await lock2.release();
});

test('release leaves a lock that is no longer ours alone', async () => {
  const file = path.join(dir, 'c', 'watch.lock');
  const lock = await acquireWatchLock(file, '/p');
  writeFileSync(file, JSON.stringify({ pid: process.pid, token: 'someone-else', root: '/p' }));
  await lock.release();
  assert.equal(existsSync(file), true);
});

test('a lock naming a live process that is not the watcher which wrote it is recovered', async (t) => {
  const file = path.join(dir, 'd', 'watch.lock');
  mkdirSync(path.dirname(file), { recursive: true });
  const unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
  t.after(() => unrelated.kill('SIGKILL'));
  const pid = unrelated.pid!;

  // The pid runs, but it was not started when the lock says (the pid was reused).
  writeFileSync(file, JSON.stringify({ pid, token: 'old', root: '/p', started: '2020-01-01T00:00:00.000Z', processStart: 'linux:another-boot:12345' }));
  const lock = await acquireWatchLock(file, '/p');
  assert.equal(lock.recoveredFrom, pid);
  await lock.release();

  // An older lock without a start time: the live pid is no bug-author process.
  if (process.platform === 'linux') {
    writeFileSync(file, JSON.stringify({ pid, token: 'old', root: '/p' }));
    const lock2 = await acquireWatchLock(file, '/p');
    assert.equal(lock2.recoveredFrom, pid);
    await lock2.release();
  }
});

test('the lock records the holder start time, so the live holder itself is still refused', async () => {
  const file = path.join(dir, 'e', 'watch.lock');
  const lock = await acquireWatchLock(file, '/p');
  const content = JSON.parse(readFileSync(file, 'utf8'));
  if (process.platform === 'linux') assert.match(content.processStart, /^linux:/);
  await assert.rejects(acquireWatchLock(file, '/p'), WatchLockedError);
  await lock.release();
});

test('a lock that cannot be created is a clear error, not a crash', async () => {
  const blocker = path.join(dir, 'f');
  writeFileSync(blocker, 'a file where the lock directory should be');
  await assert.rejects(acquireWatchLock(path.join(blocker, 'watch.lock'), '/p'), (err: unknown) => {
    assert.ok(err instanceof WatchLockUnavailableError);
    assert.match(err.message, /cannot create the watch lock .*f\/watch\.lock: (ENOTDIR|EEXIST)/);
    return true;
  });
});

test('a live watcher of an older version, holding the lock where it used to be, refuses the project; a dead one does not', { skip: process.platform !== 'linux' && 'reads /proc' }, async (t) => {
  const file = path.join(dir, 'legacy', '.bug-author', 'watch.lock');
  const legacy = path.join(dir, 'legacy', '.bug-author', 'cache', 'watch.lock');
  mkdirSync(path.dirname(legacy), { recursive: true });
  // Its command line names bug-author, as an older `bug-author watch` does.
  const older = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', 'bug-author-watch'], { stdio: 'ignore' });
  t.after(() => older.kill('SIGKILL'));
  writeFileSync(legacy, JSON.stringify({ pid: older.pid, token: 'old', root: '/p', started: '2020-01-01T00:00:00.000Z' }));
  await assert.rejects(acquireWatchLock(file, '/p', legacy), (err: Error) => err instanceof WatchLockedError && err.pid === older.pid && err.lockFile === legacy);
  assert.equal(existsSync(file), false);

  older.kill('SIGKILL');
  await new Promise((resolve) => older.once('exit', resolve));
  const lock = await acquireWatchLock(file, '/p', legacy);
  assert.equal(existsSync(file), true);
  assert.equal(existsSync(legacy), true, 'an older version’s file is left alone');
  await lock.release();
});

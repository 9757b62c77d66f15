import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { acquireWatchLock, WatchLockedError } from '../../src/watch/watch-lock.js';

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

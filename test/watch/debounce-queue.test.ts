import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DebounceQueue } from '../../src/watch/debounce-queue.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('a burst becomes one batch once the stream is quiet', async () => {
  const batches: number[][] = [];
  const queue = new DebounceQueue<number>({ quietMs: 30, maxWaitMs: 1000 }, (b) => batches.push(b));
  for (let i = 0; i < 5; i++) {
    queue.push(i);
    await sleep(5);
  }
  assert.deepEqual(batches, []);
  await sleep(60);
  assert.deepEqual(batches, [[0, 1, 2, 3, 4]]);
  queue.push(9);
  await sleep(60);
  assert.deepEqual(batches, [[0, 1, 2, 3, 4], [9]]);
});

test('a constant stream is still flushed after maxWait', async () => {
  const batches: number[][] = [];
  const queue = new DebounceQueue<number>({ quietMs: 30, maxWaitMs: 60 }, (b) => batches.push(b));
  for (let i = 0; i < 20; i++) {
    queue.push(i);
    await sleep(10);
  }
  queue.close();
  assert.ok(batches.length >= 2, `got ${batches.length} batches`);
});

test('close drops what waits and ignores later pushes', async () => {
  const batches: number[][] = [];
  const queue = new DebounceQueue<number>({ quietMs: 10, maxWaitMs: 100 }, (b) => batches.push(b));
  queue.push(1);
  queue.close();
  queue.push(2);
  await sleep(30);
  assert.deepEqual(batches, []);
});

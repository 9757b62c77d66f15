import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DebounceQueue } from '../../src/watch/debounce-queue.js';
import { ManualClock } from '../support/manual-clock.js';

// Time is a ManualClock's: each test decides exactly when every push happens, whatever the machine's load.

test('a burst becomes one batch once the stream is quiet', () => {
  const clock = new ManualClock();
  const batches: number[][] = [];
  const queue = new DebounceQueue<number>({ quietMs: 30, maxWaitMs: 1000, clock }, (b) => batches.push(b));
  for (let i = 0; i < 5; i++) {
    queue.push(i);
    clock.advance(29);
  }
  assert.deepEqual(batches, [], 'each push within the quiet period restarts it');
  clock.advance(1);
  assert.deepEqual(batches, [[0, 1, 2, 3, 4]]);
  queue.push(9);
  clock.advance(29);
  assert.deepEqual(batches, [[0, 1, 2, 3, 4]]);
  clock.advance(1);
  assert.deepEqual(batches, [[0, 1, 2, 3, 4], [9]]);
  assert.equal(clock.pendingTimers, 0);
});

test('a constant stream is still flushed after maxWait, counted from its first item', () => {
  const clock = new ManualClock();
  const batches: number[][] = [];
  const queue = new DebounceQueue<number>({ quietMs: 30, maxWaitMs: 60, clock }, (b) => batches.push(b));
  for (let i = 0; i < 13; i++) {
    queue.push(i);
    clock.advance(10);
  }
  // Pushed at 0, 10, …, 120: the first batch is due 60 ms after item 0 (before item 6 comes), the
  // second 60 ms after item 6; item 12 still waits.
  assert.deepEqual(batches, [
    [0, 1, 2, 3, 4, 5],
    [6, 7, 8, 9, 10, 11],
  ]);
  assert.equal(queue.pending, 1);
  clock.advance(30);
  assert.deepEqual(batches.at(-1), [12]);
});

test('close drops what waits and ignores later pushes', () => {
  const clock = new ManualClock();
  const batches: number[][] = [];
  const queue = new DebounceQueue<number>({ quietMs: 10, maxWaitMs: 100, clock }, (b) => batches.push(b));
  queue.push(1);
  queue.close();
  queue.push(2);
  clock.advance(1000);
  assert.deepEqual(batches, []);
  assert.equal(clock.pendingTimers, 0);
});

test('without a clock it waits on real time', async () => {
  const batches: number[][] = [];
  const queue = new DebounceQueue<number>({ quietMs: 5, maxWaitMs: 50 }, (b) => batches.push(b));
  queue.push(1);
  queue.push(2);
  // However slow the machine, the batch comes whole and once; only how soon is left to the scheduler.
  while (batches.length === 0) await new Promise((resolve) => setTimeout(resolve, 5));
  assert.deepEqual(batches, [[1, 2]]);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { untilAborted } from '../../src/process/until-aborted.js';

test('the work\'s outcome when the signal does not fire', async () => {
  const controller = new AbortController();
  assert.equal(await untilAborted(Promise.resolve(7), controller.signal), 7);
  await assert.rejects(untilAborted(Promise.reject(new Error('boom')), controller.signal), /boom/);
});

test('the signal\'s reason as soon as it fires, while the work still runs', async () => {
  const controller = new AbortController();
  const never = new Promise<number>(() => {});
  const waiting = untilAborted(never, controller.signal);
  controller.abort(new Error('stopped'));
  await assert.rejects(waiting, /stopped/);
});

test('a signal that already fired rejects at once, with the reason the caller makes of it', async () => {
  const controller = new AbortController();
  controller.abort('cancelled by the user');
  const failing = Promise.reject(new Error('unobserved'));
  await assert.rejects(untilAborted(failing, controller.signal, (s) => new Error(`run ended: ${String(s.reason)}`)), /run ended: cancelled by the user/);
});

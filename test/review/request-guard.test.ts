import assert from 'node:assert/strict';
import { test } from 'node:test';
import { refusal } from '../../src/review/request-guard.js';

const expected = { token: 'secret-token', port: 4321 };
const get = (url: string, more: Partial<Parameters<typeof refusal>[0]> = {}) =>
  refusal({ method: 'GET', url: new URL(url, 'http://127.0.0.1:4321'), host: '127.0.0.1:4321', origin: undefined, headerToken: undefined, ...more }, expected);

test('reads need the token (query or header); a wrong one is 403, none is 401', () => {
  assert.equal(get('/?token=secret-token'), undefined);
  assert.equal(get('/api/bugs', { headerToken: 'secret-token' }), undefined);
  assert.equal(get('/')?.status, 401);
  assert.equal(get('/?token=')?.status, 401);
  assert.equal(get('/?token=secret-tokem')?.status, 403);
  assert.equal(get('/?token=secret')?.status, 403);
});

test('only the loopback address it listens on is answered (DNS rebinding), localhost included', () => {
  assert.equal(get('/?token=secret-token', { host: 'localhost:4321' }), undefined);
  assert.equal(get('/?token=secret-token', { host: 'evil.example:4321' })?.status, 403);
  assert.equal(get('/?token=secret-token', { host: '127.0.0.1:80' })?.status, 403);
  assert.equal(get('/?token=secret-token', { host: undefined })?.status, 403);
});

test('state changes need the token in the header, not in the URL, and not from another origin', () => {
  const post = (more: Partial<Parameters<typeof refusal>[0]>) => get('/api/review', { method: 'POST', ...more });
  assert.equal(post({ headerToken: 'secret-token' }), undefined);
  assert.equal(post({ headerToken: 'secret-token', origin: 'http://127.0.0.1:4321' }), undefined);
  assert.equal(post({ url: new URL('http://127.0.0.1:4321/api/review?token=secret-token') })?.status, 401);
  assert.equal(post({ headerToken: 'secret-token', origin: 'http://evil.example' })?.status, 403);
  assert.equal(post({ headerToken: 'nope' })?.status, 403);
});

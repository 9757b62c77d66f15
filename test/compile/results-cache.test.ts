import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { readCachedResult, resultKey, storeResult } from '../../src/compile/results-cache.js';
import { createContentCache } from '../../src/cache/content-cache.js';
import type { GeneratorPlugin } from '../../src/generate/generator.js';

const generator: GeneratorPlugin = { name: 'g', generate: async () => ({ status: 'unsupported', reason: 'no' }) };

test('a stored result does not carry the spending of the call that produced it', async () => {
  const cache = createContentCache(mkdtempSync(path.join(os.tmpdir(), 'bug-author-results-')));
  const key = resultKey(generator, [], 'a'.repeat(64));
  const usage = { calls: 2, cachedCalls: 0, promptTokens: 900, completionTokens: 100, costUsd: 0.01 };
  await storeResult(cache, key, { status: 'unsupported', reason: 'inserts a statement', usage });
  assert.deepEqual(await readCachedResult(cache, key), { status: 'unsupported', reason: 'inserts a statement' });
});

test('results are keyed by the engine that judged them: a fixed engine asks again', () => {
  const hash = 'a'.repeat(64);
  assert.notEqual(resultKey(generator, [], hash, 'engine-1'), resultKey(generator, [], hash, 'engine-2'));
  assert.notEqual(resultKey(generator, [], hash, 'engine-1'), resultKey(generator, [], hash));
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { inject } from '../../src/index.js';
import { parsePythonMany } from '../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../src/python/runtime.js';
import { sameTree } from '../../src/python/tree.js';
import { packageRoot } from '../../src/package-root.js';

interface Vector {
  id: string;
  feature: string;
  bug: object;
  source: string;
  expect: { ok: boolean; output: string | null; raises: string | null };
}

const vectorsFile = path.resolve(packageRoot, '..', 'shared', 'conformance', 'vectors.jsonl');
const vectors: Vector[] = existsSync(vectorsFile)
  ? readFileSync(vectorsFile, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as Vector)
  : [];

/** Object reprs such as `<ast.Constant object at 0x7f…>` differ from run to run. */
const withoutAddresses = (text: string) => text.replace(/ at 0x[0-9a-f]+>/g, ' at 0x…>');

test('conformance vectors from ../shared/conformance', { skip: vectors.length === 0 && `no vectors at ${vectorsFile}` }, async (t) => {
  const python = sharedPythonRuntime();
  const failures: string[] = [];
  for (const vector of vectors) {
    const got = await inject(vector.bug, vector.source, { python });
    const why = await compare(vector, got);
    if (why) failures.push(`${vector.id} [${vector.feature}]: ${why}`);
  }
  t.diagnostic(`${vectors.length - failures.length}/${vectors.length} vectors reproduced`);
  assert.deepEqual(failures, [], `${failures.length} of ${vectors.length} vectors differ`);
});

async function compare(vector: Vector, got: { ok: boolean; output: string | null; error?: string }): Promise<string | undefined> {
  const { expect } = vector;
  if (expect.raises) {
    if (got.output !== null || !got.error?.startsWith(expect.raises)) return `expected ${expect.raises}, got ok=${got.ok} error=${got.error}`;
    return undefined;
  }
  if (got.error) return `unexpected exception ${got.error}`;
  if (got.ok !== expect.ok) return `ok=${got.ok}, expected ${expect.ok}`;
  const [a, b] = await parsePythonMany(sharedPythonRuntime(), [got.output ?? '', expect.output ?? '']);
  if (a!.ok && b!.ok) return sameTree(a!.tree, b!.tree) ? undefined : 'output tree differs';
  return withoutAddresses(got.output ?? '') === withoutAddresses(expect.output ?? '') ? undefined : 'output text differs';
}

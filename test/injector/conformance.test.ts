import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { inject } from '../../src/index.js';
import { packageRoot } from '../../src/package-root.js';
import type { PythonRuntime } from '../../src/python/runtime.js';
import { sameProgram } from '../../src/python/same-program.js';
import { bothPythonBackends } from '../support/python-backends.js';

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

// The same vectors on both back-ends: the CPython worker (python3 from PATH) and pyodide.
for (const { name, kind, python, skip } of bothPythonBackends()) {
  test(`conformance vectors from ../shared/conformance, on ${name}`, { skip: (vectors.length === 0 && `no vectors at ${vectorsFile}`) || skip }, async (t) => {
    const failures: string[] = [];
    for (const vector of vectors) {
      const got = await inject(vector.bug, vector.source, { python });
      const why = await compare(vector, got, python);
      if (why) failures.push(`${vector.id} [${vector.feature}]: ${why}`);
    }
    assert.equal(python.backend?.kind, kind, 'the back-end asked for');
    t.diagnostic(`${vectors.length - failures.length}/${vectors.length} vectors reproduced on ${python.backend?.kind} ${python.backend?.version}`);
    assert.deepEqual(failures, [], `${failures.length} of ${vectors.length} vectors differ`);
  });
}

async function compare(vector: Vector, got: { ok: boolean; output: string | null; error?: string }, python: PythonRuntime): Promise<string | undefined> {
  const { expect } = vector;
  if (expect.raises) {
    if (got.output !== null || !got.error?.startsWith(expect.raises)) return `expected ${expect.raises}, got ok=${got.ok} error=${got.error}`;
    return undefined;
  }
  if (got.error) return `unexpected exception ${got.error}`;
  if (got.ok !== expect.ok) return `ok=${got.ok}, expected ${expect.ok}`;
  return (await sameProgram(python, got.output ?? '', expect.output ?? '')) ? undefined : 'output differs';
}

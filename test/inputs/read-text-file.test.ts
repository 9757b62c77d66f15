import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { InputError } from '../../src/errors.js';
import { readTextFile } from '../../src/inputs/read-text-file.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-text-'));

test('reads UTF-8 and drops a BOM', async () => {
  const file = path.join(dir, 'bom.txt');
  writeFileSync(file, Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('héllo\n')]));
  assert.equal(await readTextFile(file, 'symptom'), 'héllo\n');
});

test('non-UTF-8 text names the file and the line', async () => {
  const file = path.join(dir, 'latin1.patch');
  writeFileSync(file, Buffer.concat([Buffer.from('ok line\nsecond '), Buffer.from([0xe9]), Buffer.from('\n')]));
  await assert.rejects(readTextFile(file, 'patch'), (err: unknown) => err instanceof InputError && err.kind === 'not-utf8' && err.file === file && err.line === 2);
});

test('binary content is rejected', async () => {
  const file = path.join(dir, 'blob.py');
  writeFileSync(file, Buffer.from([0x64, 0x65, 0x66, 0x00, 0x01]));
  await assert.rejects(readTextFile(file, 'reference file'), (err: unknown) => err instanceof InputError && err.kind === 'binary' && /binary/.test(err.reason));
});

test('a missing file says which input is missing', async () => {
  await assert.rejects(readTextFile(path.join(dir, 'nope.py'), 'reference file'), /reference file not found/);
});

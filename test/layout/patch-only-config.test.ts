import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configWithPatchOnly, lineToAdd, patchOnlyEntry } from '../../src/layout/patch-only-config.js';

const entry = patchOnlyEntry('curricula/c/modules/m/bugs/x.patch', "inserts a statement (v2.1 can't)\nsecond line");

test('an entry is one line, its reason quoted safely', () => {
  assert.equal(entry, "{ patch: 'curricula/c/modules/m/bugs/x.patch', reason: 'inserts a statement (v2.1 can\\'t) second line' }");
  assert.equal(patchOnlyEntry('a/b.patch', '  '), "{ patch: 'a/b.patch' }");
  // What the edit writes is JavaScript that evaluates back to the same strings.
  const value = new Function(`return ${patchOnlyEntry('a\\b.patch', "it's \\ odd")};`)() as { patch: string; reason: string };
  assert.deepEqual(value, { patch: 'a\\b.patch', reason: "it's \\ odd" });
});

test('no config: a new one holding just the entry', () => {
  const result = configWithPatchOnly(undefined, entry);
  assert.ok('text' in result);
  assert.match(result.text, /^\/\/ Written by `bug-author review`/);
  assert.match(result.text, /export default \{\n {2}patchOnly: \[\n {4}\{ patch: 'curricula\/c\/modules\/m\/bugs\/x\.patch', reason: .* \},\n {2}\],\n\};\n$/);
});

test('a config without patchOnly gets the key after its opening brace; defineConfig too', () => {
  const plain = configWithPatchOnly("export default {\n  enginePickWarning: false,\n};\n", entry);
  assert.ok('text' in plain);
  assert.equal(plain.text, `export default {\n  patchOnly: [\n    ${entry},\n  ],\n  enginePickWarning: false,\n};\n`);
  const ts = configWithPatchOnly("import { defineConfig } from 'bug-author';\nexport default defineConfig({ concurrency: 2 });\n", entry);
  assert.ok('text' in ts);
  assert.match(ts.text, /defineConfig\(\{\n {2}patchOnly: \[\n {4}\{ patch: .*\},\n {2}\],\n {2}concurrency: 2 \}\);/);
});

test('an existing list gets the entry first: one a line, inline, or empty', () => {
  const multi = configWithPatchOnly("export default {\n  patchOnly: [\n    'a.patch',\n  ],\n};\n", entry);
  assert.ok('text' in multi);
  assert.equal(multi.text, `export default {\n  patchOnly: [\n    ${entry},\n    'a.patch',\n  ],\n};\n`);
  const inline = configWithPatchOnly("export default { patchOnly: ['a.patch'] };\n", entry);
  assert.ok('text' in inline);
  assert.equal(inline.text, `export default { patchOnly: [${entry}, 'a.patch'] };\n`);
  const empty = configWithPatchOnly("export default { patchOnly: [] };\n", entry);
  assert.ok('text' in empty);
  assert.equal(empty.text, `export default { patchOnly: [${entry}] };\n`);
});

test('a patchOnly the text does not show as a plain list is refused, and the line to add is given', () => {
  for (const text of [
    "const list = ['a.patch'];\nexport default { patchOnly: list };\n",
    "export default { patchOnly: ['a'].concat(more), patchOnly: [] };\n",
    "const patchOnly = [];\nexport default { patchOnly };\n",
  ]) {
    const result = configWithPatchOnly(text, entry);
    assert.ok('refused' in result, text);
    assert.equal(lineToAdd(text, entry), `${entry},`);
  }
  assert.ok('refused' in configWithPatchOnly('module.exports = require("./shared.js");\n', entry));
  assert.equal(lineToAdd('module.exports = require("./shared.js");\n', entry), `patchOnly: [${entry}],`);
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runInProcess } from '../support/cli-run.js';
import { projectWith } from '../support/project-with.js';

// A patch whose context lines changed only because today's function renamed its locals still
// applies with fuzz, as GNU patch would apply it; but its new code reads the old names. Compiling
// or refreshing it as it is would write down a NameError in place of the bug: it is a rotted patch.

const patchFile = 'curricula/c/modules/scale/bugs/wrong_bias.patch';
const reference = 'import torch\n\n\ndef scale(val, factor):\n    res = val * factor\n    bias = torch.zeros(1)\n    return res + bias\n';
const patch = '--- a/pkg/ops.py\n+++ b/pkg/ops.py\n@@ -4,4 +4,4 @@ def scale(x, factor):\n     y = x * factor\n-    bias = torch.zeros(1)\n+    bias = y.mean(dim=-1, keepdim=True)\n     return y + bias\n';

function project(): string {
  const symptom = 'The output is shifted by its own mean.\n';
  return projectWith({ 'modes/developer/pkg/ops.py': reference, [patchFile]: patch, 'curricula/c/modules/scale/bugs/wrong_bias_symptom.txt': symptom }, 'bug-author-lenient-');
}

test('a leniently placed patch whose new code reads renamed locals is not refreshed as it is, but drafted with today’s names', async () => {
  const root = project();
  const refresh = await runInProcess(['refresh-patch', patchFile], root);
  assert.equal(readFileSync(path.join(root, patchFile), 'utf8'), patch, 'not refreshed over the author’s patch');
  assert.doesNotMatch(refresh.stdout, /refreshed/);
  assert.match(refresh.stdout, /✎ curricula\/c\/modules\/scale\/bugs\/wrong_bias\.patch: applied as it is, its new code would read names today’s code renamed; draft /);
  const draft = path.join(root, '.bug-author/drafts', patchFile);
  assert.ok(existsSync(draft), refresh.stderr);
  const text = readFileSync(draft, 'utf8');
  assert.match(text, /^-    bias = torch\.zeros\(1\)\n\+    bias = res\.mean\(dim=-1, keepdim=True\)$/m);
  assert.deepEqual(JSON.parse(readFileSync(`${draft}.json`, 'utf8')).renamed, { y: 'res', x: 'val' });
});

test('when re-anchoring cannot rename it either, the patch is left alone and the reason names the renamed local', async () => {
  const root = project();
  const inString = patch.replace('+    bias = y.mean(dim=-1, keepdim=True)', '+    bias = torch.tensor(float(f"{y}" != ""))');
  writeFileSync(path.join(root, patchFile), inString);
  const refresh = await runInProcess(['refresh-patch', patchFile], root);
  assert.equal(refresh.code, 1);
  assert.equal(readFileSync(path.join(root, patchFile), 'utf8'), inString);
  assert.match(refresh.stderr, /wrong_bias\.patch: it applies only leniently \(hunk 1 applied with fuzz 1 \(context lines differ\)\), and its new code then reads `y`, which nothing defines in today's code/);
  assert.ok(!existsSync(path.join(root, '.bug-author/drafts', patchFile)));
});

test('build does not compile such a patch into a NameError: it fails as a rotted patch, pointing at refresh-patch', async () => {
  const root = project();
  const build = await runInProcess(['build', '--no-llm'], root);
  assert.equal(build.code, 1);
  assert.match(build.stdout, /✖ scale\/wrong_bias .*\n {4}curricula\/c\/modules\/scale\/bugs\/wrong_bias\.patch: it applies only leniently \(hunk 1 applied with fuzz 1 \(context lines differ\)\), and its new code then reads `y`, which nothing defines in today's code/);
  assert.match(build.stdout, /\n {6}bug-author refresh-patch curricula\/c\/modules\/scale\/bugs\/wrong_bias\.patch/);
  assert.ok(!existsSync(path.join(root, 'curricula/c/modules/scale/bugs/wrong_bias.json')), 'no JSON of another bug');
});

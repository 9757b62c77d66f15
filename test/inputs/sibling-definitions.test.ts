import assert from 'node:assert/strict';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { discoverBugs } from '../../src/discover/discover-bugs.js';
import { InputError } from '../../src/errors.js';
import { readBugInputs } from '../../src/inputs/read-bug-inputs.js';
import { projectWith } from '../support/project-with.js';

const patch = '--- a/pkg/tokenizer.py\n+++ b/pkg/tokenizer.py\n@@ -1,3 +1,3 @@ def train(text, size):\n     merges = []\n-    merges.append(text)\n+    merges.insert(0, text)\n     return merges\n';

async function inputError(files: Record<string, string>): Promise<InputError> {
  const root = projectWith({ 'curricula/c/modules/bpe/bugs/wrong_order.patch': patch, ...files }, 'bug-author-siblings-');
  const config = resolveConfig({}, root);
  const [bug] = await discoverBugs(config);
  const err = await readBugInputs(bug!, config).then(
    () => undefined,
    (e: unknown) => e,
  );
  assert.ok(err instanceof InputError, String(err));
  return err;
}

test('a patch naming a function its reference lacks names the file beside it that defines it', async () => {
  const err = await inputError({
    'modes/developer/pkg/tokenizer.py': 'def encode(text):\n    return list(text)\n',
    'modes/developer/pkg/bpe.py': 'def train(text, size):\n    merges = []\n    return merges\n',
    'modes/developer/pkg/other.py': 'def untrained():\n    return 1\n',
  });
  assert.equal(err.kind, 'does-not-apply');
  assert.match(err.reason, /changes `train`, but modes\/developer\/pkg\/tokenizer\.py has no `train`: .* \(modes\/developer\/pkg\/bpe\.py defines `train`: if the bug is there, name that file in the patch header\)$/);
  assert.doesNotMatch(err.reason, /other\.py/);
});

test('when no file beside it defines that function either, the reason stays as it was', async () => {
  const err = await inputError({ 'modes/developer/pkg/tokenizer.py': 'def encode(text):\n    return list(text)\n', 'modes/developer/pkg/bpe.py': 'def training(text):\n    return text\n' });
  assert.match(err.reason, /has no `train`: the patch header names the wrong file, or `train` was renamed or moved$/);
});

// Issue 16: faults found by a hostile user. Each test fails on the code before the fix: no stack
// trace, no data lost, no secret read, and the message names the file.
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runInProcess, STACK_FRAME } from '../support/cli-run.js';
import { disposableProjects } from '../watch/support/watch-fixture.js';

const project = disposableProjects();

/** Two hunks in one function of the fixture's ops.py. */
const TWO_HUNKS = `--- a/pkg/ops.py
+++ b/pkg/ops.py
@@ -4,3 +4,3 @@
 def scale(x, k):
-    y = x * k
+    y = x + k
     z = y + 1
@@ -7,2 +7,2 @@
     w = z * 2
-    return w
+    return w - 1
`;

test('16.2 a hunk header GNU patch cannot read: the build fails naming file and line, the verified JSON stays, check reports it', async () => {
  const p = project();
  const patch = 'curricula/c1/modules/scale/bugs/two_edits.patch';
  const json = 'curricula/c1/modules/scale/bugs/two_edits.json';
  p.write(patch, TWO_HUNKS);
  const built = await runInProcess(['build', '--no-llm', patch], p.root);
  assert.equal(built.code, 0, built.stdout);
  const verified = p.read(json);
  for (const header of ['@@ -7,x +7,y @@', '@@ 7,2 7,2 @@', '@ -7,2 +7,2 @@']) {
    p.write(patch, TWO_HUNKS.replace('@@ -7,2 +7,2 @@', header));
    const broken = await runInProcess(['build', '--no-llm', patch], p.root);
    assert.equal(broken.code, 1, broken.stdout);
    assert.match(broken.stdout, new RegExp(`✖ scale/two_edits .*\\n {4}${patch.replaceAll('.', '\\.')}:8: the hunk header \`${header.replace(/[+]/g, '\\+')}\` at line 8 cannot be read`));
    assert.equal(p.read(json), verified, `${header}: the verified two-hunk JSON is kept`);
    const checked = await runInProcess(['check'], p.root);
    assert.equal(checked.code, 1, checked.stdout);
    assert.match(checked.stdout, new RegExp(`${patch.replaceAll('.', '\\.')}:8: the hunk header`));
    assert.doesNotMatch(broken.stdout + broken.stderr + checked.stdout + checked.stderr, STACK_FRAME);
  }
});

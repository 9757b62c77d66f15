import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runInProcess } from '../support/cli-run.js';
import { ROTTED_PATCHES as PATCHES, rottedBug as bug, rottedProject as project } from '../support/rotted-project.js';

// Deterministic re-anchoring on hand-made rotted patches (see ../support/rotted-project.ts), one
// per situation found in real repositories: string quotes and a renamed local in the context, a
// docstring rewritten around the change, locals renamed consistently; and one it must refuse (a
// rename that would merge two variables into one, changing the bug's meaning).

const draftOf = (root: string, patch: string) => path.join(root, '.bug-author/drafts', patch);

test('refresh-patch drafts the same edit where the code is today; --accept-all moves them over; build compiles them', async () => {
  const root = project();
  const before = Object.fromEntries(Object.keys(PATCHES).map((p) => [p, readFileSync(path.join(root, p), 'utf8')]));
  const refresh = await runInProcess(['refresh-patch'], root);
  assert.equal(refresh.code, 1, 'one patch could not be repaired');
  for (const patch of Object.keys(PATCHES)) assert.equal(readFileSync(path.join(root, patch), 'utf8'), before[patch], 'drafts never go over the patch');

  const state = readFileSync(draftOf(root, bug('state', 'no_optimizer')), 'utf8');
  assert.match(state, /^-        "optimizer": optimizer\.state_dict\(\),$/m, 'found up to quote style');
  assert.match(state, /^     torch\.save\(payload, out\)$/m);
  const stateMeta = JSON.parse(readFileSync(`${draftOf(root, bug('state', 'no_optimizer'))}.json`, 'utf8'));
  assert.equal(stateMeta.tier, 'reanchor');
  assert.equal(stateMeta.how, 'renaming');
  assert.deepEqual(stateMeta.renamed, { checkpoint: 'payload' });
  assert.deepEqual(stateMeta.functions, ['save_state']);

  const silu = readFileSync(draftOf(root, bug('silu', 'no_multiply')), 'utf8');
  assert.match(silu, /^     """SiLU: x \* sigmoid\(x\)\."""\n-    return x \* torch\.sigmoid\(x\)\n\+    # BUG: the gate alone\n\+    return torch\.sigmoid\(x\)$/m, 'docstring context ignored');
  assert.equal(JSON.parse(readFileSync(`${draftOf(root, bug('silu', 'no_multiply'))}.json`, 'utf8')).how, 'formatting');

  const rotate = readFileSync(draftOf(root, bug('rotate', 'wrong_sign')), 'utf8');
  assert.match(rotate, /^-    x_rot_even = x_even \* cos - x_odd \* sin$/m);
  assert.match(rotate, /^\+    x_rot_even = x_even \* cos \+ x_odd \* sin  # sign flipped: cos$/m, 'the new line renamed the same way, its comment too');
  assert.match(rotate, /^     x_rot_odd = x_odd \* cos \+ x_even \* sin$/m, 'the line the patch rewrote unchanged is left as it is today');
  const rotateMeta = JSON.parse(readFileSync(`${draftOf(root, bug('rotate', 'wrong_sign'))}.json`, 'utf8'));
  assert.deepEqual(rotateMeta.renamed, { x_rotated_even: 'x_rot_even', cos_selected: 'cos', sin_selected: 'sin' });
  assert.equal(rotateMeta.verification.status, 'exact');
  assert.match(refresh.stdout, /✎ curricula\/c\/modules\/rotate\/bugs\/wrong_sign\.patch: .*re-anchored up to renamed locals \(x_rotated_even→x_rot_even, cos_selected→cos, sin_selected→sin\); synth exact, transfer \d+\/\d+/);

  assert.ok(!existsSync(draftOf(root, bug('attention', 'no_scale'))), 'no draft that would change the meaning');
  assert.match(refresh.stderr, /attention\/bugs\/no_scale\.patch: .*\n    re-anchoring: hunk 1: its removed code .* is not there, even up to formatting and renamed locals in `attention`/);

  // check lists them as hints, never as failures.
  const check = await runInProcess(['check', '--format', 'json'], root);
  const drafts = (JSON.parse(check.stdout) as { findings: { kind: string; severity: string; file: string; fix: string }[] }).findings.filter((f) => f.kind === 'draft');
  assert.equal(drafts.length, 3);
  assert.ok(drafts.every((f) => f.severity === 'warning' && /refresh-patch --accept/.test(f.fix)));

  // build lists them in its summary, and --review shows old and new.
  const listed = await runInProcess(['build', '--no-llm', '--review', 'review.md'], root);
  assert.match(listed.stdout, /Drafts of rotted patches waiting for review \(3\)/);
  const review = readFileSync(path.join(root, 'review.md'), 'utf8');
  assert.match(review, /## Drafts of rotted patches[\s\S]*\*\*Old patch\*\*[\s\S]*x_rotated_even[\s\S]*\*\*Draft\*\*[\s\S]*x_rot_even/);

  const accept = await runInProcess(['refresh-patch', '--accept-all'], root);
  assert.equal(accept.code, 0, accept.stderr);
  assert.equal(readFileSync(path.join(root, bug('rotate', 'wrong_sign')), 'utf8'), rotate);
  const build = await runInProcess(['build', '--no-llm'], root);
  for (const id of ['rotate/wrong_sign', 'silu/no_multiply']) assert.match(build.stdout, new RegExp(`✔ ${id} +synth +exact +transfer \\d+/\\d+`));
  assert.match(build.stdout, /state\/no_optimizer +synth +exact|state\/no_optimizer .*patch-only/);
  assert.doesNotMatch(build.stdout, /Drafts of rotted patches/);
});

test('a draft whose patch changed since is not accepted; neither is one over uncommitted edits without --force', async () => {
  const root = project();
  await runInProcess(['refresh-patch', bug('silu', 'no_multiply')], root);
  writeFileSync(path.join(root, bug('silu', 'no_multiply')), `${PATCHES[bug('silu', 'no_multiply')]}\n`);
  const stale = await runInProcess(['refresh-patch', '--accept', bug('silu', 'no_multiply'), '--force'], root);
  assert.equal(stale.code, 1);
  assert.match(stale.stderr, /changed since the draft was made; make it again/);

  await runInProcess(['refresh-patch', bug('silu', 'no_multiply')], root);
  const dirty = await runInProcess(['refresh-patch', '--accept', 'silu/no_multiply'], root);
  assert.equal(dirty.code, 1);
  assert.match(dirty.stderr, /the patch has edits git has not committed, so its old text would be lost/);
  assert.equal((await runInProcess(['refresh-patch', '--accept', 'silu/no_multiply', '--force'], root)).code, 0);
});

test('with repair.inBuild, build drafts repairs of its rotted patches too (offline with --no-llm) and lists them', async () => {
  const root = project();
  writeFileSync(path.join(root, 'bug-author.config.mjs'), 'export default { repair: { inBuild: true } };\n');
  const build = await runInProcess(['build', '--no-llm'], root);
  assert.equal(build.code, 1, 'the rotted bugs still fail: a draft is only a proposal');
  assert.match(build.stdout, /✎ rotate\/wrong_sign: draft \.bug-author\/drafts\/curricula\/c\/modules\/rotate\/bugs\/wrong_sign\.patch: re-anchored up to renamed locals/);
  assert.match(build.stdout, /· attention\/no_scale: no draft for curricula\/c\/modules\/attention\/bugs\/no_scale\.patch: re-anchoring: /);
  assert.match(build.stdout, /Drafts of rotted patches waiting for review \(3\)/);
  assert.ok(existsSync(draftOf(root, bug('silu', 'no_multiply'))));
});

test('a draft reading a name the old code had but today’s code does not define is never offered; a name the bug brings in itself is', async () => {
  const renamedAway = bug('rotate', 'scaled_sin');
  const typo = bug('rotate', 'typo');
  const root = project({
    // `scale` was a parameter then (the heading says so); today nothing defines it.
    [renamedAway]: `--- a/pkg/train.py\n+++ b/pkg/train.py\n@@ -20,3 +20,3 @@ def rotate(x_even, x_odd, angle, scale):\n     cos_selected = torch.cos(angle)\n-    sin_selected = torch.sin(angle)\n+    sin_selected = torch.sin(angle) * scale\n`,
    // The misspelling is the bug: the old code never had `angel` either.
    [typo]: `--- a/pkg/train.py\n+++ b/pkg/train.py\n@@ -20,3 +20,3 @@ def rotate(x_even, x_odd, angle):\n     cos_selected = torch.cos(angle)\n-    sin_selected = torch.sin(angle)\n+    sin_selected = torch.sin(angel)\n`,
  });
  const refresh = await runInProcess(['refresh-patch', renamedAway, typo], root);
  assert.ok(!existsSync(draftOf(root, renamedAway)), 'sin * scale would be a NameError, not the bug');
  assert.match(refresh.stderr, /scaled_sin\.patch: [\s\S]*re-anchoring: found the same edit .*, but it reads `scale`, which nothing defines in today's code/);
  assert.ok(existsSync(draftOf(root, typo)), refresh.stderr);
});

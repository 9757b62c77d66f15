import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeFindings } from '../../src/check/describe-findings.js';
import type { BugRef } from '../../src/discover/bug-ref.js';
import { InputError } from '../../src/errors.js';

const root = '/curriculum';
const bug = {
  id: 'softmax/no_subtract_max',
  module: 'softmax',
  name: 'no_subtract_max',
  patchFile: `${root}/modules/softmax/bugs/no_subtract_max.patch`,
  outputFile: `${root}/modules/softmax/bugs/no_subtract_max.json`,
} as BugRef;
const say = describeFindings(bug, { root, staged: false });

test('a JSON that does not verify is fixed by rebuilding it, or by hand when it is hand-written', () => {
  assert.equal(say.doesNotVerify({ verdict: 'no-match', reason: 'pass 1 matched nothing' }, 'reference', false).fix, 'bug-author build --force modules/softmax/bugs/no_subtract_max.patch');
  assert.match(say.doesNotVerify({ verdict: 'no-match' }, 'reference', true).fix, /^fix modules\/softmax\/bugs\/no_subtract_max\.json by hand/);
});

test('when the engine judge itself could not run, the fix is the engine, not a rebuild of the JSON', () => {
  const finding = say.doesNotVerify({ verdict: 'error', reason: "the engine's injector could not be loaded: ModuleNotFoundError", engineFailed: true }, 'reference', false);
  assert.equal(finding.severity, 'error');
  assert.match(finding.message, /could not be loaded: ModuleNotFoundError/);
  assert.doesNotMatch(finding.fix, /--force/);
  assert.match(finding.fix, /engine: 'off'/);
});

test('a patch that no longer applies is fixed with refresh-patch first; other broken inputs by hand', () => {
  const rotted = say.inputError(new InputError('does-not-apply', `${root}/modules/softmax/bugs/no_subtract_max.patch`, 'hunk 1 of 1: the code it removes, `x = 1`, no longer exists in pkg/m.py', 3));
  assert.match(rotted.fix, /^bug-author refresh-patch modules\/softmax\/bugs\/no_subtract_max\.patch \(drafts a repair for review\), or fix modules\/softmax\/bugs\/no_subtract_max\.patch by hand/);
  const unreadable = say.inputError(new InputError('bad-patch', `${root}/modules/softmax/bugs/no_subtract_max.patch`, 'not a unified diff'));
  assert.equal(unreadable.fix, 'fix modules/softmax/bugs/no_subtract_max.patch, then run: bug-author build modules/softmax/bugs/no_subtract_max.patch');
});

test('a stale patch is refreshed with refresh-patch, except one with no reference to refresh it against', () => {
  const fresh = say.stalePatch('its hunk line counts are wrong (it was recounted)', 'hunk 1 recounted');
  assert.equal(fresh.fix, 'bug-author refresh-patch modules/softmax/bugs/no_subtract_max.patch');
  const snippet = say.stalePatch('its hunk line counts are wrong (it was recounted)', 'hunk 1 recounted', 'reference pkg/nn.py not found (tried modes/developer/pkg/nn.py)');
  assert.doesNotMatch(snippet.fix, /refresh-patch/, 'refresh-patch refuses a patch without its reference');
  assert.match(snippet.fix, /^correct modules\/softmax\/bugs\/no_subtract_max\.patch by hand/);
  assert.match(snippet.message, /cannot rewrite it, as it has no reference to rewrite it against \(reference pkg\/nn\.py not found/);
});

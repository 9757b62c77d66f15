import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BugDefinition } from '../../src/injector/definition.js';
import { classifyOutputText } from '../../src/outputs/existing-output.js';
import { withProvenance, type Provenance } from '../../src/outputs/provenance.js';
import { serializeDefinition } from '../../src/outputs/write-definition.js';
import { weakerReplacement } from '../../src/outputs/replacement-guard.js';

const body: BugDefinition = {
  id: 'scale-no-factor',
  description: 'the factor is ignored',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'scale',
  logic: [{ pass: 1, type: 'find_and_replace', description: 'drop the factor', pattern: { node_type: 'BinOp', op: 'Mult' }, replacement: { type: 'replace_with', source: 'node.left' } }],
  metadata: {},
};

function onDisk(provenance: Partial<Omit<Provenance, 'output_hash'>>) {
  const stamped = withProvenance(body, {
    generator: 'synth',
    input_hash: 'a'.repeat(64),
    inputs: { patch: 'c/m/bugs/b.patch', reference: 'modes/developer/pkg/ops.py' },
    format: 'v2.1',
    tool_version: '0.1.0',
    verdict: 'exact',
    ...provenance,
  });
  return classifyOutputText(serializeDefinition(stamped));
}

test('a snippet-mode definition may not replace one verified against the reference', () => {
  const verified = onDisk({});
  assert.equal(verified.state, 'generated');
  assert.match(weakerReplacement(verified, { verdict: 'exact', snippet: true }) ?? '', /verified against the reference modes\/developer\/pkg\/ops\.py.*snippet mode/);
  assert.equal(weakerReplacement(verified, { verdict: 'exact', snippet: false }), undefined);
});

test('a non-exact definition may not replace an exact one', () => {
  assert.match(weakerReplacement(onDisk({}), { verdict: 'differs', snippet: false }) ?? '', /`differs` definition would replace one verified `exact`/);
  assert.match(weakerReplacement(onDisk({ snippet: true }), { verdict: 'no-match', snippet: true }) ?? '', /`no-match`/);
});

test('nothing stronger to lose: snippet over snippet, anything over missing or unreadable JSON', () => {
  assert.equal(weakerReplacement(onDisk({ snippet: true }), { verdict: 'exact', snippet: true }), undefined);
  assert.equal(weakerReplacement({ state: 'missing' }, { verdict: 'exact', snippet: true }), undefined);
  assert.equal(weakerReplacement(classifyOutputText('{ not json'), { verdict: 'exact', snippet: true }), undefined);
});

const transfer = (exact: number, worst: 'exact' | 'no-match' | 'wrong') => ({ exact, total: 5, worst, variants: [] });

test('a definition that transfers worse may not replace one that still verifies, even with --force', () => {
  const verified = onDisk({ transfer: { exact: 5, total: 5, worst: 'exact' } });
  const candidate = { verdict: 'exact' as const, snippet: false, transfer: transfer(3, 'no-match') };
  assert.match(weakerReplacement(verified, candidate, { force: true }) ?? '', /still verifies `exact` and injects exactly into 5\/5 student-style variants; the new definition only into 3\/5 \(worst: no-match\)/);
  assert.match(weakerReplacement(verified, candidate, { current: { verdict: 'exact', transfer: transfer(5, 'exact') } }) ?? '', /5\/5/);
  assert.equal(weakerReplacement(verified, { ...candidate, transfer: transfer(5, 'exact') }, { force: true }), undefined, 'as good is no loss');
  // A worse worst outcome loses even with more exact variants; a better one wins with fewer.
  assert.match(weakerReplacement(onDisk({ transfer: { exact: 3, total: 5, worst: 'no-match' } }), { ...candidate, transfer: transfer(4, 'wrong') }) ?? '', /worst: wrong/);
  assert.equal(weakerReplacement(onDisk({ transfer: { exact: 4, total: 5, worst: 'wrong' } }), { ...candidate, transfer: transfer(2, 'no-match') }), undefined);
  // The transfer measured now counts over the one recorded.
  assert.equal(weakerReplacement(verified, candidate, { current: { verdict: 'exact', transfer: transfer(3, 'no-match') } }), undefined);
});

test('nothing to lose when the JSON on disk no longer verifies exact for the current inputs', () => {
  const verified = onDisk({ transfer: { exact: 5, total: 5, worst: 'exact' } });
  assert.equal(weakerReplacement(verified, { verdict: 'exact', snippet: false, transfer: transfer(1, 'no-match') }, { force: true, current: { verdict: 'differs' } }), undefined);
});

test('another reference the JSON does not inject into is kept unless --force; one it still injects into is no loss', () => {
  const verified = onDisk({});
  const candidate = { verdict: 'exact' as const, snippet: false, reference: 'src/pkg/ops.py' };
  assert.match(
    weakerReplacement(verified, candidate, { current: { verdict: 'no-match' } }) ?? '',
    /verified against the reference modes\/developer\/pkg\/ops\.py, but the current inputs resolve src\/pkg\/ops\.py, where it does not inject exactly/,
  );
  assert.equal(weakerReplacement(verified, candidate, { force: true, current: { verdict: 'no-match' } }), undefined);
  assert.equal(weakerReplacement(verified, candidate, { current: { verdict: 'exact' } }), undefined);
  assert.equal(weakerReplacement(onDisk({}), { verdict: 'exact', snippet: true }, { force: true }), undefined, '--force accepts snippet mode');
});

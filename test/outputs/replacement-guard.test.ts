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

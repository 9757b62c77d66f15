import assert from 'node:assert/strict';
import { test } from 'node:test';
import { foldLadders } from '../../src/review/fold-ladders.js';

const track = (pass: number, description: string) => ({ pass, type: 'find_and_track', description, pattern: { node_type: 'Assign' }, track_as: { [`s${pass}`]: 'node.lineno' } });
const replace = (pass: number) => ({ pass, type: 'find_and_replace', description: 'Replace it', pattern: { node_type: 'Assign' }, replacement: { type: 'replace_value_with', source: 'x' } });

test('consecutive track passes for the same site fold into one ladder; others stay single', () => {
  const groups = foldLadders([
    track(1, 'Find `y = a * b` in `f` as written'),
    track(2, 'Find `y = a * b` in `f` with the operands swapped'),
    track(3, 'Find `y = a * b` in `f` through a helper'),
    track(4, 'Find `z = c` in `f`, then remember it'),
    replace(5),
    track(6, 'Find `y = a * b` in `f` again'),
  ]);
  assert.deepEqual(
    groups.map((g) => (g.kind === 'ladder' ? `ladder ${g.site} ${g.passes.map((p) => p.pass).join(',')}` : `pass ${g.pass.pass}`)),
    ['ladder Find `y = a * b` 1,2,3', 'pass 4', 'pass 5', 'pass 6'],
  );
});

test('without a code span, the first clause names the site; passes without descriptions never fold', () => {
  const groups = foldLadders([track(1, 'Track the loss: plain'), track(2, 'Track the loss: renamed'), { pass: 3, type: 'find_and_track' }, { pass: 4, type: 'find_and_track' }]);
  assert.deepEqual(groups.map((g) => g.kind), ['ladder', 'pass', 'pass']);
});

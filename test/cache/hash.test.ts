import assert from 'node:assert/strict';
import { test } from 'node:test';
import { stableStringify } from '../../src/cache/hash.js';

/** What stable JSON means: JSON.stringify of the value with each object rebuilt with its keys sorted. */
const bySortedCopy = (value: unknown): string =>
  JSON.stringify(value, (_key, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : v,
  );

test('stable JSON sorts keys at every depth, whatever order they were written in', () => {
  const a = { b: 1, a: { z: [1, { y: 2, x: 3 }], c: 'é\n"' } };
  const b = { a: { c: 'é\n"', z: [1, { x: 3, y: 2 }] }, b: 1 };
  assert.equal(stableStringify(a), stableStringify(b));
  assert.equal(stableStringify(a), '{"a":{"c":"é\\n\\"","z":[1,{"x":3,"y":2}]},"b":1}');
});

test('stable JSON is the text hashes were made of before: the same as stringifying a sorted copy, edge cases included', () => {
  const values: unknown[] = [
    null,
    'text',
    0,
    -1.5e-7,
    Number.NaN,
    Number.POSITIVE_INFINITY,
    true,
    [],
    {},
    [undefined, () => 1, Symbol('s'), null, Number.NaN],
    { skipped: undefined, fn: () => 1, kept: null },
    { 10: 'ten', 2: 'two', b: 'b', a: 'a', '01': 'not an index', '-1': 'neither', 4294967295: 'too large for an index' },
    { when: new Date('2025-01-02T03:04:05Z'), nested: { lineno: { $py: 'int', value: 3 }, _type: 'Name', id: '_var0' } },
    { '\u2028': 'separator', '\ud83d\ude00': 'emoji', '\u00e9': 'é', E: 'E', e: 'e' },
  ];
  values.forEach((value, i) => assert.equal(stableStringify(value), bySortedCopy(value), `value ${i}`));
});

test('stable JSON of a real definition-sized value matches the sorted copy', () => {
  const node = (depth: number): unknown =>
    depth === 0 ? { $py: 'int', value: depth } : { _type: 'BinOp', right: node(depth - 1), left: [node(depth - 1), 'x'], op: { _type: 'Add' }, lineno: depth };
  const value = { logic: Array.from({ length: 5 }, (_, i) => ({ pass: i + 1, pattern: node(6), track_as: { site1_line: 'node.lineno' } })) };
  assert.equal(stableStringify(value), bySortedCopy(value));
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { longestCommonSubsequence } from '../../src/python/common-subsequence.js';
import type { PyValue } from '../../src/python/tree.js';

// The alignment every diff of statements starts from: a longest common subsequence, whose common
// head and tail are paired without the quadratic table (a module of thousands of statements).

const statement = (name: string): PyValue => ({ _type: 'Expr', value: { _type: 'Name', id: name, ctx: { _type: 'Load' } } });
const names = (text: string) => [...text].map(statement);

/** The textbook table, for lengths. */
function lcsLength(a: string, b: string): number {
  const t = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) for (let j = b.length - 1; j >= 0; j--) t[i]![j] = a[i] === b[j] ? t[i + 1]![j + 1]! + 1 : Math.max(t[i + 1]![j]!, t[i]![j + 1]!);
  return t[0]![0]!;
}

test('pairs equal elements in order, as many as the textbook table finds', () => {
  let seed = 7;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let round = 0; round < 300; round++) {
    const word = (n: number) => Array.from({ length: n }, () => 'abcd'[Math.floor(random() * 4)]).join('');
    const a = word(Math.floor(random() * 12));
    const b = word(Math.floor(random() * 12));
    const pairs = longestCommonSubsequence(names(a), names(b));
    assert.equal(pairs.length, lcsLength(a, b), `${a} / ${b}`);
    for (const [k, [i, j]] of pairs.entries()) {
      assert.equal(a[i], b[j]);
      if (k > 0) assert.ok(i > pairs[k - 1]![0] && j > pairs[k - 1]![1], 'in order');
    }
  }
});

test('a module of 20,000 statements with one changed: everything else is paired, one to one', () => {
  const before = Array.from({ length: 20_000 }, (_, i) => statement(`s${i}`));
  const after = [...before];
  after[12_345] = statement('changed');
  const pairs = longestCommonSubsequence(before, after);
  assert.equal(pairs.length, 19_999);
  assert.ok(pairs.every(([i, j]) => i === j && i !== 12_345));
});

import { sameTree, type PyValue } from './tree.js';

/**
 * Index pairs of equal (`sameTree`) elements, in order, as many as possible. The common head and
 * tail are paired first, in linear time, so the quadratic table covers only what lies between
 * (for a patch, a few statements), not a whole module of thousands of statements.
 */
export function longestCommonSubsequence(before: readonly PyValue[], after: readonly PyValue[]): Array<readonly [number, number]> {
  let head = 0;
  while (head < before.length && head < after.length && sameTree(before[head], after[head])) head++;
  let tail = 0;
  while (tail < before.length - head && tail < after.length - head && sameTree(before[before.length - 1 - tail], after[after.length - 1 - tail])) tail++;
  const pairs: Array<readonly [number, number]> = [];
  for (let k = 0; k < head; k++) pairs.push([k, k]);
  for (const [i, j] of middle(before.slice(head, before.length - tail), after.slice(head, after.length - tail))) pairs.push([head + i, head + j]);
  for (let k = tail; k > 0; k--) pairs.push([before.length - k, after.length - k]);
  return pairs;
}

/** The classic table, one typed row per element of `before`. */
function middle(before: readonly PyValue[], after: readonly PyValue[]): Array<readonly [number, number]> {
  const n = before.length;
  const m = after.length;
  if (n === 0 || m === 0) return [];
  const width = m + 1;
  const length = new Uint32Array((n + 1) * width);
  const same = new Uint8Array(n * m);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const equal = sameTree(before[i], after[j]);
      same[i * m + j] = equal ? 1 : 0;
      length[i * width + j] = equal ? length[(i + 1) * width + j + 1]! + 1 : Math.max(length[(i + 1) * width + j]!, length[i * width + j + 1]!);
    }
  }
  const pairs: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (same[i * m + j] && length[i * width + j] === length[(i + 1) * width + j + 1]! + 1) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (length[(i + 1) * width + j]! >= length[i * width + j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  return pairs;
}

import { sameTree, type PyValue } from './tree.js';

/** Index pairs of equal (`sameTree`) elements, in order, as many as possible. */
export function longestCommonSubsequence(before: readonly PyValue[], after: readonly PyValue[]): Array<readonly [number, number]> {
  const n = before.length;
  const m = after.length;
  const length: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      length[i]![j] = sameTree(before[i], after[j]) ? length[i + 1]![j + 1]! + 1 : Math.max(length[i + 1]![j]!, length[i]![j + 1]!);
    }
  }
  const pairs: Array<readonly [number, number]> = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (sameTree(before[i], after[j]) && length[i]![j] === length[i + 1]![j + 1]! + 1) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if (length[i + 1]![j]! >= length[i]![j + 1]!) {
      i++;
    } else {
      j++;
    }
  }
  return pairs;
}

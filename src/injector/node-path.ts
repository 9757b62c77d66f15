import { getAttr, isNode, type PyValue } from '../python/tree.js';

const PART = /^([^[\]]*)(?:\[(-?\d+)\])?$/;

/**
 * Evaluates `node.a.b[0].c` on a matched node. The first part stands for the node itself;
 * anything missing (or None) yields undefined.
 */
export function resolveNodePath(node: PyValue | undefined, path: string): PyValue | undefined {
  const parts = path.split('.');
  let current: PyValue | undefined = node;
  for (const part of parts.slice(1)) {
    const m = PART.exec(part);
    if (!m) return undefined;
    current = getAttr(current, m[1]!);
    if (current === undefined || current === null) return undefined;
    if (m[2] !== undefined) {
      current = indexInto(current, Number(m[2]));
      if (current === undefined || current === null) return undefined;
    }
  }
  return current === null ? undefined : current;
}

function indexInto(value: PyValue, index: number): PyValue | undefined {
  if (Array.isArray(value) || typeof value === 'string') {
    const i = index < 0 ? value.length + index : index;
    if (i < 0 || i >= value.length) return undefined;
    return Array.isArray(value) ? value[i] : value[i]!;
  }
  return isNode(value) ? undefined : undefined;
}

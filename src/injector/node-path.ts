import { getAttr, type PyValue } from '../python/tree.js';
import { PythonException } from './python-exception.js';

/**
 * Evaluates `node.a.b[0].c` on a matched node, as the engine does: the first part stands for the
 * node itself; each part is an attribute with an optional `[index]` into a list; anything
 * missing (or None) yields undefined. A non-integer index raises, like Python's int().
 */
export function resolveNodePath(node: PyValue | undefined, path: string): PyValue | undefined {
  let current: PyValue | undefined = node;
  for (const part of path.split('.').slice(1)) {
    const open = part.indexOf('[');
    if (open >= 0) {
      const close = part.indexOf(']');
      if (close < 0) throw new PythonException('ValueError', 'substring not found');
      const indexText = part.slice(open + 1, close);
      if (!/^\s*[+-]?\d+\s*$/.test(indexText)) {
        throw new PythonException('ValueError', `invalid literal for int() with base 10: '${indexText}'`);
      }
      const index = Number(indexText);
      current = getAttr(current, part.slice(0, open));
      if (!Array.isArray(current) || index >= current.length) return undefined;
      if (index < -current.length) throw new PythonException('IndexError', 'list index out of range');
      current = current[index < 0 ? current.length + index : index];
    } else {
      current = getAttr(current, part);
    }
    if (current === undefined) return undefined;
  }
  return current === null ? undefined : current;
}

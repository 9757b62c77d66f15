// A literal `replace_value_with` writes the reference's whole new value over whatever the student
// wrote there. That is the intended bug only where the student's old value is the reference's
// in every part the new value keeps: `min(b, a)` rewritten as the reference's `max(a, b)`, or
// `self.grid[r][c]` as `self.rows[c][r]`, is another program. The replace pattern therefore
// requires, exactly, each part of the old value that shares code with the new one; a part the
// patch drops entirely (`-1` in `return -1` → `return lo`) may be anything.
import type { Pattern } from '../../src/plugin-kit.js';
import { attributesOf, fieldsOf, getAttr, isNode, isScalar, patternValueOf, sameTree, walk, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import type { Encoding } from './edit-classifier.js';

/** Fields the injector's matching never needs here (contexts, comments, string kinds). */
const IGNORED_FIELDS = new Set(['ctx', 'type_comment', 'kind', 'type_params']);

/** The replace pattern requiring the parts of the old value a literal rewrite keeps; unchanged for any other edit. */
export function requireRewrittenParts(pattern: Pattern, encoding: Encoding): Pattern {
  if (encoding.type !== 'replace_value_with' || encoding.sourceKind !== 'text') return pattern;
  const old = getAttr(encoding.target, 'value');
  if (!isNode(old)) return pattern;
  const written = [...walk(encoding.value)].filter(isExpression);
  const sharesCode = (node: PyNode): boolean => [...walk(node)].some((part) => isExpression(part) && written.some((w) => sameTree(part, w)));
  if (!sharesCode(old)) return pattern;
  const required = exactly(old, sharesCode);
  const merged = structuredClone(pattern);
  merged.value = merge(merged.value, required);
  return merged;
}

/** Nodes with a position: expressions (and statements), not operators or contexts. */
function isExpression(node: PyNode): boolean {
  return attributesOf(node).includes('lineno');
}

/** The node as a pattern, every field stated, except parts that share no code with the new value (any node there). */
function exactly(node: PyNode, sharesCode: (node: PyNode) => boolean): Pattern {
  if (isExpression(node) && !sharesCode(node)) return {};
  const out: Pattern = { node_type: node._type };
  for (const field of fieldsOf(node)) {
    if (IGNORED_FIELDS.has(field) || !Object.prototype.hasOwnProperty.call(node, field)) continue;
    const value = node[field]!;
    if (field === 'op' && isNode(value)) {
      out[field] = value._type;
      continue;
    }
    const stated = statedValue(value, sharesCode);
    if (stated !== undefined) out[field] = stated.value;
  }
  return out;
}

function statedValue(value: PyValue, sharesCode: (node: PyNode) => boolean): { value: unknown } | undefined {
  if (isNode(value)) return { value: exactly(value, sharesCode) };
  if (Array.isArray(value)) return { value: value.map((item) => (isNode(item) ? exactly(item, sharesCode) : {})) };
  if (value === null) return undefined;
  if (isScalar(value) || typeof value === 'string' || typeof value === 'boolean') return patternValueOf(value);
  return undefined;
}

/** `required` added to what the pattern already says; a name required by relation (`from_context`) stays so. */
function merge(existing: unknown, required: unknown): unknown {
  if (existing === undefined) return required;
  if (isPlain(existing) && 'from_context' in existing) return existing;
  if (isPlain(existing) && isPlain(required)) {
    const out: Record<string, unknown> = { ...existing };
    for (const [key, value] of Object.entries(required)) out[key] = merge(existing[key], value);
    return out;
  }
  if (Array.isArray(existing) && Array.isArray(required) && existing.length === required.length) return existing.map((item, i) => merge(item, required[i]));
  return existing;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

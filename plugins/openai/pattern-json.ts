import { patternValueOf } from '../../src/plugin-kit.js';
import { fieldsOf, isNode, isScalar, type PyNode, type PyValue } from '../../src/plugin-kit.js';

/** Fields that only add noise to a pattern (they can still be named in a pattern, but rarely need to be). */
const NOISE_FIELDS = new Set(['ctx', 'type_comment', 'kind', 'type_ignores', 'type_params']);
/** Operator fields the injector compares by class name (`"op": "Sub"`). */
const OPERATOR_FIELD = 'op';
/** Fields where an empty list is informative (list patterns must have the same length). */
const KEEP_EMPTY_LISTS = new Set(['args', 'keywords', 'targets', 'elts']);

export interface PatternJsonOptions {
  /** Deeper nodes are shown as `{"node_type": "X", "…": "…"}`. */
  maxDepth?: number;
}

/**
 * A tree node in the form a v2.1 pattern is written in: `node_type` plus fields, operators as
 * class names, numbers as JSON numbers, no positions. Matching this exact JSON against the node
 * succeeds (apart from the elided parts beyond maxDepth).
 */
export function toPatternJson(node: PyNode, options: PatternJsonOptions = {}): Record<string, unknown> {
  return convertNode(node, 0, options.maxDepth ?? Number.POSITIVE_INFINITY);
}

function convertNode(node: PyNode, depth: number, maxDepth: number): Record<string, unknown> {
  const out: Record<string, unknown> = { node_type: node._type };
  if (depth >= maxDepth) {
    out['…'] = '…';
    return out;
  }
  for (const field of fieldsOf(node)) {
    if (NOISE_FIELDS.has(field) || !Object.prototype.hasOwnProperty.call(node, field)) continue;
    const value = node[field]!;
    if (field === OPERATOR_FIELD && isNode(value)) {
      out[field] = value._type;
      continue;
    }
    if (value === null && !(node._type === 'Constant' && field === 'value')) continue;
    if (Array.isArray(value) && value.length === 0 && !KEEP_EMPTY_LISTS.has(field)) continue;
    out[field] = convertValue(value, depth + 1, maxDepth);
  }
  return out;
}

function convertValue(value: PyValue, depth: number, maxDepth: number): unknown {
  if (isNode(value)) return convertNode(value, depth, maxDepth);
  if (Array.isArray(value)) return value.map((item) => convertValue(item, depth, maxDepth));
  if (isScalar(value)) {
    const exact = patternValueOf(value);
    if (exact) return exact.value;
    switch (value.$py) {
      case 'int':
      case 'float':
        return value.v;
      case 'ellipsis':
        return '...';
      default:
        return `<${value.$py} ${'v' in value ? value.v : ''}>`;
    }
  }
  return value;
}

/** Compact one-line JSON for prompts. */
export function patternJsonText(node: PyNode, options?: PatternJsonOptions): string {
  return JSON.stringify(toPatternJson(node, options));
}

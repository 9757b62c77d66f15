import { attributesOf, fieldsOf, getAttr, hasAttr, isNode, pyTypeName, type PyNode, type PyValue } from '../python/tree.js';
import type { Pattern, Replacement } from './definition.js';
import { matchesPattern, type TrackedContext } from './match-pattern.js';
import { resolveNodePath } from './node-path.js';
import { PythonException } from './python-exception.js';

/** What a replacement yields: a value to put in the node's place, or removal. */
const REMOVED = Symbol('removed');
type Outcome = PyValue | typeof REMOVED;

export interface ReplacePassResult {
  tree: PyValue | undefined;
  replacements: number;
  /** A replacement made a node without a position (ast.fix_missing_locations has work to do). */
  unpositioned: boolean;
}

/** Expression texts of `replace_value_with` sources, already parsed by CPython (null: did not parse). */
export type ParsedExpressions = ReadonlyMap<string, PyNode | null>;

/**
 * A find_and_replace pass, as an ast.NodeTransformer over the whole tree: each node matching
 * the pattern is replaced and its children are not visited; lists drop removed items and
 * splice in non-node results, single fields are deleted when their node is removed.
 */
export function runReplacePass(
  tree: PyNode,
  pattern: Pattern,
  replacement: Partial<Replacement>,
  context: TrackedContext,
  expressions: ParsedExpressions,
): ReplacePassResult {
  let replacements = 0;
  let unpositioned = false;

  const visit = (node: PyNode): Outcome => {
    if (matchesPattern(node, pattern, context)) {
      replacements++;
      const result = applyReplacement(node, replacement, expressions);
      if (isNode(result) && !Object.prototype.hasOwnProperty.call(result, 'lineno') && attributesOf(result).includes('lineno')) unpositioned = true;
      return result;
    }
    visitChildren(node);
    return node;
  };

  const visitChildren = (node: PyNode): void => {
    for (const field of fieldsOf(node)) {
      if (!Object.prototype.hasOwnProperty.call(node, field)) continue;
      const old = node[field];
      if (Array.isArray(old)) {
        const next: PyValue[] = [];
        for (const item of old) {
          if (!isNode(item)) {
            next.push(item);
            continue;
          }
          const result = visit(item);
          if (result === REMOVED) continue;
          if (isNode(result)) next.push(result);
          else next.push(...iterate(result));
        }
        old.splice(0, old.length, ...next);
      } else if (isNode(old)) {
        const result = visit(old);
        if (result === REMOVED) delete node[field];
        else node[field] = result;
      }
    }
  };

  const result = visit(tree);
  return { tree: result === REMOVED ? undefined : result, replacements, unpositioned };
}

/** Python's `list.extend(value)` for a non-node replacement spliced into a list. */
function iterate(value: PyValue): PyValue[] {
  if (Array.isArray(value)) return value;
  if (typeof value === 'string') return [...value];
  throw new PythonException('TypeError', `'${pyTypeName(value)}' object is not iterable`);
}

/**
 * What replaces a matched node. Every branch the engine's code falls out of (no value field,
 * a path to nothing, remove_keyword_arg off a Call, an unknown type) removes the node.
 */
function applyReplacement(node: PyNode, replacement: Partial<Replacement>, expressions: ParsedExpressions): Outcome {
  const required = (key: 'source' | 'name') => {
    if (!(key in replacement)) throw new PythonException('KeyError', `'${key}'`);
  };
  switch (replacement.type) {
    case 'replace_value_with':
      required('source');
      return replaceValueWith(node, replacement.source, expressions);
    case 'replace_with': {
      required('source');
      if (typeof replacement.source !== 'string') {
        throw new PythonException('AttributeError', `'${typeof replacement.source}' object has no attribute 'split'`);
      }
      const found = resolveNodePath(node, replacement.source);
      return found === undefined ? REMOVED : found;
    }
    case 'remove_keyword_arg': {
      required('name');
      if (node._type !== 'Call') return REMOVED;
      const keywords = getAttr(node, 'keywords');
      if (Array.isArray(keywords)) {
        node.keywords = keywords.filter((kw) => !(isNode(kw) && getAttr(kw, 'arg') === replacement.name));
      }
      return node;
    }
    default:
      return REMOVED;
  }
}

const LOCATION = ['lineno', 'col_offset', 'end_lineno', 'end_col_offset'] as const;

function replaceValueWith(node: PyNode, source: unknown, expressions: ParsedExpressions): Outcome {
  if (typeof source !== 'string') {
    throw new PythonException('AttributeError', `'${source === null ? 'NoneType' : typeof source}' object has no attribute 'startswith'`);
  }
  const parsed = source.startsWith('node.') ? resolveNodePath(node, source) : expressions.get(source);
  const value = parsed === null ? undefined : parsed;
  if (value === undefined || !hasAttr(node, 'value')) return REMOVED;
  // Parsed expressions are shared between matches in our cache; CPython would hold one node per parse.
  const fresh = source.startsWith('node.') ? value : structuredClone(value);
  if (node._type === 'Assign') return copyLocation({ _type: 'Assign', targets: getAttr(node, 'targets') ?? [], value: fresh }, node);
  if (node._type === 'Return') return copyLocation({ _type: 'Return', value: fresh }, node);
  const copy: PyNode = { _type: node._type };
  for (const field of fieldsOf(node)) {
    if (field === 'value') continue;
    const v = getAttr(node, field);
    if (v !== undefined) copy[field] = v;
  }
  copy.value = fresh;
  return copyLocation(copy, node);
}

/** `ast.copy_location(copy, node)`: positions the node holds; end positions even when None. */
function copyLocation(copy: PyNode, node: PyNode): PyNode {
  const from = attributesOf(node);
  const to = attributesOf(copy);
  for (const attr of LOCATION) {
    if (!from.includes(attr) || !to.includes(attr)) continue;
    const value = node[attr];
    if (value !== undefined && value !== null) copy[attr] = value;
    else if (attr.startsWith('end_')) copy[attr] = null;
  }
  return copy;
}

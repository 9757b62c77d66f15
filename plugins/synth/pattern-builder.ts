// Builds the smallest pattern that makes a find_and_replace pass hit exactly the intended
// nodes of the whole file: candidate constraints ("features") of the target's subtree are added
// from the least to the most specific until the match set is exact, then every constraint that
// is not needed is dropped again.
import type { Pattern } from '../../src/plugin-kit.js';
import { patternValueOf } from '../../src/plugin-kit.js';
import { fieldsOf, getAttr, isNode, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import { hasNodeValue, isFieldless, isStatement } from './ast-kinds.js';
import type { NameTiers } from './name-tiers.js';
import { follow, pathText, type PathStep } from './node-location.js';
import { matchesExactly, topDownMatches } from './top-down-matches.js';

interface Step extends PathStep {
  /** The node type there, when all targets agree on it. (A list element's step has the list's length: a list in a pattern must have the same length.) */
  nodeType?: string;
}

/**
 * One constraint of a pattern, at a path below the matched node. Tiers: 1 structure (node
 * types, operators, attribute and keyword names, constants), 2 names a student's code most
 * likely shares (libraries, builtins, module-level definitions), 3 parameter names of the
 * enclosing function, 4 the author's local names.
 */
interface Feature {
  id: string;
  steps: Step[];
  key: string;
  value: unknown;
  kind: 'value' | 'list';
  tier: Tier;
  depth: number;
}

export interface PatternRequest {
  /** The whole module, as the pass will see it. */
  root: PyNode;
  /** The nodes the pass must replace, and nothing else. */
  targets: readonly PyNode[];
  /** Feature ids (see `anchorIds`) kept in any case, because they say what the edit is about. */
  anchors: ReadonlySet<string>;
  names: NameTiers;
  maxDepth: number;
  /** When the pattern is good enough; default: a find_and_replace pass would replace exactly `targets`. */
  accepts?: (pattern: Pattern) => boolean;
}

export type PatternSearch =
  /** `structural`: some constraint besides the node type is structure or a shared name (not only the author's names). */
  | { found: true; pattern: Pattern; structural: boolean }
  | { found: false; /** Matches of the most specific candidate tried. */ fewestMatches: number };

const SKIPPED_FIELDS = new Set(['ctx', 'type_comment', 'kind']);
const SHAPE_DEPTH = 2;

type Tier = 1 | 2 | 3 | 4;

export function findPattern(request: PatternRequest): PatternSearch {
  const sample = request.targets[0]!;
  const features = commonFeatures(request);
  const anchors = features.filter((f) => request.anchors.has(f.id));
  const rest = features
    .filter((f) => !request.anchors.has(f.id))
    .map((f, order) => ({ f, order }))
    .sort((x, y) => rank(x.f) - rank(y.f) || x.order - y.order)
    .map((x) => x.f);
  const exact = (selected: readonly Feature[]) => {
    const pattern = buildPattern(sample, selected);
    return request.accepts ? request.accepts(pattern) : matchesExactly(request.root, pattern, request.targets);
  };

  let selected = [...anchors];
  let found = exact(selected);
  for (let i = 0; !found && i < rest.length; ) {
    const batch = rank(rest[i]!);
    while (i < rest.length && rank(rest[i]!) === batch) selected.push(rest[i++]!);
    found = exact(selected);
  }
  if (!found) return { found: false, fewestMatches: topDownMatches(request.root, buildPattern(sample, selected)).length };

  for (let k = selected.length - 1; k >= anchors.length; k--) {
    const without = selected.filter((_, j) => j !== k);
    if (exact(without)) selected = without;
  }
  return { found: true, pattern: buildPattern(sample, selected), structural: selected.some((f) => f.tier <= 2) };
}

/** Structure and shared names by depth first, then parameter names, the author's local names last. */
function rank(feature: Feature): number {
  return (feature.tier <= 2 ? 0 : (feature.tier - 2) * 1000) + feature.depth * 10 + feature.tier;
}

/**
 * The constraints that say what an edit is about: the matched node's "head" (a call's function,
 * an operator, an attribute or keyword name), a statement's value and its head, and the nodes
 * along the path a replacement takes its source from.
 */
export function anchorIds(target: PyNode, names: NameTiers, sourcePath?: string): Set<string> {
  const ids = new Set<string>();
  const at = (prefix: string, key: string) => ids.add(`${prefix}#${key}`);
  const join = (prefix: string, field: string) => (prefix ? `${prefix}.${field}` : field);
  const shared = (node: PyValue | undefined) => isNode(node) && node._type === 'Name' && typeof node.id === 'string' && names.tierOf(node.id) === 'shared';
  const head = (prefix: string, node: PyValue | undefined): void => {
    if (!isNode(node)) return;
    switch (node._type) {
      case 'Call': {
        const func = getAttr(node, 'func');
        const f = join(prefix, 'func');
        at(f, 'node_type');
        if (isNode(func) && func._type === 'Attribute') {
          at(f, 'attr');
          if (shared(getAttr(func, 'value'))) {
            at(`${f}.value`, 'node_type');
            at(`${f}.value`, 'id');
          }
        } else if (shared(func)) {
          at(f, 'id');
        }
        break;
      }
      case 'BinOp':
      case 'UnaryOp':
      case 'BoolOp':
      case 'AugAssign':
        at(prefix, 'op');
        break;
      case 'Compare': {
        const ops = getAttr(node, 'ops');
        (Array.isArray(ops) ? ops : []).forEach((_, i) => at(join(prefix, `ops[${i}]`), 'node_type'));
        break;
      }
      case 'Attribute':
        at(prefix, 'attr');
        break;
      case 'keyword':
        at(prefix, 'arg');
        break;
      case 'Constant':
        at(prefix, 'value');
        break;
      case 'Name':
        if (shared(node)) at(prefix, 'id');
        break;
      default:
        break;
    }
  };

  // The target's shallow shape (through single-node fields, two levels down) keeps patterns
  // from being so bare that they would hit unrelated code in a student's file.
  const shape = (prefix: string, node: PyNode, depth: number): void => {
    if (depth > 0) at(prefix, 'node_type');
    head(prefix, node);
    if (depth === SHAPE_DEPTH) return;
    for (const field of fieldsOf(node)) {
      const child = getAttr(node, field);
      if (!SKIPPED_FIELDS.has(field) && isNode(child) && !isFieldless(child) && child._type !== 'arguments') shape(join(prefix, field), child, depth + 1);
    }
  };

  shape('', target, 0);
  if ((isStatement(target) || target._type === 'keyword') && hasNodeValue(target)) {
    at('value', 'node_type');
    head('value', getAttr(target, 'value'));
  }
  if (sourcePath) {
    let prefix = '';
    let node: PyValue | undefined = target;
    for (const part of sourcePath.split('.').slice(1)) {
      const m = /^([^[\]]+)(?:\[(\d+)\])?$/.exec(part);
      if (!m) break;
      node = getAttr(node, m[1]!);
      if (m[2] !== undefined) node = Array.isArray(node) ? node[Number(m[2])] : undefined;
      prefix = join(prefix, part);
      if (!isNode(node)) break;
      at(prefix, 'node_type');
      head(prefix, node);
    }
  }
  return ids;
}

function commonFeatures(request: PatternRequest): Feature[] {
  const [sample, ...others] = request.targets;
  const features = featuresOf(sample!, request.names, request.maxDepth);
  if (others.length === 0) return features;
  const common: Feature[] = [];
  for (const feature of features) {
    const resolved = others.map((t) => follow(t, feature.steps));
    if (resolved.some((r) => r === undefined)) continue;
    if (!resolved.every((node) => sameValue(valueOf(node!, feature), feature.value))) continue;
    const steps = feature.steps.map((step, i) => ({
      ...step,
      ...(others.every((t) => follow(t, feature.steps.slice(0, i + 1))?._type === step.nodeType) ? {} : { nodeType: undefined }),
    }));
    common.push({ ...feature, steps });
  }
  return common;
}

function featuresOf(target: PyNode, names: NameTiers, maxDepth: number): Feature[] {
  const out: Feature[] = [];
  const add = (steps: Step[], key: string, value: unknown, tier: Tier, depth: number, kind: Feature['kind'] = 'value') =>
    out.push({ id: `${pathText(steps)}#${key}`, steps, key, value, kind, tier, depth });

  const visit = (node: PyNode, steps: Step[], depth: number): void => {
    if (depth > 0) add(steps, 'node_type', node._type, 1, depth);
    for (const field of fieldsOf(node)) {
      if (SKIPPED_FIELDS.has(field) || !Object.prototype.hasOwnProperty.call(node, field)) continue;
      const value = node[field]!;
      if (isNode(value)) {
        if (isFieldless(value)) {
          if (field === 'op') add(steps, 'op', value._type, 1, depth);
        } else if (depth < maxDepth) {
          visit(value, [...steps, { field, nodeType: value._type }], depth + 1);
        }
      } else if (Array.isArray(value)) {
        add(steps, field, value.length, 1, depth + 1, 'list');
        if (depth < maxDepth) {
          value.forEach((item, index) => {
            if (isNode(item)) visit(item, [...steps, { field, index, length: value.length, nodeType: item._type }], depth + 1);
          });
        }
      } else if (typeof value === 'string') {
        add(steps, field, value, stringTier(node, field, value, names), depth);
      } else if (node._type === 'Constant' && field === 'value') {
        const json = patternValueOf(value);
        if (json !== undefined) add(steps, field, json.value, 1, depth);
      }
    }
  };
  visit(target, [], 0);
  return out;
}

function stringTier(node: PyNode, field: string, value: string, names: NameTiers): Tier {
  if (node._type === 'Name' && field === 'id') return ({ shared: 2, parameter: 3, local: 4 } as const)[names.tierOf(value)];
  if (node._type === 'arg' && field === 'arg') return 4;
  if (field === 'name' && (node._type === 'FunctionDef' || node._type === 'AsyncFunctionDef' || node._type === 'ClassDef')) return 2;
  return 1;
}

function valueOf(node: PyNode, feature: Feature): unknown {
  if (feature.key === 'node_type') return node._type;
  const value = getAttr(node, feature.key);
  if (feature.kind === 'list') return Array.isArray(value) ? value.length : undefined;
  if (feature.key === 'op') return isNode(value) ? value._type : undefined;
  if (node._type === 'Constant' && feature.key === 'value') return value === undefined ? undefined : patternValueOf(value)?.value;
  return value;
}

function sameValue(a: unknown, b: unknown): boolean {
  return a !== undefined && typeof a === typeof b && a === b;
}

function buildPattern(sample: PyNode, features: readonly Feature[]): Pattern {
  const pattern: Pattern = { node_type: sample._type };
  for (const feature of features) {
    let holder = pattern;
    for (const step of feature.steps) {
      if (step.index === undefined) {
        if (!isPlainObject(holder[step.field])) holder[step.field] = step.nodeType ? { node_type: step.nodeType } : {};
        holder = holder[step.field] as Pattern;
      } else {
        if (!Array.isArray(holder[step.field])) holder[step.field] = emptyItems(step.length!);
        const item = (holder[step.field] as Pattern[])[step.index]!;
        if (step.nodeType && !('node_type' in item)) item.node_type = step.nodeType;
        holder = item;
      }
    }
    if (feature.kind === 'list') {
      if (!Array.isArray(holder[feature.key])) holder[feature.key] = emptyItems(feature.value as number);
    } else {
      holder[feature.key] = feature.value;
    }
  }
  return inFieldOrder(pattern);
}

function emptyItems(length: number): Pattern[] {
  return Array.from({ length }, () => ({}));
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `node_type` first, then the node's fields in `ast` order: patterns read like the code. */
function inFieldOrder(pattern: Pattern): Pattern {
  const order = typeof pattern.node_type === 'string' ? fieldsOf({ _type: pattern.node_type }) : [];
  const keys = Object.keys(pattern).sort((a, b) => position(a, order) - position(b, order));
  const out: Pattern = {};
  for (const key of keys) {
    const value = pattern[key];
    out[key] = Array.isArray(value) ? value.map((v) => (isPlainObject(v) ? inFieldOrder(v) : v)) : isPlainObject(value) ? inFieldOrder(value) : value;
  }
  return out;
}

function position(key: string, order: readonly string[]): number {
  if (key === 'node_type') return -1;
  const i = order.indexOf(key);
  return i === -1 ? order.length : i;
}

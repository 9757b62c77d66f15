import type { BugContext } from '../../src/plugin-kit.js';
import { canonicalize } from '../../src/plugin-kit.js';
import { deepCopy, getAttr, isNode, isScalar, sameTree, walk, type PyNode } from '../../src/plugin-kit.js';
import { longestCommonSubsequence } from '../../src/plugin-kit.js';

/** Fields holding statement lists (or handler lists) that the statement diff descends into. */
const BLOCK_FIELDS = ['body', 'orelse', 'finalbody', 'handlers'] as const;
const SCOPES = new Set(['FunctionDef', 'AsyncFunctionDef', 'ClassDef']);

/** One place where the patch changed statements: what was there before and what is there after. */
export interface StatementChange {
  /** Enclosing defs and classes, e.g. `class RMSNorm > def forward` ('' at module level). */
  scope: string;
  removed: PyNode[];
  added: PyNode[];
  /**
   * The removed statements as find_and_track passes see them (canonical names, with
   * target_function = the enclosing def); undefined where nothing is renamed.
   */
  canonicalRemoved: (PyNode | undefined)[];
  /** Innermost enclosing function in the before / after tree. */
  beforeFunction?: PyNode;
  afterFunction?: PyNode;
}

export interface FunctionSource {
  name: string;
  scope: string;
  before?: string;
  after?: string;
}

/** What the prompt tells the model about a bug besides the patch itself. */
export interface BugFacts {
  changes: StatementChange[];
  functions: FunctionSource[];
}

export function collectBugFacts(bug: BugContext): BugFacts {
  const changes: StatementChange[] = [];
  diffBlocks(blockOf(bug.beforeTree, 'body'), blockOf(bug.afterTree, 'body'), { names: [], before: undefined, after: undefined }, changes);
  addCanonicalForms(bug.beforeTree, changes);
  return { changes, functions: functionSources(bug, changes) };
}

function addCanonicalForms(beforeTree: PyNode, changes: StatementChange[]): void {
  const trees = new Map<string, Map<string, PyNode>>();
  const byPosition = (target: string): Map<string, PyNode> => {
    let index = trees.get(target);
    if (!index) {
      index = new Map();
      try {
        const canonical = canonicalize(deepCopy(beforeTree), target);
        if (isNode(canonical)) for (const node of walk(canonical)) index.set(positionKey(node), node);
      } catch {
        // A tree the canonicalizer rejects simply gets no canonical forms.
      }
      trees.set(target, index);
    }
    return index;
  };
  for (const change of changes) {
    const target = change.beforeFunction?.name;
    change.canonicalRemoved = change.removed.map((node) => {
      if (typeof target !== 'string') return undefined;
      const twin = byPosition(target).get(positionKey(node));
      return twin && !sameTree(twin, node) ? twin : undefined;
    });
  }
}

function positionKey(node: PyNode): string {
  return `${node._type}@${JSON.stringify(node.lineno ?? null)}:${JSON.stringify(node.col_offset ?? null)}`;
}

interface Scope {
  names: string[];
  before: PyNode | undefined;
  after: PyNode | undefined;
}

function blockOf(node: PyNode, field: string): PyNode[] {
  const value = getAttr(node, field);
  return Array.isArray(value) ? value.filter(isNode) : [];
}

function isCompound(node: PyNode): boolean {
  return BLOCK_FIELDS.some((field) => Array.isArray(getAttr(node, field)) && blockOf(node, field).length > 0);
}

function pairable(before: PyNode, after: PyNode): boolean {
  if (before._type !== after._type || !isCompound(before) || !isCompound(after)) return false;
  return SCOPES.has(before._type) ? before.name === after.name : true;
}

/** Same node apart from its statement blocks: then the difference is inside and worth descending into. */
function sameHeader(before: PyNode, after: PyNode): boolean {
  const strip = (node: PyNode): PyNode => {
    const copy: PyNode = { ...node };
    for (const field of BLOCK_FIELDS) if (field in copy) copy[field] = [];
    return copy;
  };
  return sameTree(strip(before), strip(after));
}

/**
 * A statement-level diff: a longest common subsequence of equal statements (positions ignored);
 * in the gaps, compound statements of the same kind whose headers are equal are descended
 * into, so a change is reported as the innermost statements that differ.
 */
function diffBlocks(before: PyNode[], after: PyNode[], scope: Scope, out: StatementChange[]): void {
  const pairs = longestCommonSubsequence(before, after);
  let i = 0;
  let j = 0;
  for (const [bi, aj] of [...pairs, [before.length, after.length] as const]) {
    diffGap(before.slice(i, bi), after.slice(j, aj), scope, out);
    i = bi + 1;
    j = aj + 1;
  }
}

function diffGap(before: PyNode[], after: PyNode[], scope: Scope, out: StatementChange[]): void {
  if (before.length === 0 && after.length === 0) return;
  const removed: PyNode[] = [];
  const added: PyNode[] = [];
  const flush = () => {
    if (removed.length || added.length) {
      out.push({ scope: scope.names.join(' > '), removed: removed.splice(0), added: added.splice(0), canonicalRemoved: [], beforeFunction: scope.before, afterFunction: scope.after });
    }
  };
  let j = 0;
  for (const b of before) {
    const k = after.findIndex((a, index) => index >= j && pairable(b, a) && sameHeader(b, a));
    if (k < 0) {
      removed.push(b);
      continue;
    }
    added.push(...after.slice(j, k));
    flush();
    descend(b, after[k]!, scope, out);
    j = k + 1;
  }
  added.push(...after.slice(j));
  flush();
}

function descend(before: PyNode, after: PyNode, scope: Scope, out: StatementChange[]): void {
  const inner: Scope = SCOPES.has(before._type)
    ? {
        names: [...scope.names, `${before._type === 'ClassDef' ? 'class' : 'def'} ${String(before.name)}`],
        before: before._type === 'ClassDef' ? scope.before : before,
        after: after._type === 'ClassDef' ? scope.after : after,
      }
    : scope;
  for (const field of BLOCK_FIELDS) diffBlocks(blockOf(before, field), blockOf(after, field), inner, out);
}

/** A position attribute (`lineno`, `end_lineno`…) as a number; the bridge sends ints as `{$py: 'int'}`. */
export function lineOf(node: PyNode, attribute: 'lineno' | 'end_lineno' = 'lineno'): number | undefined {
  const value = node[attribute];
  if (typeof value === 'number') return value;
  if (isScalar(value) && value.$py === 'int') return Number(value.v);
  return undefined;
}

/** Source lines of a def, decorators included (positions are 1-based, end inclusive). */
export function sourceOf(node: PyNode, source: string): string | undefined {
  const starts = [node, ...blockOf(node, 'decorator_list')].map((n) => lineOf(n)).filter((n): n is number => n !== undefined);
  const end = lineOf(node, 'end_lineno');
  if (starts.length === 0 || end === undefined) return undefined;
  return source.split(/\r?\n/).slice(Math.min(...starts) - 1, end).join('\n');
}

function functionSources(bug: BugContext, changes: StatementChange[]): FunctionSource[] {
  const seen = new Set<PyNode>();
  const out: FunctionSource[] = [];
  for (const change of changes) {
    const fn = change.beforeFunction ?? change.afterFunction;
    if (!fn || seen.has(fn)) continue;
    seen.add(fn);
    if (change.afterFunction) seen.add(change.afterFunction);
    out.push({
      name: String(fn.name),
      scope: change.scope,
      ...(change.beforeFunction ? { before: sourceOf(change.beforeFunction, bug.referenceSource) } : {}),
      ...(change.afterFunction ? { after: sourceOf(change.afterFunction, bug.patchedSource) } : {}),
    });
  }
  if (out.length > 0) return out;
  // No statement differs (or the diff found nothing inside a def): fall back to the names the pipeline found.
  for (const name of bug.changedFunctions) {
    const before = findDef(bug.beforeTree, name);
    const after = findDef(bug.afterTree, name);
    if (!before && !after) continue;
    out.push({
      name,
      scope: `def ${name}`,
      ...(before ? { before: sourceOf(before, bug.referenceSource) } : {}),
      ...(after ? { after: sourceOf(after, bug.patchedSource) } : {}),
    });
  }
  return out;
}

function findDef(tree: PyNode, name: string): PyNode | undefined {
  for (const node of walk(tree)) if (node._type === 'FunctionDef' && node.name === name) return node;
  return undefined;
}

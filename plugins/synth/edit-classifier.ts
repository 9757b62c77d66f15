// Turns the changes of the tree diff into v2.1 edit operations ("encodings"), or says
// precisely why a change cannot be expressed in v2.1.
import { fieldsOf, getAttr, isNode, sameTree, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import { STATEMENT_LIST_FIELDS, hasNodeValue, isStatement, lineOf } from './ast-kinds.js';
import type { CodeSnippets } from './code-snippet.js';
import type { Change, Trail } from './tree-diff.js';

/** One v2.1 replacement applied to one node of the reference (the pass's target). */
export type Encoding =
  | { type: 'delete_statement'; target: PyNode }
  | { type: 'remove_keyword_arg'; target: PyNode; name: string }
  /** `result` is what the patched tree has in the target's place. */
  | { type: 'replace_with'; target: PyNode; source: string; result: PyNode | PyNode[] }
  /** `value` is the new value: found at `source` (a path) in the target, or CPython's parse of `source` (a text). */
  | { type: 'replace_value_with'; target: PyNode; source: string; sourceKind: 'path' | 'text'; value: PyNode; result: PyNode };

export interface Edit {
  change: Change;
  /** The reference node the edit is about: once an enclosing node has been rewritten, the edit is done. */
  anchor: PyNode;
  /** Ways to express the edit, the most local first, computed for the tree as it is now. */
  encodings(): Promise<Encoding[]>;
}

export interface Classification {
  edits: Edit[];
  /** One precise reason per change v2.1 cannot express. */
  unsupported: string[];
}

const CANNOT_INSERT = 'v2.1 can delete, replace or unwrap nodes but cannot insert statements';
const CANNOT_MOVE = 'v2.1 can delete, replace or unwrap nodes but cannot insert or move statements';

export async function classifyChanges(changes: readonly Change[], snippets: CodeSnippets): Promise<Classification> {
  const edits: Edit[] = [];
  const unsupported: string[] = [];
  const reasonByStatement = new Map<PyNode, string>();
  const seen = new Set<PyNode>();

  for (const change of changes) {
    if (change.kind === 'inserted') continue;
    const anchor = change.kind === 'modified' ? change.before : change.node;
    if (seen.has(anchor)) continue;
    seen.add(anchor);
    const edit: Edit = { change, anchor, encodings: () => encodingsOf(change, snippets) };
    if ((await edit.encodings()).length > 0) {
      edits.push(edit);
      continue;
    }
    // Removals and unwraps always have an encoding; a modification may not. One reason per
    // statement, its first (e.g. a renamed target rather than the value that goes with it).
    if (change.kind !== 'modified') continue;
    const levels = regionLevels(change.before, change.after, change.trail);
    const statement = levels.at(-1)!.before;
    if (!reasonByStatement.has(statement)) reasonByStatement.set(statement, await unsupportedRegionReason(change, levels, snippets));
  }
  unsupported.push(...reasonByStatement.values());
  unsupported.push(...(await insertionReasons(changes, snippets)));
  return { edits, unsupported };
}

/** A node of the reference and its counterpart, and the field through which the change below is reached. */
interface Level {
  before: PyNode;
  after: PyNode;
  via?: string;
}

/** The changed node and its ancestors, up to and including the enclosing statement. */
function regionLevels(before: PyNode, after: PyNode, trail: Trail): Level[] {
  const levels: Level[] = [{ before, after }];
  if (isStatement(before)) return levels;
  for (let i = trail.length - 1; i >= 0; i--) {
    const step = trail[i]!;
    levels.push({ before: step.before, after: step.after, via: step.field });
    if (isStatement(step.before)) break;
  }
  return levels;
}

async function encodingsOf(change: Change, snippets: CodeSnippets): Promise<Encoding[]> {
  switch (change.kind) {
    case 'modified':
      return regionEncodings(regionLevels(change.before, change.after, change.trail), snippets);
    case 'removed': {
      const parent = change.trail.at(-1)!;
      const enclosing = () => regionEncodings(regionLevels(parent.before, parent.after, change.trail.slice(0, -1)), snippets);
      if (parent.field === 'keywords') {
        return [{ type: 'remove_keyword_arg', target: parent.before, name: String(getAttr(change.node, 'arg')) }, ...(await enclosing())];
      }
      if (STATEMENT_LIST_FIELDS.has(parent.field)) return [{ type: 'delete_statement', target: change.node }];
      return [{ type: 'delete_statement', target: change.node }, ...(await enclosing())];
    }
    case 'unwrapped': {
      const block = change.replacement;
      const source = block.length === 1 ? `node.${change.field}[0]` : `node.${change.field}`;
      return [{ type: 'replace_with', target: change.node, source, result: block.length === 1 ? block[0]! : block }];
    }
    default:
      return [];
  }
}

/**
 * From the changed node outwards: `replace_with` when the new node is a part of the old one,
 * `replace_value_with` when only the `value` field differs. The enclosing statement is the
 * last level: statements cannot be replaced by new code.
 */
async function regionEncodings(levels: readonly Level[], snippets: CodeSnippets): Promise<Encoding[]> {
  const encodings: Encoding[] = [];
  for (const { before, after } of levels) {
    const part = pathToPart(before, after);
    if (part) encodings.push({ type: 'replace_with', target: before, source: part, result: after });
    if (onlyValueDiffers(before, after)) {
      const value = getAttr(after, 'value') as PyNode;
      const path = pathToPart(before, value, 'value');
      if (path) {
        encodings.push({ type: 'replace_value_with', target: before, source: path, sourceKind: 'path', value, result: after });
      } else {
        const text = await snippets.expressionText(value);
        if (text !== undefined && !text.startsWith('node.')) {
          encodings.push({ type: 'replace_value_with', target: before, source: text, sourceKind: 'text', value, result: after });
        }
      }
    }
  }
  return encodings;
}

function onlyValueDiffers(before: PyNode, after: PyNode): boolean {
  if (before._type !== after._type || !hasNodeValue(before) || !hasNodeValue(after)) return false;
  return fieldsOf(before).every((f) => f === 'value' || sameTree(getAttr(before, f), getAttr(after, f)));
}

/**
 * The shortest `node.…` path from `node` to a proper part equal to `part` (breadth-first;
 * fields in `ast` order, `first` field first), or undefined.
 */
export function pathToPart(node: PyNode, part: PyNode, first?: string): string | undefined {
  const fields = (n: PyNode) => {
    const all = fieldsOf(n);
    return n === node && first ? [first, ...all.filter((f) => f !== first)] : all;
  };
  const queue: Array<{ value: PyNode; path: string }> = [{ value: node, path: 'node' }];
  for (let i = 0; i < queue.length; i++) {
    const { value, path } = queue[i]!;
    if (i > 0 && sameTree(value, part)) return path;
    for (const field of fields(value)) {
      const child: PyValue | undefined = getAttr(value, field);
      if (isNode(child)) queue.push({ value: child, path: `${path}.${field}` });
      else if (Array.isArray(child)) child.forEach((item, j) => isNode(item) && queue.push({ value: item, path: `${path}.${field}[${j}]` }));
    }
  }
  return undefined;
}

/** Qualified name of the function (or class) a trail runs through, e.g. `Tokenizer.encode`. */
export function enclosingName(trail: Trail): string | undefined {
  const names = trail
    .map((s) => s.before)
    .filter((n) => ['FunctionDef', 'AsyncFunctionDef', 'ClassDef'].includes(n._type) && typeof n.name === 'string')
    .map((n) => n.name as string);
  return names.length ? names.join('.') : undefined;
}

function place(line: number | undefined, trail: Trail): string {
  const where = enclosingName(trail);
  const at = line === undefined ? '' : `line ${line}`;
  if (!where) return at ? `${at}, at module level` : 'at module level';
  return at ? `${at} of \`${where}\`` : `in \`${where}\``;
}

async function unsupportedRegionReason(change: Extract<Change, { kind: 'modified' }>, levels: readonly Level[], snippets: CodeSnippets): Promise<string> {
  const { before, after } = change;
  const top = levels.at(-1)!;
  const trail = change.trail.slice(0, Math.max(0, change.trail.length - (levels.length - 1)));
  const where = place(lineOf(top.before), trail);
  const [was, now] = await Promise.all([snippets.of(before), snippets.of(after)]);
  const kind = top.before._type;

  if (levels.length === 1) {
    if (before._type !== after._type) {
      return `replaces the statement \`${was}\` by ${article(after._type)} statement \`${now}\` (${where}): the new statement is not a part of the old one, and v2.1 cannot build new statements`;
    }
    const fields = fieldsOf(before).filter((f) => !sameTree(getAttr(before, f), getAttr(after, f)));
    const which = fields.map((f) => `\`${f}\``).join(' and ');
    const why = hasNodeValue(before)
      ? `\`replace_value_with\` only changes the \`value\` field of ${article(kind)}`
      : `${article(kind)} has no \`value\` field for \`replace_value_with\``;
    return `changes the ${which} of \`${was}\` → \`${now}\` (${where}): the new statement is not a part of the old one, and ${why}`;
  }
  if (['Assign', 'AugAssign', 'AnnAssign'].includes(kind) && (top.via === 'targets' || top.via === 'target')) {
    return `renames the assignment target \`${was}\` → \`${now}\` (${where}): v2.1 cannot change an assignment target (\`replace_value_with\` keeps the targets)`;
  }
  if ((kind === 'For' || kind === 'AsyncFor') && top.via === 'target') {
    return `changes the loop variable \`${was}\` → \`${now}\` of the \`for\` at ${where}: v2.1 cannot change a loop target`;
  }
  const what = pathToPart(after, before) ? `wraps \`${was}\` in \`${now}\`` : `changes \`${was}\` → \`${now}\``;
  const noValue = hasNodeValue(top.before)
    ? `the \`${kind}\` changes in more than its \`value\` field`
    : `${article(kind)} has no \`value\` field for \`replace_value_with\``;
  return `${what} (the \`${top.via}\` of the \`${kind}\` at ${where}): the new node is not a part of the old one, so \`replace_with\` cannot build it, and ${noValue}`;
}

/** Inserted statements, grouped by block; a statement that reappears elsewhere, or a similar one, is a move. */
async function insertionReasons(changes: readonly Change[], snippets: CodeSnippets): Promise<string[]> {
  const removed = changes.filter((c): c is Extract<Change, { kind: 'removed' }> => c.kind === 'removed' && isStatement(c.node));
  const groups: Array<Array<Extract<Change, { kind: 'inserted' }>>> = [];
  for (const change of changes) {
    if (change.kind !== 'inserted') continue;
    const last = groups.at(-1);
    if (last && last[0]!.trail.at(-1)?.after === change.trail.at(-1)?.after && last.at(-1)!.node === change.previous) last.push(change);
    else groups.push([change]);
  }
  const reasons: string[] = [];
  for (const group of groups) {
    const first = group[0]!;
    const block = first.trail.at(-1);
    const inBlock = removed.filter((r) => r.trail.at(-1)?.before === block?.before && r.trail.at(-1)?.field === block?.field);
    const where = enclosingName(first.trail);
    const scope = where ? `in \`${where}\`` : 'at module level';
    const after = first.previous ? ` after \`${await snippets.of(first.previous)}\`` : ' at the start of the block';
    const lines = lineRange(group.map((c) => lineOf(c.node)));

    if (group.length === 1) {
      const moved = removed.find((r) => sameTree(r.node, first.node));
      if (moved) {
        reasons.push(`moves \`${await snippets.of(first.node)}\` from line ${lineOf(moved.node)}${after} (${lines} of the patched file) ${scope}: ${CANNOT_MOVE}`);
        continue;
      }
      const similar = inBlock.find((r) => similarStatements(r.node, first.node));
      if (similar) {
        reasons.push(
          `moves an operation ${scope}: it deletes \`${await snippets.of(similar.node)}\` (line ${lineOf(similar.node)}) and inserts the similar ` +
            `\`${await snippets.of(first.node)}\`${after} (${lines} of the patched file), i.e. it reorders statements, and ${CANNOT_MOVE}`,
        );
        continue;
      }
    }
    const what = group.length === 1 ? `\`${await snippets.of(first.node)}\`` : `${group.length} statements (${(await Promise.all(group.map((c) => snippets.of(c.node)))).map((t) => `\`${t}\``).join(', ')})`;
    const rewrite = inBlock.length
      ? `; the patch rewrites this code (it also deletes ${(await Promise.all(inBlock.map((r) => snippets.of(r.node)))).map((t) => `\`${t}\``).join(', ')})`
      : '';
    reasons.push(`inserts ${what}${after} (${lines} of the patched file) ${scope}: ${CANNOT_INSERT}${rewrite}`);
  }
  return reasons;
}

function lineRange(lines: Array<number | undefined>): string {
  const known = lines.filter((l): l is number => l !== undefined);
  if (known.length === 0) return 'somewhere';
  const lo = Math.min(...known);
  const hi = Math.max(...known);
  return lo === hi ? `line ${lo}` : `lines ${lo}-${hi}`;
}

/** Same kind of statement doing the same kind of operation (`a = a / t` and `b = b / t`). */
function similarStatements(a: PyNode, b: PyNode): boolean {
  const signature = (s: PyNode): string | undefined => {
    const value = getAttr(s, 'value');
    if (!isNode(value)) return undefined;
    const op = getAttr(value, 'op');
    const func = getAttr(value, 'func');
    const detail = isNode(op) ? op._type : isNode(func) ? String(getAttr(func, 'attr') ?? getAttr(func, 'id')) : '';
    return `${s._type}:${value._type}:${detail}`;
  };
  const sa = signature(a);
  return sa !== undefined && sa === signature(b);
}

/** "a `For`", "an `If`". */
function article(type: string): string {
  return `${/^[AEIOU]/.test(type) ? 'an' : 'a'} \`${type}\``;
}

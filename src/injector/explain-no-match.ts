// Why a definition injects nothing into a file: which pass found nothing, which element of its
// pattern the file lacks, and the nearest statement of the target function, with its line. A
// typed value (JSON-safe: it is cached with verdicts and printed by `check --format json`) that
// every front-end can show: `try`, the build line, the review document, a review page.
import type { CanonicalNames } from './canonicalize.js';
import type { LogicPass, Pattern } from './definition.js';
import { injectIntoTree, type PassTrace, type PreparedDefinition, type TreeInjection } from './inject.js';
import type { TrackedContext } from './match-pattern.js';
import { deepCopy, getAttr, isNode, isScalar, isStatement, pyEquals, pyTypeName, walk, type PyNode, type PyValue } from '../python/tree.js';

/** One element of a pattern a node lacks: where, what the pattern wants, what the node has. */
export interface MissingElement {
  /** Path below the matched node, e.g. `value.right.func.attr` (empty: the node itself). */
  path: string;
  expected: string;
  found: string;
}

/** The statement (or expression) of the target function that comes nearest to the pattern. */
export interface NearestCode {
  line: number;
  /** The line as the file has it (trimmed), or the node written back as code. */
  code: string;
  /** For a statement assigning a name: the canonical name the engine gives it there (`_var2`). */
  canonical?: string;
}

export interface NoMatchExplanation {
  /** The find_and_replace pass that replaced nothing (its `pass` number, else its 1-based place). */
  pass: number;
  /** The pass whose pattern found nothing: that replace, or the track pass(es) it depends on. */
  explained: { pass: number; type: 'find_and_track' | 'find_and_replace'; description?: string };
  /** Other track passes for the same site that found nothing too (a ladder's rungs), as `[first, last]`. */
  alsoFoundNothing?: [number, number];
  /** A sketch of what that pattern looks for, e.g. `_var1 = … / math.sqrt(…)`. */
  lookingFor: string;
  /** The canonical names in the sketch, in words: "`_var1`: the 2nd name the function assigns". */
  legend: string[];
  targetFunction?: string;
  /** What the nearest candidate lacks (absent when nothing in the function resembles the pattern). */
  missing?: MissingElement;
  nearest?: NearestCode;
  /**
   * When the pass that failed confirms a ladder (a guard requiring one node from where its
   * nearest reading starts to where its farthest ends): the other place the readings found.
   * `nearest` is then the place the nearest reading found.
   */
  alsoReadAt?: NearestCode;
  /**
   * Set when one reading found both places (the last is `nearest`, the first `alsoReadAt`): the
   * same code twice where the canonical names cannot tell them apart, e.g. in two functions of
   * the target's name (two classes' `__init__`).
   */
  oneReading?: true;
  /** All of the above in one line. */
  message: string;
}

/**
 * Explains why `prepared` injects nothing into `tree` (the file as parsed; not modified), or
 * undefined when it does inject. `source`, the file's text, lets the nearest code be quoted as
 * the file has it; `traced`, an injection of it already made with a trace, saves another.
 */
export function explainNoMatch(prepared: PreparedDefinition, tree: PyNode, source?: string, traced?: { result: TreeInjection; trace: PassTrace }): NoMatchExplanation | undefined {
  let trace: PassTrace;
  let result: TreeInjection;
  if (traced) ({ trace, result } = traced);
  else result = injectIntoTree(prepared, deepCopy(tree), (trace = { matches: [] }));
  if (result.ok || 'error' in result || trace.matches.at(-1) !== 0) return undefined;
  const logic = prepared.definition.logic;
  const index = trace.matches.length - 1;
  const failed = logic[index]!;
  const passNumber = (i: number) => (typeof logic[i]?.pass === 'number' ? (logic[i]!.pass as number) : i + 1);
  const context = trace.context ?? new Map();
  const unset = contextNames(failed.pattern ?? {}).filter((name) => !context.has(name));
  const targetFunction = prepared.definition.target_function || undefined;
  const lines = source?.split('\n');

  const confirming = confirmationGuard(failed.pattern);
  if (confirming) {
    const ambiguous = explainDisagreement(logic, index, confirming, context, trace.tree ?? tree, lines, passNumber);
    if (ambiguous) return { ...ambiguous, ...(targetFunction ? { targetFunction } : {}), message: disagreementMessage(ambiguous, targetFunction) };
  }
  const scope = functionNodes(trace.tree ?? tree, targetFunction);
  const nearestTo = (step: LogicPass) => nearestNode(scope.length ? scope : [trace.tree ?? tree], step.pattern ?? {}, context, step.type === 'find_and_track' ? trace.canonical : undefined);
  let explainedIndex = index;
  let best: ReturnType<typeof nearestNode>;
  let alsoFoundNothing: [number, number] | undefined;
  // (A track that itself reads a variable nothing set, such as a confirming reading, found nothing because of another.)
  const feeding =
    unset.length === 0
      ? []
      : logic.flatMap((step, i) =>
          i < index && step.type === 'find_and_track' && Object.keys(step.track_as ?? {}).some((k) => unset.includes(k)) && contextNames(step.pattern ?? {}).every((n) => context.has(n)) ? [i] : [],
        );
  if (feeding.length > 0) {
    // The tracks that set those variables all found nothing: explain the one the file came nearest
    // to (ties: the later, the reference's own reading; not a spelling tracked after it).
    for (const i of feeding) {
      const near = nearestTo(logic[i]!);
      if (near && (!best || near.matched >= best.matched)) [explainedIndex, best] = [i, near];
    }
    // Nothing resembles any of them: the last of the commonest shape (a ladder's own reading).
    if (!best) explainedIndex = feeding.filter((i) => logic[i]!.pattern?.node_type === commonest(feeding.map((j) => logic[j]!.pattern?.node_type))).at(-1)!;
    const others = feeding.filter((i) => i !== explainedIndex);
    if (others.length > 0) alsoFoundNothing = [passNumber(others[0]!), passNumber(others.at(-1)!)];
  } else {
    best = nearestTo(logic[index]!);
  }
  const step = logic[explainedIndex]!;
  const isTrack = step.type === 'find_and_track';
  const pattern = step.pattern ?? {};
  const canonical = isTrack ? trace.canonical : undefined;
  const sketch = sketchPattern(pattern);
  const legend = legendOf(sketch);
  const nearest = best ? nearestCode(best.node, lines, canonical) : undefined;
  const explanation: Omit<NoMatchExplanation, 'message'> = {
    pass: passNumber(index),
    explained: { pass: passNumber(explainedIndex), type: isTrack ? 'find_and_track' : 'find_and_replace', ...(step.description ? { description: step.description } : {}) },
    ...(alsoFoundNothing ? { alsoFoundNothing } : {}),
    lookingFor: sketch,
    legend,
    ...(targetFunction ? { targetFunction } : {}),
    ...(best?.miss ? { missing: best.miss } : {}),
    ...(nearest ? { nearest } : {}),
  };
  return { ...explanation, message: messageOf(explanation, step) };
}

const SPAN = ['lineno', 'col_offset', 'end_lineno', 'end_col_offset'] as const;

/** The context variables of a guard that requires a node spanning two tracked places (and nothing else), if it is one. */
function confirmationGuard(pattern: Pattern | undefined): Record<(typeof SPAN)[number], string> | undefined {
  const keys = Object.keys(pattern ?? {});
  if (!pattern || keys.length !== SPAN.length || !SPAN.every((k) => keys.includes(k))) return undefined;
  const from = SPAN.map((k) => (isPlain(pattern[k]) ? pattern[k].from_context : undefined));
  if (!from.every((f): f is string => typeof f === 'string')) return undefined;
  return { lineno: from[0]!, col_offset: from[1]!, end_lineno: from[2]!, end_col_offset: from[3]! };
}

/** The two places a ladder's readings found: where its nearest reading starts, and the farthest reading's node that ends where it recorded. */
function explainDisagreement(
  logic: readonly LogicPass[],
  index: number,
  span: Record<(typeof SPAN)[number], string>,
  context: TrackedContext,
  tree: PyNode,
  lines: string[] | undefined,
  passNumber: (i: number) => number,
): Omit<NoMatchExplanation, 'message' | 'targetFunction'> | undefined {
  if (!SPAN.every((k) => context.has(span[k]))) return undefined;
  const at = (key: (typeof SPAN)[number]) => context.get(span[key]);
  const nodes = [...walk(tree)];
  const statementFirst = (found: PyNode[]) => found.filter((n) => isStatement(n)).at(-1) ?? found.at(-1);
  const start = statementFirst(nodes.filter((n) => pyEquals(n.lineno, at('lineno')) && pyEquals(n.col_offset, at('col_offset'))).slice(0, 1));
  const end = statementFirst(nodes.filter((n) => pyEquals(n.end_lineno, at('end_lineno')) && pyEquals(n.end_col_offset, at('end_col_offset'))));
  if (!start || !end) return undefined;
  const readers = logic.flatMap((step, i) => (i < index && step.type === 'find_and_track' && Object.keys(step.track_as ?? {}).includes(span.lineno) ? [i] : []));
  const own = readers.at(-1);
  if (own === undefined) return undefined;
  const sketch = sketchPattern(logic[own]!.pattern ?? {});
  return {
    pass: passNumber(index),
    explained: { pass: passNumber(index), type: 'find_and_replace', ...(logic[index]!.description ? { description: logic[index]!.description } : {}) },
    lookingFor: sketch,
    legend: legendOf(sketch),
    nearest: nearestCode(start, lines, undefined),
    alsoReadAt: nearestCode(end, lines, undefined),
    ...(readers.length === 1 ? { oneReading: true as const } : {}),
  };
}

function disagreementMessage(e: Omit<NoMatchExplanation, 'message'>, targetFunction: string | undefined): string {
  const where = targetFunction ? ` in \`${targetFunction}\`` : '';
  const legend = e.legend.length ? ` (${e.legend.join('; ')})` : '';
  const [nearest, farthest] = e.oneReading ? ['the last found', 'the first'] : ["the reading nearest the reference's", 'the farthest'];
  return (
    `pass ${e.pass} finds two places here that read as \`${e.lookingFor}\`${legend}${where}: line ${e.nearest!.line} \`${e.nearest!.code}\` (${nearest}) ` +
    `and line ${e.alsoReadAt!.line} \`${e.alsoReadAt!.code}\` (${farthest}); rather than change the wrong one, it injects nothing`
  );
}

function commonest<T>(items: readonly T[]): T | undefined {
  const counts = new Map<T, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
}

function messageOf(e: Omit<NoMatchExplanation, 'message'>, step: LogicPass): string {
  const where = e.targetFunction ? ` in \`${e.targetFunction}\`` : '';
  const what = `pass ${e.explained.pass} looks for \`${e.lookingFor}\`${e.legend.length ? ` (${e.legend.join('; ')})` : ''}${where}`;
  const others = e.alsoFoundNothing && (e.alsoFoundNothing[0] === e.alsoFoundNothing[1] ? `pass ${e.alsoFoundNothing[0]}` : `passes ${e.alsoFoundNothing[0]}–${e.alsoFoundNothing[1]}`);
  const ladder = others ? `, as did ${others} (the same site at other positions)` : '';
  const found = step.type === 'find_and_track' ? `and finds nothing${ladder}, so pass ${e.pass} has no position to change` : 'and matches nothing';
  const lacks = e.missing ? `, which lacks ${e.missing.expected}${e.missing.path ? ` at \`${e.missing.path}\`` : ''} (it has ${e.missing.found})` : '';
  const near = e.nearest ? `; nearest here: line ${e.nearest.line} \`${e.nearest.code}\`${e.nearest.canonical ? ` (\`${e.nearest.canonical}\`)` : ''}${lacks}` : '; nothing here resembles it';
  return `${what} ${found}${near}`;
}

/** Context variables a pattern reads through `from_context` (positions, recorded names). */
function contextNames(pattern: unknown): string[] {
  const names: string[] = [];
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (typeof value === 'object' && value !== null) {
      const from = (value as Record<string, unknown>).from_context;
      if (typeof from === 'string') names.push(from);
      else Object.values(value).forEach(visit);
    }
  };
  visit(pattern);
  return [...new Set(names)];
}

function functionNodes(tree: PyNode, name: string | undefined): PyNode[] {
  return name ? [...walk(tree)].filter((n) => n._type === 'FunctionDef' && n.name === name) : [];
}

interface Score {
  matched: number;
  miss?: MissingElement;
}

/** The node inside `roots` satisfying most of the pattern's constraints (ties: the first, in file order). */
function nearestNode(roots: readonly PyNode[], pattern: Pattern, context: TrackedContext, canonical: CanonicalNames | undefined): ({ node: PyNode } & Score) | undefined {
  let best: ({ node: PyNode } & Score) | undefined;
  for (const root of roots) {
    for (const node of walk(root)) {
      if (node === root || node.lineno === undefined) continue;
      const score = scoreAgainst(node, pattern, context, canonical, '');
      if (score.matched > 0 && (!best || score.matched > best.matched)) best = { node, ...score };
    }
  }
  return best;
}

/** How many of the pattern's constraints the node meets, and the first it does not (the engine's matching rules). */
function scoreAgainst(node: PyValue | undefined, pattern: Pattern, context: TrackedContext, canonical: CanonicalNames | undefined, path: string): Score {
  let matched = 0;
  let miss: MissingElement | undefined;
  let indexMiss: MissingElement | undefined;
  const lack = (at: string, expected: string, found: string) => (miss ??= { path: at, expected, found });
  const join = (key: string) => (path ? `${path}.${key}` : key);
  if ('node_type' in pattern) {
    if (pyEquals(pyTypeName(node), pattern.node_type)) matched++;
    else return { matched: 0, miss: { path, expected: `a ${String(pattern.node_type)}`, found: describeValue(node) } };
  }
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === 'node_type' || key === 'from_context' || key === 'lineno' || key === 'col_offset') continue;
    const at = join(key);
    const raw = getAttr(node, key);
    const actual = canonical && (key === 'id' || key === 'arg') && isNode(node) ? (canonical.get(node) ?? raw) : raw;
    if (raw === undefined) {
      lack(at, `a \`${key}\``, 'none');
      continue;
    }
    if (key === 'op' && typeof expected === 'string') {
      if (pyTypeName(actual) === expected) matched++;
      else lack(at, `the operator ${expected}`, pyTypeName(actual));
    } else if (isPlain(expected) && 'from_context' in expected) {
      const name = String(expected.from_context);
      if (context.has(name) && pyEquals(context.get(name), actual)) matched++;
      else lack(at, context.has(name) ? `\`${String(context.get(name))}\` (recorded as ${name})` : `the value an earlier pass records as ${name} (none was recorded)`, describeValue(actual));
    } else if (isPlain(expected)) {
      const inner = scoreAgainst(actual, expected, context, canonical, at);
      matched += inner.matched;
      if (inner.miss) lack(inner.miss.path, inner.miss.expected, inner.miss.found);
    } else if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) {
        lack(at, `${expected.length} item${expected.length === 1 ? '' : 's'}`, Array.isArray(actual) ? String(actual.length) : describeValue(actual));
        continue;
      }
      matched++;
      expected.forEach((item, i) => {
        if (!isPlain(item)) return;
        const inner = scoreAgainst(actual[i], item, context, canonical, `${at}[${i}]`);
        matched += inner.matched;
        if (inner.miss) lack(inner.miss.path, inner.miss.expected, inner.miss.found);
      });
    } else if (pyEquals(expected, actual)) {
      matched++;
    } else if (typeof expected === 'string' && typeof actual === 'string' && CANONICAL_LOCAL.test(expected) && CANONICAL_LOCAL.test(actual)) {
      // Another position of the same kind of name: nearly there (a ladder reads other positions).
      matched += 0.5;
      indexMiss ??= { path: at, expected: `\`${expected}\``, found: `\`${actual}\`` };
    } else {
      lack(at, `\`${JSON.stringify(expected)}\``, describeValue(actual));
    }
  }
  miss ??= indexMiss;
  return miss ? { matched, miss } : { matched };
}

const CANONICAL_LOCAL = /^_var\d+$/;

function describeValue(value: PyValue | undefined): string {
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `\`${value}\``;
  if (isNode(value)) return `a ${value._type}`;
  if (isScalar(value)) return 'v' in value ? `\`${value.v}\`` : value.$py;
  return JSON.stringify(value);
}

function nearestCode(node: PyNode, lines: string[] | undefined, canonical: CanonicalNames | undefined): NearestCode {
  const line = lineNumber(node.lineno);
  const text = lines?.[line - 1]?.trim();
  const targets = getAttr(node, 'targets');
  const first = Array.isArray(targets) && isNode(targets[0]) ? targets[0] : undefined;
  const renamed = first && canonical?.get(first);
  return { line, code: text || sketchPattern(node as unknown as Pattern), ...(renamed ? { canonical: renamed } : {}) };
}

function lineNumber(value: PyValue | undefined): number {
  return isScalar(value) && 'v' in value ? Number(value.v) : typeof value === 'number' ? value : 0;
}

function isPlain(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const OPERATORS: Record<string, string> = {
  Add: '+', Sub: '-', Mult: '*', Div: '/', FloorDiv: '//', Mod: '%', Pow: '**', MatMult: '@', LShift: '<<', RShift: '>>',
  BitOr: '|', BitAnd: '&', BitXor: '^', And: 'and', Or: 'or', Not: 'not ', USub: '-', UAdd: '+', Invert: '~',
  Eq: '==', NotEq: '!=', Lt: '<', LtE: '<=', Gt: '>', GtE: '>=', Is: 'is', IsNot: 'is not', In: 'in', NotIn: 'not in',
};

/**
 * A pattern (or a node: the same shape) as code, with `…` for what it leaves open:
 * `_var1 = … / math.sqrt(…)`.
 */
export function sketchPattern(pattern: unknown): string {
  const p = isPlain(pattern) ? pattern : {};
  const type = typeof p.node_type === 'string' ? p.node_type : typeof p._type === 'string' ? p._type : undefined;
  const part = (key: string) => (key in p ? sketchPattern(p[key]) : '…');
  const list = (key: string) => (Array.isArray(p[key]) ? (p[key] as unknown[]).map(sketchPattern).join(', ') : '…');
  const op = () => {
    const value = p.op;
    const name = typeof value === 'string' ? value : isPlain(value) && typeof value._type === 'string' ? value._type : undefined;
    return name ? (OPERATORS[name] ?? name) : '<op>';
  };
  if (isPlain(p.id) && typeof p.id.from_context === 'string') return `<${p.id.from_context}>`;
  switch (type) {
    case 'Name':
      return typeof p.id === 'string' ? p.id : '…';
    case 'Constant':
      return 'value' in p ? constantText(p.value) : '…';
    case 'Assign':
      return `${Array.isArray(p.targets) ? (p.targets as unknown[]).map(sketchPattern).join(' = ') : '…'} = ${part('value')}`;
    case 'AugAssign':
      return `${part('target')} ${op()}= ${part('value')}`;
    case 'AnnAssign':
      return `${part('target')}: ${part('annotation')} = ${part('value')}`;
    case 'Expr':
      return part('value');
    case 'Return':
      return `return ${part('value')}`;
    case 'BinOp':
      return `${part('left')} ${op()} ${part('right')}`;
    case 'UnaryOp':
      return `${op()}${part('operand')}`;
    case 'BoolOp':
      return list('values').replaceAll(', ', ` ${op()} `);
    case 'Compare':
      return `${part('left')} ${Array.isArray(p.ops) ? (p.ops as unknown[]).map((o) => OPERATORS[(isPlain(o) ? String(o.node_type ?? o._type) : '')] ?? '<cmp>').join(' ') : '<cmp>'} ${list('comparators')}`;
    case 'Call': {
      const args = [Array.isArray(p.args) ? list('args') : '', Array.isArray(p.keywords) ? list('keywords') : ''].filter(Boolean).join(', ');
      return `${part('func')}(${args || '…'})`;
    }
    case 'keyword':
      return `${typeof p.arg === 'string' ? p.arg : '…'}=${part('value')}`;
    case 'Attribute':
      return `${part('value')}.${typeof p.attr === 'string' ? p.attr : '…'}`;
    case 'Subscript':
      return `${part('value')}[${part('slice')}]`;
    case 'Tuple':
    case 'List':
      return type === 'List' ? `[${list('elts')}]` : `(${list('elts')})`;
    case 'For':
      return `for ${part('target')} in ${part('iter')}: …`;
    case 'With':
      return 'with …: …';
    case 'If':
      return `if ${part('test')}: …`;
    case undefined:
      return '…';
    default:
      return `<${type}>`;
  }
}

function constantText(value: unknown): string {
  if (isScalar(value as PyValue)) return 'v' in (value as { v?: string }) ? String((value as { v: string }).v) : '...';
  return value === null ? 'None' : typeof value === 'string' ? JSON.stringify(value).replace(/^"|"$/g, "'") : String(value);
}

const ORDINAL = (n: number) => `${n}${n % 10 === 1 && n % 100 !== 11 ? 'st' : n % 10 === 2 && n % 100 !== 12 ? 'nd' : n % 10 === 3 && n % 100 !== 13 ? 'rd' : 'th'}`;

function legendOf(sketch: string): string[] {
  const names = [...new Set(sketch.match(/\b_(var|arg)\d+\b/g) ?? [])];
  return names.map((name) => {
    const n = Number(/\d+$/.exec(name)![0]) + 1;
    return name.startsWith('_var') ? `\`${name}\`: the ${ORDINAL(n)} name the function assigns` : `\`${name}\`: its ${ORDINAL(n)} parameter`;
  });
}

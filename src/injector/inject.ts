import { parseExpressions, parsePython, unparsePython } from '../python/python-ast.js';
import { sharedPythonRuntime, type PythonRuntime } from '../python/runtime.js';
import { fixMissingLocations, isNode, pyTypeName, walk, type PyNode } from '../python/tree.js';
import { canonicalizerState, canonicalNames, type CanonicalNames } from './canonicalize.js';
import { assertInjectable, type BugDefinition, type LogicPass } from './definition.js';
import type { TrackedContext } from './match-pattern.js';
import { PythonException } from './python-exception.js';
import { runReplacePass, type ParsedExpressions } from './replace-pass.js';
import { nodesInOrder, runTrackPass } from './track-pass.js';

/** What the engine's injector returns: the flag and text, or the exception it raised. */
export interface InjectResult {
  ok: boolean;
  /** What the engine hands the student; null when the injector raised. */
  output: string | null;
  /** The Python exception (e.g. "ValueError: …") where the reference injector raises. */
  error?: string;
}

/** An InjectResult with why a failed injection failed (bug-author's own diagnostics, not the engine's). */
export interface ExplainedInjectResult extends InjectResult {
  reason?: string;
}

/** A definition ready to run on parsed trees: its literal replacement texts already parsed by CPython. */
export interface PreparedDefinition {
  definition: BugDefinition;
  expressions: ParsedExpressions;
}

/** The passes' effect on one tree, before `ast.unparse`. */
export type TreeInjection =
  | { ok: true; tree: PyNode }
  | { ok: false; reason: string }
  | { ok: false; error: string };

const DEFAULT_CANONICAL_TARGET = 'softmax';

/** The v2.1 injector, reproducing the engine's reference implementation (see spec/). */
export async function inject(definition: object, source: string, options: { python?: PythonRuntime } = {}): Promise<InjectResult> {
  const { ok, output, error } = await injectExplained(definition, source, options);
  return error === undefined ? { ok, output } : { ok, output, error };
}

/** `inject`, plus the reason a failed injection failed (which pass matched nothing…), for verifiers and the CLI. */
export async function injectExplained(definition: object, source: string, options: { python?: PythonRuntime } = {}): Promise<ExplainedInjectResult> {
  const python = options.python ?? sharedPythonRuntime();
  let prepared: PreparedDefinition;
  try {
    prepared = await prepareDefinition(definition, python);
  } catch (err) {
    if (err instanceof PythonException) return { ok: false, output: null, error: err.message };
    throw err;
  }
  return injectPrepared(prepared, source, python);
}

/** `injectExplained` for a definition prepared once and injected into several sources. */
export async function injectPrepared(prepared: PreparedDefinition, source: string, python: PythonRuntime): Promise<ExplainedInjectResult> {
  if (typeof source !== 'string') return { ok: false, output: null, error: 'TypeError: source must be a string' };
  const parsed = await parsePython(python, source, { dedent: true });
  if (!parsed.ok) {
    return { ok: false, output: parsed.text, reason: `source does not parse: ${parsed.error.message} (line ${parsed.error.line})` };
  }
  const result = injectIntoTree(prepared, parsed.tree);
  if ('error' in result) return { ok: false, output: null, error: result.error };
  if (!result.ok) return { ok: false, output: source, reason: result.reason };
  const unparsed = await unparsePython(python, result.tree);
  if (!unparsed.ok) return { ok: false, output: source, reason: `ast.unparse failed: ${unparsed.error}` };
  return { ok: true, output: unparsed.text };
}

/**
 * The engine's constructor checks, and CPython's parse of every `replace_value_with` text:
 * the only Python a definition needs besides parsing the file it is injected into.
 */
export async function prepareDefinition(definition: unknown, python: PythonRuntime): Promise<PreparedDefinition> {
  assertInjectable(definition);
  return { definition, expressions: await parseReplacementExpressions(definition.logic, python) };
}

/**
 * Runs the passes on a tree parsed from the (dedented) source, exactly as the engine does.
 * The tree is modified in place: pass a copy to keep the original.
 */
export function injectIntoTree(prepared: PreparedDefinition, parsedTree: PyNode, trace?: PassTrace): TreeInjection {
  try {
    return runPasses(prepared, parsedTree, trace);
  } catch (err) {
    if (err instanceof PythonException) return { ok: false, error: err.message };
    throw err;
  }
}

/** What the passes saw, for explaining a failed injection (see explain-no-match). */
export interface PassTrace {
  /** Per pass run, in order: how many nodes its pattern matched (a replace pass: how many it replaced). */
  matches: number[];
  /** The context, the tree and its canonical names as the last pass run saw them. */
  context?: TrackedContext;
  tree?: PyNode;
  canonical?: CanonicalNames;
}

function runPasses({ definition: bug, expressions }: PreparedDefinition, parsedTree: PyNode, trace?: PassTrace): TreeInjection {
  let tree: PyNode = parsedTree;
  const failed = (reason: string): TreeInjection => ({ ok: false, reason });

  const target = bug.target_function;
  if (target) {
    const functions = [...walk(parsedTree)].filter((n) => n._type === 'FunctionDef');
    if (functions.length > 0 && !functions.some((n) => n.name === target)) {
      return failed(`target function '${target}' not found`);
    }
  }
  const canonicalTarget = target ? target : DEFAULT_CANONICAL_TARGET;
  if (!Array.isArray(bug.logic)) throw new PythonException('TypeError', `'logic' must be a list of passes`);
  const context: TrackedContext = new Map();
  // The canonical copy the engine builds, seen as the names it gives, by its one Canonicalizer
  // (whose state carries over from one copy to the next).
  const canonicalizer = canonicalizerState();
  let canonical = canonicalNames(parsedTree, canonicalTarget, canonicalizer);
  // The track passes between two replace passes see the same tree: its nodes are listed once.
  let nodes = nodesInOrder(tree);

  for (const [index, step] of bug.logic.entries()) {
    // The engine reads pass_def['type'] and pass_def['pattern']: anything else raises as it would.
    if (!isPlainObject(step)) throw new PythonException('TypeError', `pass ${index + 1} is not an object`);
    if (!('type' in step)) throw new PythonException('KeyError', "'type'");
    const known = step.type === 'find_and_track' || step.type === 'find_and_replace';
    if (known && !('pattern' in step)) throw new PythonException('KeyError', "'pattern'");
    if (trace) Object.assign(trace, { context, tree, canonical });
    if (step.type === 'find_and_track') {
      const matched = runTrackPass(tree, canonical, step.pattern ?? {}, step.conditions, step.track_as, context, nodes);
      trace?.matches.push(matched);
    } else if (step.type === 'find_and_replace') {
      const result = runReplacePass(tree, step.pattern ?? {}, step.replacement ?? {}, context, expressions);
      trace?.matches.push(result.replacements);
      // (With no replacement the tree is as the last canonical copy saw it: rebuilding it could not raise.)
      if (result.replacements === 0) return failed(`pass ${step.pass ?? index + 1} (find_and_replace) matched nothing`);
      // ast.fix_missing_locations raises on a module replaced by something that is not a node.
      if (!isNode(result.tree)) throw new PythonException('AttributeError', `'${pyTypeName(result.tree)}' object has no attribute '_attributes'`);
      tree = result.tree;
      // What ast.fix_missing_locations would change: only the nodes a replacement made.
      if (result.unpositioned) fixMissingLocations(tree);
      // After every replace pass, the engine rebuilds its canonical copy (which raises on a malformed tree).
      canonical = canonicalNames(tree, canonicalTarget, canonicalizer);
      nodes = nodesInOrder(tree);
    }
  }
  return { ok: true, tree };
}

function isPlainObject(value: unknown): value is LogicPass {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

async function parseReplacementExpressions(logic: unknown, python: PythonRuntime): Promise<Map<string, PyNode | null>> {
  const texts = new Set<string>();
  for (const step of Array.isArray(logic) ? logic : []) {
    const source = isPlainObject(step) ? step.replacement?.source : undefined;
    if (step?.replacement?.type === 'replace_value_with' && typeof source === 'string' && !source.startsWith('node.')) texts.add(source);
  }
  const list = [...texts];
  const parsed = await parseExpressions(python, list);
  return new Map(list.map((text, i) => [text, parsed[i] ?? null]));
}

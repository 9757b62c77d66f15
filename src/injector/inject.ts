import { parseExpressions, parsePython, unparsePython } from '../python/python-ast.js';
import { sharedPythonRuntime, type PythonRuntime } from '../python/runtime.js';
import { deepCopy, fixMissingLocations, isNode, walk, type PyNode, type PyValue } from '../python/tree.js';
import { canonicalize } from './canonicalize.js';
import { assertInjectable, type BugDefinition, type LogicPass } from './definition.js';
import type { TrackedContext } from './match-pattern.js';
import { PythonException } from './python-exception.js';
import { runReplacePass } from './replace-pass.js';
import { runTrackPass } from './track-pass.js';

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

const DEFAULT_CANONICAL_TARGET = 'softmax';

/** The v2.1 injector, reproducing the engine's reference implementation (see spec/). */
export async function inject(definition: object, source: string, options: { python?: PythonRuntime } = {}): Promise<InjectResult> {
  const { ok, output, error } = await injectExplained(definition, source, options);
  return error === undefined ? { ok, output } : { ok, output, error };
}

/** `inject`, plus the reason a failed injection failed (which pass matched nothing…), for verifiers and the CLI. */
export async function injectExplained(definition: object, source: string, options: { python?: PythonRuntime } = {}): Promise<ExplainedInjectResult> {
  try {
    return await runInjection(definition, source, options.python ?? sharedPythonRuntime());
  } catch (err) {
    if (err instanceof PythonException) return { ok: false, output: null, error: err.message };
    throw err;
  }
}

async function runInjection(definition: unknown, source: unknown, python: PythonRuntime): Promise<ExplainedInjectResult> {
  assertInjectable(definition);
  if (typeof source !== 'string') throw new PythonException('TypeError', 'source must be a string');
  const bug: BugDefinition = definition;

  const parsed = await parsePython(python, source, { dedent: true });
  if (!parsed.ok) {
    return { ok: false, output: parsed.text, reason: `source does not parse: ${parsed.error.message} (line ${parsed.error.line})` };
  }
  let tree: PyValue | undefined = parsed.tree;
  const failed = (reason: string): ExplainedInjectResult => ({ ok: false, output: source, reason });

  const target = bug.target_function;
  if (target) {
    const functions = [...walk(parsed.tree)].filter((n) => n._type === 'FunctionDef');
    if (functions.length > 0 && !functions.some((n) => n.name === target)) {
      return failed(`target function '${target}' not found`);
    }
  }
  const canonicalTarget = target ? target : DEFAULT_CANONICAL_TARGET;
  const expressions = await parseReplacementExpressions(bug.logic, python);
  const context: TrackedContext = new Map();
  const canonicalCopy = (from: PyValue | undefined) => {
    const copy = canonicalize(deepCopy(from ?? null), canonicalTarget);
    fixMissingLocations(copy);
    return copy;
  };
  let canonical = canonicalCopy(parsed.tree);

  if (!Array.isArray(bug.logic)) throw new PythonException('TypeError', `'logic' must be a list of passes`);
  for (const [index, step] of bug.logic.entries()) {
    // The engine reads pass_def['type'] and pass_def['pattern']: anything else raises as it would.
    if (!isPlainObject(step)) throw new PythonException('TypeError', `pass ${index + 1} is not an object`);
    if (!('type' in step)) throw new PythonException('KeyError', "'type'");
    const known = step.type === 'find_and_track' || step.type === 'find_and_replace';
    if (known && !('pattern' in step)) throw new PythonException('KeyError', "'pattern'");
    if (step.type === 'find_and_track') {
      if (isNode(tree) && isNode(canonical)) runTrackPass(tree, canonical, step.pattern ?? {}, step.conditions, step.track_as, context);
    } else if (step.type === 'find_and_replace') {
      if (!isNode(tree)) return failed(`pass ${index + 1}: the tree is gone`);
      const result = runReplacePass(tree, step.pattern ?? {}, step.replacement ?? {}, context, expressions);
      if (result.replacements === 0) return failed(`pass ${step.pass ?? index + 1} (find_and_replace) matched nothing`);
      tree = result.tree;
      fixMissingLocations(tree);
      canonical = canonicalCopy(tree);
    }
  }

  const unparsed = await unparsePython(python, tree ?? null);
  if (!unparsed.ok) return failed(`ast.unparse failed: ${unparsed.error}`);
  return { ok: true, output: unparsed.text };
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

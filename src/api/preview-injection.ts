import { createTwoFilesPatch } from 'diff';
import { explainNoMatch, type NoMatchExplanation } from '../injector/explain-no-match.js';
import { injectIntoTree, prepareDefinition, type PassTrace } from '../injector/inject.js';
import { PythonException } from '../injector/python-exception.js';
import { loadProject } from '../project/load-project.js';
import { parsePython, unparsePythonMany } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { deepCopy, sameTree, type PyNode } from '../python/tree.js';
import { describeInjection } from '../transfer/describe-injection.js';
import { createVariantSource } from '../transfer/student-variants.js';
import { readBug, type BugDetails } from './bug-details.js';
import type { ProjectRunOptions } from './run-options.js';

export interface PreviewOptions extends Pick<ProjectRunOptions, 'cwd' | 'configFile' | 'env'> {
  /** The bug, by id (`<module>/<name>`) or patch file (relative to `cwd`), as `readBug` takes it. */
  bug: string;
  /** A student-style variant of the reference (its kind, e.g. `renamed-locals`); default the reference itself. */
  variant?: string;
  /** The definition to inject (default: the bug's JSON on disk). */
  definition?: unknown;
}

/** What a definition does to one program (the reference, or a student-style variant of it). */
export interface InjectionPreview {
  /** `reference`, or the variant's kind. */
  subject: string;
  /** For a variant: what it changes in the reference. */
  description?: string;
  /** `exact`: it gives the patched program; `differs`: it injects something else; `no-match`: nothing; `error`: it raised or could not run. */
  outcome: 'exact' | 'differs' | 'no-match' | 'error';
  reason?: string;
  /** For a `no-match`: which pass found nothing, what it looked for, what is missing, the nearest statement. */
  explanation?: NoMatchExplanation;
  /** The program as the engine prints it (`ast.unparse`), before injection. */
  originalText?: string;
  /** What the definition hands back (absent when it injects nothing). */
  injectedText?: string;
  /** The program with the patch's change: what it should hand back. */
  expectedText?: string;
  /** original → injected, as a unified diff. */
  injectedDiff?: string;
  /** expected → injected, as a unified diff: empty when exact. */
  againstExpected?: string;
  /** The student-style variants this bug's reference has (kinds and what each changes); none in snippet mode. */
  variants: Array<{ kind: string; description: string }>;
}

/**
 * Injects a bug's definition into its reference (or one student-style variant of it) exactly as
 * the engine would and compares the result with the patched program: what a page shows as the
 * injected-vs-patched diff. Throws UsageError for an unknown bug; a bug without a usable
 * definition or inputs is an `error` preview saying why.
 */
export async function previewInjection(options: PreviewOptions): Promise<InjectionPreview> {
  const location = { cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env };
  const read = await readBug({ ...location, ...(options.configFile ? { configFile: options.configFile } : {}), bug: options.bug });
  const subject = options.variant ?? 'reference';
  const definition = options.definition ?? ('definition' in read.output ? read.output.definition : undefined);
  if (read.inputError) return { subject, outcome: 'error', reason: `its inputs cannot be read: ${read.inputError}`, variants: [] };
  if (definition === undefined) return { subject, outcome: 'error', reason: read.output.state === 'unreadable' ? `its JSON is ${read.output.reason}` : 'it has no JSON (build it first)', variants: [] };
  const { python } = await loadProject(location, { config: options.configFile });
  const variants = createVariantSource(python);
  const built = read.snippet ? undefined : await variants.variantsFor(read.referenceText, read.patchedText);
  const kinds = built && !('error' in built) ? built.variants.map((v) => ({ kind: v.kind, description: v.description })) : [];
  if (options.variant === undefined) return { ...(await referencePreview(definition, read, python)), variants: kinds };
  if (!built) return { subject, outcome: 'error', reason: 'snippet mode: there is no reference to make student-style variants of', variants: kinds };
  if ('error' in built) return { subject, outcome: 'error', reason: built.error, variants: kinds };
  const variant = built.variants.find((v) => v.kind === options.variant);
  if (!variant) return { subject, outcome: 'error', reason: `no '${options.variant}' variant of this reference (have: ${kinds.map((k) => k.kind).join(', ') || 'none'})`, variants: kinds };
  return { ...(await preview(subject, definition, { tree: variant.tree(), source: variant.source }, variant.expected(), python)), description: variant.description, variants: kinds };
}

async function referencePreview(definition: unknown, read: BugDetails, python: PythonRuntime): Promise<Omit<InjectionPreview, 'variants'>> {
  const [reference, patched] = await Promise.all([parsePython(python, read.referenceText, { dedent: true }), parsePython(python, read.patchedText, { dedent: true })]);
  if (!reference.ok) return { subject: 'reference', outcome: 'error', reason: `the reference does not parse: ${reference.error.message}` };
  if (!patched.ok) return { subject: 'reference', outcome: 'error', reason: `the patched reference does not parse: ${patched.error.message}` };
  return preview('reference', definition, { tree: reference.tree, source: read.referenceText }, patched.tree, python);
}

async function preview(subject: string, definition: unknown, program: { tree: PyNode; source: string }, expected: PyNode, python: PythonRuntime): Promise<Omit<InjectionPreview, 'variants'>> {
  let prepared;
  try {
    prepared = await prepareDefinition(definition, python);
  } catch (err) {
    if (err instanceof PythonException) return { subject, outcome: 'error', reason: `the engine rejects the definition: ${err.message}` };
    throw err;
  }
  const trace: PassTrace = { matches: [] };
  const result = injectIntoTree(prepared, deepCopy(program.tree), trace);
  const described = describeInjection(result, program.tree);
  const [before, patched] = await unparsePythonMany(python, [program.tree, expected]);
  const texts = { ...(before?.ok ? { originalText: `${before.text}\n` } : {}), ...(patched?.ok ? { expectedText: `${patched.text}\n` } : {}) };
  if (!described.injected) {
    const explanation = 'error' in result ? undefined : explainNoMatch(prepared, program.tree, program.source, { result, trace });
    return { subject, outcome: 'error' in result ? 'error' : 'no-match', reason: explanation?.message ?? described.reason, ...(explanation ? { explanation } : {}), ...texts };
  }
  const [after] = await unparsePythonMany(python, [described.tree]);
  if (!before?.ok || !after?.ok || !patched?.ok) return { subject, outcome: 'error', reason: 'ast.unparse fails on the result', ...texts };
  const injectedText = `${after.text}\n`;
  const exact = sameTree(described.tree, expected);
  return {
    subject,
    outcome: exact ? 'exact' : 'differs',
    ...(described.problems.length ? { reason: described.problems.join('; ') } : {}),
    originalText: `${before.text}\n`,
    injectedText,
    expectedText: `${patched.text}\n`,
    injectedDiff: createTwoFilesPatch(`${subject}.py`, `${subject}.py`, `${before.text}\n`, injectedText, '', '', { context: 3 }),
    againstExpected: exact ? '' : createTwoFilesPatch(`${subject}.py`, `${subject}.py`, `${patched.text}\n`, injectedText, '', '', { context: 3 }),
  };
}

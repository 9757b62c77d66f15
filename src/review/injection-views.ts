import { createTwoFilesPatch } from 'diff';
import { injectIntoTree, prepareDefinition } from '../injector/inject.js';
import { PythonException } from '../injector/python-exception.js';
import { describeInjection } from '../transfer/describe-injection.js';
import { parsePython, unparsePythonMany } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { deepCopy, sameTree, type PyNode } from '../python/tree.js';
import type { VariantSource } from '../transfer/student-variants.js';

/** The texts a bug's injections are judged on (the public readBug gives them). */
type BugTexts = { referenceText: string; patchedText: string; snippet: boolean };

/** What a definition does to one program (the reference, or a student-style variant of it), for the page. */
export interface InjectionView {
  /** `reference`, or the variant's kind. */
  subject: string;
  description?: string;
  /** `exact`: it gives the patched program; `differs`: it injects something else; `no-match`: nothing; `error`: it raised. */
  outcome: 'exact' | 'differs' | 'no-match' | 'error';
  reason?: string;
  /** The program (as the engine prints it) → what the definition hands back. */
  injectedDiff?: string;
  /** The patched program → what the definition hands back: empty when exact. */
  againstPatched?: string;
}

/** The variants the page offers: their kinds and what each changes. */
export async function listVariants(inputs: BugTexts, variants: VariantSource): Promise<Array<{ kind: string; description: string }>> {
  if (inputs.snippet) return [];
  const built = await variants.variantsFor(inputs.referenceText, inputs.patchedText);
  return 'error' in built ? [] : built.variants.map((v) => ({ kind: v.kind, description: v.description }));
}

/** The definition injected into the reference, against the patched reference. */
export async function referenceView(definition: unknown, inputs: BugTexts, python: PythonRuntime): Promise<InjectionView> {
  const [reference, patched] = await Promise.all([parsePython(python, inputs.referenceText, { dedent: true }), parsePython(python, inputs.patchedText, { dedent: true })]);
  if (!reference.ok) return { subject: 'reference', outcome: 'error', reason: `the reference does not parse: ${reference.error.message}` };
  if (!patched.ok) return { subject: 'reference', outcome: 'error', reason: `the patched reference does not parse: ${patched.error.message}` };
  return view('reference', definition, reference.tree, patched.tree, python);
}

/** The definition injected into one student-style variant, against that variant with the patch's change. */
export async function variantView(definition: unknown, inputs: BugTexts, kind: string, python: PythonRuntime, variants: VariantSource): Promise<InjectionView | undefined> {
  if (inputs.snippet) return undefined;
  const built = await variants.variantsFor(inputs.referenceText, inputs.patchedText);
  if ('error' in built) return { subject: kind, outcome: 'error', reason: built.error };
  const variant = built.variants.find((v) => v.kind === kind);
  if (!variant) return undefined;
  return { ...(await view(kind, definition, variant.tree, variant.expected, python)), description: variant.description };
}

async function view(subject: string, definition: unknown, tree: PyNode, expected: PyNode, python: PythonRuntime): Promise<InjectionView> {
  let prepared;
  try {
    prepared = await prepareDefinition(definition, python);
  } catch (err) {
    if (err instanceof PythonException) return { subject, outcome: 'error', reason: `the engine rejects the definition: ${err.message}` };
    throw err;
  }
  const result = injectIntoTree(prepared, deepCopy(tree));
  const described = describeInjection(result, tree);
  if (!described.injected) return { subject, outcome: 'error' in result ? 'error' : 'no-match', reason: described.reason };
  const [before, after, patched] = await unparsePythonMany(python, [tree, described.tree, expected]);
  if (!before?.ok || !after?.ok || !patched?.ok) return { subject, outcome: 'error', reason: 'ast.unparse fails on the result' };
  const exact = sameTree(described.tree, expected);
  return {
    subject,
    outcome: exact ? 'exact' : 'differs',
    ...(described.problems.length ? { reason: described.problems.join('; ') } : {}),
    injectedDiff: createTwoFilesPatch(`${subject}.py`, `${subject}.py`, `${before.text}\n`, `${after.text}\n`, '', '', { context: 3 }),
    againstPatched: exact ? '' : createTwoFilesPatch(`${subject}.py`, `${subject}.py`, `${patched.text}\n`, `${after.text}\n`, '', '', { context: 3 }),
  };
}

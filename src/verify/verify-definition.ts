import { createTwoFilesPatch } from 'diff';
import { injectIntoTree, prepareDefinition, type PreparedDefinition } from '../injector/inject.js';
import { PythonException } from '../injector/python-exception.js';
import { checkTransfer, type TransferReport } from '../transfer/check-transfer.js';
import type { StudentVariants } from '../transfer/student-variants.js';
import { parsePython, unparsePython, type ParseResult } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { deepCopy, isNode, sameTree } from '../python/tree.js';
import { formatSchemaProblems, validateDefinition, type SchemaProblem } from '../schema/validate-definition.js';

export type Verdict = 'exact' | 'differs' | 'no-match' | 'error';

export interface Verification {
  verdict: Verdict;
  /** One line saying why, for anything but `exact`. */
  reason?: string;
  /** Unified diff of the expected (patched) code against what the injector produced, for `differs`. */
  diff?: string;
  /** What the injector produced. */
  output?: string;
  schemaProblems?: SchemaProblem[];
  /** Verified against hunks alone (no reference file): weaker evidence. */
  snippet?: boolean;
  /** For an `exact` definition: how it does on student-style variants of the reference. */
  transfer?: TransferReport;
}

export interface VerifyTarget {
  /** The full reference file (or, in snippet mode, the hunks' before-text). */
  reference: string;
  /** The reference with the patch applied. */
  patched: string;
  /** A label for the diff headers, e.g. `cs336_basics/layers.py`. */
  label?: string;
  snippet?: boolean;
  /** The patched source already parsed, to save a round trip when verifying many candidates. */
  patchedTree?: ParseResult;
  /** The reference parsed as the injector parses it (dedented), shared by every candidate of a bug. */
  referenceTree?: () => Promise<ParseResult>;
  /** Student-style variants of this reference (absent in snippet mode: there is no file to vary). */
  variants?: () => Promise<StudentVariants | { error: string }>;
}

/**
 * Injects the definition into the reference exactly as the engine would and compares the
 * result with the patched reference, ignoring comments and formatting (ast.dump equality).
 */
export async function verifyDefinition(definition: unknown, target: VerifyTarget, python: PythonRuntime): Promise<Verification> {
  const snippet = target.snippet ? { snippet: true } : {};
  const schema = validateDefinition(definition);
  if (!schema.valid) {
    return { verdict: 'error', reason: `schema: ${formatSchemaProblems(schema.problems)}`, schemaProblems: schema.problems, ...snippet };
  }
  let prepared: PreparedDefinition;
  try {
    prepared = await prepareDefinition(definition, python);
  } catch (err) {
    if (err instanceof PythonException) return { verdict: 'error', reason: `the injector raised ${err.message}`, ...snippet };
    throw err;
  }
  const [reference, expected] = await Promise.all([
    target.referenceTree ? target.referenceTree() : parsePython(python, target.reference, { dedent: true }),
    target.patchedTree ? Promise.resolve(target.patchedTree) : parsePython(python, target.patched, { dedent: true }),
  ]);
  if (!reference.ok) return { verdict: 'no-match', reason: `source does not parse: ${reference.error.message} (line ${reference.error.line})`, ...snippet };
  const injected = injectIntoTree(prepared, deepCopy(reference.tree));
  if ('error' in injected) return { verdict: 'error', reason: `the injector raised ${injected.error}`, ...snippet };
  if (!injected.ok) return { verdict: 'no-match', reason: injected.reason, ...snippet };
  if (!expected.ok) {
    return { verdict: 'error', reason: `the patched reference is not valid Python: ${expected.error.message} (line ${expected.error.line})`, ...snippet };
  }
  // A tree equal to a parsed one prints and parses back to itself: exactness needs no round trip.
  if (isNode(injected.tree) && sameTree(injected.tree, expected.tree)) {
    const transfer = await transferOf(prepared, target);
    return { verdict: 'exact', ...snippet, ...(transfer ? { transfer } : {}) };
  }
  const unparsed = await unparsePython(python, injected.tree ?? null);
  if (!unparsed.ok) return { verdict: 'no-match', reason: `ast.unparse failed: ${unparsed.error}`, ...snippet };
  const output = unparsed.text;
  const got = await parsePython(python, output);
  if (!got.ok) {
    return { verdict: 'error', reason: `the injected code is not valid Python: ${got.error.message} (line ${got.error.line})`, output, ...snippet };
  }
  if (sameTree(got.tree, expected.tree)) {
    const transfer = await transferOf(prepared, target);
    return { verdict: 'exact', output, ...snippet, ...(transfer ? { transfer } : {}) };
  }
  const canonicalExpected = await unparsePython(python, expected.tree);
  const label = target.label ?? 'reference.py';
  const diff = createTwoFilesPatch(
    `${label} (patched)`,
    `${label} (injected)`,
    ensureNewline(canonicalExpected.ok ? canonicalExpected.text : target.patched),
    ensureNewline(output),
    '',
    '',
    { context: 2 },
  );
  return { verdict: 'differs', reason: 'the injected code is not the patched code', diff, output, ...snippet };
}

async function transferOf(prepared: PreparedDefinition, target: VerifyTarget): Promise<TransferReport | undefined> {
  const variants = await target.variants?.();
  return variants && !('error' in variants) ? checkTransfer(prepared, variants) : undefined;
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

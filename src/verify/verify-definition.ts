import { createTwoFilesPatch } from 'diff';
import { injectExplained } from '../injector/inject.js';
import { parsePython, unparsePython, type ParseResult } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { sameTree } from '../python/tree.js';
import { formatSchemaProblems, validateDefinition, type SchemaProblem } from '../schema/validate-definition.js';
import type { EngineJudge } from './engine-judge.js';

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
  /** The engine (its fingerprint) that judged this injection too: see engine-judge.ts. */
  judgedBy?: string;
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
}

/**
 * Injects the definition into the reference exactly as the engine would and compares the
 * result with the patched reference, ignoring comments and formatting (ast.dump equality).
 * With a judge, the curriculum's own engine injects too, and any disagreement is an error.
 */
export async function verifyDefinition(definition: unknown, target: VerifyTarget, python: PythonRuntime, judge?: EngineJudge): Promise<Verification> {
  const snippet = target.snippet ? { snippet: true } : {};
  const schema = validateDefinition(definition);
  if (!schema.valid) {
    return { verdict: 'error', reason: `schema: ${formatSchemaProblems(schema.problems)}`, schemaProblems: schema.problems, ...snippet };
  }
  const injected = await injectExplained(definition as object, target.reference, { python });
  const judged = await judge?.judge(definition, target.reference, injected, python);
  const judgedBy = judged && judged.verdict !== 'skipped' ? { judgedBy: judged.judgedBy } : {};
  if (judged && !judged.ok) return { verdict: 'error', reason: judged.reason, ...('diff' in judged && judged.diff ? { diff: judged.diff } : {}), ...judgedBy, ...snippet };
  if (injected.error) return { verdict: 'error', reason: `the injector raised ${injected.error}`, ...judgedBy, ...snippet };
  if (!injected.ok) return { verdict: 'no-match', reason: injected.reason ?? 'the injector found nothing to change', ...judgedBy, ...snippet };
  const output = injected.output ?? '';
  const [got, expected] = await Promise.all([
    parsePython(python, output),
    target.patchedTree ? Promise.resolve(target.patchedTree) : parsePython(python, target.patched, { dedent: true }),
  ]);
  if (!got.ok) {
    return { verdict: 'error', reason: `the injected code is not valid Python: ${got.error.message} (line ${got.error.line})`, output, ...judgedBy, ...snippet };
  }
  if (!expected.ok) {
    return { verdict: 'error', reason: `the patched reference is not valid Python: ${expected.error.message} (line ${expected.error.line})`, output, ...judgedBy, ...snippet };
  }
  if (sameTree(got.tree, expected.tree)) return { verdict: 'exact', output, ...judgedBy, ...snippet };
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
  return { verdict: 'differs', reason: 'the injected code is not the patched code', diff, output, ...judgedBy, ...snippet };
}

function ensureNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

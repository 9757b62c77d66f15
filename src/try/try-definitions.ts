// `bug-author try`: the definitions against real student files (last year's submissions),
// injected exactly as the engine would. Nothing is known about what the right result is, so
// the question is only whether the engine would hand the student a broken program.
import { createTwoFilesPatch } from 'diff';
import { explainNoMatch, type NoMatchExplanation } from '../injector/explain-no-match.js';
import { injectIntoTree, prepareDefinition, type PreparedDefinition } from '../injector/inject.js';
import { PythonException } from '../injector/python-exception.js';
import { parsePython, parsePythonMany, unparsePythonMany } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { deepCopy, walk, type PyNode } from '../python/tree.js';
import { describeInjection, listUnits } from '../transfer/describe-injection.js';
import { changedFunctions, MODULE_UNIT } from '../transfer/python-names.js';

/**
 * `injected`: the engine changes the file and it is still a valid program; `no-match`: the
 * engine injects nothing and says so (the injector reports failure, or raises on this file);
 * `broke`: it injects invalid Python or a name the student's file never defines, or the engine
 * rejects the definition itself (it cannot work for anyone); `absent`: the file does not define
 * the definition's target function (the engine skips it).
 */
export type TryOutcome = 'injected' | 'no-match' | 'broke' | 'absent';

/** Injected files printed and parsed back per bridge call. */
const JUDGED_TOGETHER = 200;

export interface DefinitionUnderTry {
  /** How the definition is named in reports (its bug id, or its file). */
  label: string;
  file: string;
  /** The curriculum module it belongs to (what --module selects). */
  module?: string;
  definition: unknown;
}

export interface StudentFile {
  /** As shown in reports. */
  label: string;
  source: string;
}

export interface TryCell {
  bug: string;
  file: string;
  outcome: TryOutcome;
  reason?: string;
  /**
   * Functions an injection changed besides one named like the target function (`<module>`: code
   * outside the functions): a look-alike was probably hit too.
   */
  alsoChanged?: string[];
  /** The student's code (as the engine prints it) against what the engine would hand back. */
  diff?: string;
  /** For a `no-match`: which pass found nothing, what the file lacks, the nearest code (see explain-no-match). */
  explanation?: NoMatchExplanation;
}

export interface TryReport {
  cells: TryCell[];
  /** Student files CPython cannot parse: the engine would inject nothing into them. */
  unparsable: Array<{ file: string; reason: string }>;
  /** Student files that are not text (binary, not UTF-8): nothing was tried on them. */
  unreadable?: Array<{ file: string; reason: string }>;
}

export async function tryDefinitions(
  definitions: readonly DefinitionUnderTry[],
  students: readonly StudentFile[],
  python: PythonRuntime,
  options: { diff?: boolean; signal?: AbortSignal } = {},
): Promise<TryReport> {
  const parsed = await Promise.all(students.map((s) => parsePython(python, s.source, { dedent: true })));
  const unparsable: TryReport['unparsable'] = [];
  const files: Array<{ label: string; tree: PyNode; source: string }> = [];
  parsed.forEach((result, i) => {
    if (result.ok) files.push({ label: students[i]!.label, tree: result.tree, source: students[i]!.source });
    else unparsable.push({ file: students[i]!.label, reason: `${result.error.message} (line ${result.error.line})` });
  });

  const cells: TryCell[] = [];
  for (const candidate of definitions) {
    options.signal?.throwIfAborted();
    let prepared: PreparedDefinition;
    try {
      prepared = await prepareDefinition(candidate.definition, python);
    } catch (err) {
      if (!(err instanceof PythonException)) throw err;
      for (const file of files) cells.push({ bug: candidate.label, file: file.label, outcome: 'broke', reason: `the engine rejects the definition: ${err.message}` });
      continue;
    }
    const injected: Injected[] = [];
    for (const file of files) {
      const cell: TryCell = { bug: candidate.label, file: file.label, outcome: 'no-match' };
      cells.push(cell);
      if (!definesTarget(file.tree, prepared.definition.target_function)) {
        Object.assign(cell, { outcome: 'absent', reason: `no \`def ${prepared.definition.target_function}\` in this file` });
        continue;
      }
      const result = injectIntoTree(prepared, deepCopy(file.tree));
      const described = describeInjection(result, file.tree);
      if (!described.injected) {
        const explanation = !result.ok && !('error' in result) ? explainNoMatch(prepared, file.tree, file.source) : undefined;
        Object.assign(cell, { reason: explanation?.message ?? described.reason }, explanation ? { explanation } : {});
      }
      else injected.push({ cell, tree: described.tree, problems: described.problems, original: file.tree, target: prepared.definition.target_function || undefined });
    }
    // One definition's results at a time, in chunks: a whole submissions folder printed in one
    // bridge call could exceed what one string can hold.
    for (let start = 0; start < injected.length; start += JUDGED_TOGETHER) {
      await judgeInjected(injected.slice(start, start + JUDGED_TOGETHER), python, options.diff === true);
    }
  }
  return { cells, unparsable };
}

/** The engine's gate: with any `def` in the file, one must be named like the target function. */
function definesTarget(tree: PyNode, target: string | undefined): boolean {
  if (!target) return true;
  const functions = [...walk(tree)].filter((n) => n._type === 'FunctionDef');
  return functions.length === 0 || functions.some((n) => n.name === target);
}

interface Injected {
  cell: TryCell;
  tree: PyNode;
  /** What describeInjection found wrong with the result. */
  problems: string[];
  original: PyNode;
  target: string | undefined;
}

/** Prints each result as the engine would and parses it back; a name nobody defines or invalid Python is a broken program. */
async function judgeInjected(injected: readonly Injected[], python: PythonRuntime, withDiff: boolean): Promise<void> {
  const printed = await unparsePythonMany(python, injected.map((i) => i.tree));
  const reparsed = await parsePythonMany(python, printed.map((p) => (p.ok ? p.text : '')));
  const originals = withDiff ? await unparsePythonMany(python, injected.map((i) => i.original)) : [];
  injected.forEach(({ cell, tree, problems, original, target }, i) => {
    const text = printed[i]!;
    if (!text.ok) {
      // The engine catches a failed ast.unparse and reports that nothing was injected.
      cell.reason = `ast.unparse fails on the result (${text.error}), so the engine injects nothing`;
      return;
    }
    const back = reparsed[i]!;
    if (!back.ok) {
      Object.assign(cell, { outcome: 'broke', reason: `the result is not valid Python: ${back.error.message} (line ${back.error.line})` });
    } else if (problems.length) {
      Object.assign(cell, { outcome: 'broke', reason: `the result ${problems.join('; ')}` });
    } else {
      cell.outcome = 'injected';
      Object.assign(cell, lookalikeWarning(changedFunctions(original, tree), target));
    }
    const before = originals[i];
    if (withDiff && before?.ok) cell.diff = createTwoFilesPatch(`${cell.file} (student)`, `${cell.file} (${cell.bug} injected)`, `${before.text}\n`, `${text.text}\n`, '', '', { context: 2 });
  });
}

/**
 * More than one unit changed (or one not named like the target): every one but the first named
 * like the target function, e.g. the same bug injected into `A.forward` and `B.forward`.
 */
function lookalikeWarning(changed: readonly string[], target: string | undefined): Pick<TryCell, 'alsoChanged' | 'reason'> {
  const primary = target === undefined ? undefined : changed.find((key) => key !== MODULE_UNIT && bareName(key) === target);
  const others = changed.filter((key) => key !== primary);
  if (others.length === 0 || (changed.length === 1 && target === undefined)) return {};
  const what = primary ? `it also changes ${listUnits(others)}, not only \`${primary}\`` : `it changes ${listUnits(others)}${target ? `, not \`${target}\`` : ''}`;
  return { alsoChanged: others, reason: `${what}: probably a look-alike, check the diff (--diff)` };
}

/** `B.forward#2` → `forward`. */
function bareName(key: string): string {
  return key.split('#')[0]!.split('.').at(-1)!;
}

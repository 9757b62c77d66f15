// `bug-author try`: the definitions against real student files (last year's submissions),
// injected exactly as the engine would. Nothing is known about what the right result is, so
// the question is only whether the engine would hand the student a broken program.
import { createTwoFilesPatch } from 'diff';
import { injectIntoTree, prepareDefinition, type PreparedDefinition } from '../injector/inject.js';
import { PythonException } from '../injector/python-exception.js';
import { parsePython, parsePythonMany, unparsePythonMany } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { deepCopy, hasEmptyBlock, isNode, sameTree, walk, type PyNode } from '../python/tree.js';
import { functionUnits, introducedUndefinedNames } from '../transfer/python-names.js';

/**
 * `injected`: the engine changes the file and it is still a valid program; `no-match`: the
 * engine reports that it could not inject (the student is told); `broke`: it injects invalid
 * Python or a name the student's file never defines, or the injector raises; `absent`: the file
 * does not define the definition's target function (the engine skips it).
 */
export type TryOutcome = 'injected' | 'no-match' | 'broke' | 'absent';

export interface DefinitionUnderTry {
  /** How the definition is named in reports (its bug id, or its file). */
  label: string;
  file: string;
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
  /** Functions an injection changed besides the target function: a look-alike was probably hit too. */
  alsoChanged?: string[];
  /** The student's code (as the engine prints it) against what the engine would hand back. */
  diff?: string;
}

export interface TryReport {
  cells: TryCell[];
  /** Student files CPython cannot parse: the engine would inject nothing into them. */
  unparsable: Array<{ file: string; reason: string }>;
}

export async function tryDefinitions(
  definitions: readonly DefinitionUnderTry[],
  students: readonly StudentFile[],
  python: PythonRuntime,
  options: { diff?: boolean } = {},
): Promise<TryReport> {
  const parsed = await Promise.all(students.map((s) => parsePython(python, s.source, { dedent: true })));
  const unparsable: TryReport['unparsable'] = [];
  const files: Array<{ label: string; tree: PyNode }> = [];
  parsed.forEach((result, i) => {
    if (result.ok) files.push({ label: students[i]!.label, tree: result.tree });
    else unparsable.push({ file: students[i]!.label, reason: `${result.error.message} (line ${result.error.line})` });
  });

  const cells: TryCell[] = [];
  const injected: Array<{ cell: TryCell; tree: PyNode; original: PyNode; target?: string }> = [];
  for (const candidate of definitions) {
    let prepared: PreparedDefinition;
    try {
      prepared = await prepareDefinition(candidate.definition, python);
    } catch (err) {
      if (!(err instanceof PythonException)) throw err;
      for (const file of files) cells.push({ bug: candidate.label, file: file.label, outcome: 'broke', reason: `the engine rejects the definition: ${err.message}` });
      continue;
    }
    for (const file of files) {
      const cell: TryCell = { bug: candidate.label, file: file.label, outcome: 'no-match' };
      cells.push(cell);
      if (!definesTarget(file.tree, prepared.definition.target_function)) {
        Object.assign(cell, { outcome: 'absent', reason: `no \`def ${prepared.definition.target_function}\` in this file` });
        continue;
      }
      const result = injectIntoTree(prepared, deepCopy(file.tree));
      if ('error' in result) Object.assign(cell, { outcome: 'broke', reason: `the injector raises ${result.error}` });
      else if (!result.ok) cell.reason = result.reason;
      else if (!isNode(result.tree)) Object.assign(cell, { outcome: 'broke', reason: 'it removes the whole module' });
      else injected.push({ cell, tree: result.tree, original: file.tree, ...(prepared.definition.target_function ? { target: prepared.definition.target_function } : {}) });
    }
  }
  await judgeInjected(injected, python, options.diff === true);
  return { cells, unparsable };
}

/** Qualified names of the functions whose code differs between two versions of a file. */
function changedFunctions(before: PyNode, after: PyNode): string[] {
  const old = new Map(functionUnits(before).map((u) => [u.qualifiedName, u.node]));
  return functionUnits(after)
    .filter((u) => !sameTree(u.node, old.get(u.qualifiedName)))
    .map((u) => u.qualifiedName);
}

/** The engine's gate: with any `def` in the file, one must be named like the target function. */
function definesTarget(tree: PyNode, target: string | undefined): boolean {
  if (!target) return true;
  const functions = [...walk(tree)].filter((n) => n._type === 'FunctionDef');
  return functions.length === 0 || functions.some((n) => n.name === target);
}

/** Prints each result as the engine would and parses it back; a name nobody defines or invalid Python is a broken program. */
async function judgeInjected(injected: ReadonlyArray<{ cell: TryCell; tree: PyNode; original: PyNode; target?: string }>, python: PythonRuntime, withDiff: boolean): Promise<void> {
  const printed = await unparsePythonMany(python, injected.map((i) => i.tree));
  const reparsed = await parsePythonMany(python, printed.map((p) => (p.ok ? p.text : '')));
  const originals = withDiff ? await unparsePythonMany(python, injected.map((i) => i.original)) : [];
  injected.forEach(({ cell, tree, original, target }, i) => {
    const text = printed[i]!;
    if (!text.ok) {
      // The engine catches a failed ast.unparse and reports that nothing was injected.
      cell.reason = `ast.unparse fails on the result (${text.error}), so the engine injects nothing`;
      return;
    }
    const back = reparsed[i]!;
    const undefinedNames = introducedUndefinedNames(tree, original);
    if (!back.ok || hasEmptyBlock(tree)) {
      Object.assign(cell, { outcome: 'broke', reason: `the result is not valid Python${back.ok ? ' (a block is left empty)' : `: ${back.error.message} (line ${back.error.line})`}` });
    } else if (undefinedNames.length) {
      Object.assign(cell, { outcome: 'broke', reason: `the result uses ${undefinedNames.map((n) => `\`${n}\``).join(', ')}, which the student's file never defines` });
    } else {
      cell.outcome = 'injected';
      const elsewhere = changedFunctions(original, tree).filter((name) => name.split('.').at(-1) !== target);
      if (target && elsewhere.length) {
        cell.alsoChanged = elsewhere;
        cell.reason = `it also changes ${elsewhere.map((n) => `\`${n}\``).join(', ')}, not only \`${target}\`: probably a look-alike, check the diff (--diff)`;
      }
    }
    const before = originals[i];
    if (withDiff && before?.ok) cell.diff = createTwoFilesPatch(`${cell.file} (student)`, `${cell.file} (${cell.bug} injected)`, `${before.text}\n`, `${text.text}\n`, '', '', { context: 2 });
  });
}

import path from 'node:path';
import { UsageError } from '../errors.js';
import { loadProject } from '../project/load-project.js';
import { tryDefinitions as tryOnStudents, type TryReport } from '../try/try-definitions.js';
import { namedDefinitions, projectDefinitions, studentFiles } from '../try/try-inputs.js';
import type { ProjectRunOptions } from './run-options.js';

export interface TryOptions extends Pick<ProjectRunOptions, 'cwd' | 'configFile' | 'env' | 'signal'> {
  /** Student files, or directories holding them (searched for `*.py`), relative to `cwd`. */
  students: readonly string[];
  /** Only these definitions (JSON files, relative to `cwd`); default every bug JSON of the project. */
  bugs?: readonly string[];
  /** Only the definitions of this module. */
  module?: string;
  /** Keep, per injected or broken case, the diff of what the engine would hand the student. */
  diff?: boolean;
}

/** Every definition × student file, with how many of each were tried. */
export interface TryResult extends TryReport {
  definitions: number;
  /** Student files found, unreadable ones included. */
  files: number;
  /** The exit code the CLI returns: 1 when a definition broke a student file, else 0. */
  exitCode: number;
}

/**
 * Injects definitions into real student files exactly as the engine would, as `bug-author try`
 * does: per definition and file `injected`, `no-match`, `broke` or `absent`. The signal cancels
 * it between definitions: the promise rejects with the signal's reason.
 */
export async function tryDefinitions(options: TryOptions): Promise<TryResult> {
  if (options.students.length === 0) throw new UsageError('try: name at least one student file or directory, e.g. bug-author try submissions/');
  options.signal?.throwIfAborted();
  const base = path.resolve(options.cwd ?? process.cwd());
  const { students, unreadable } = await studentFiles(options.students, base);
  // The project's Python (config, .env, BUG_AUTHOR_PYTHON) with named definitions too: the same injector answers.
  const { config, python } = await loadProject({ cwd: base, env: options.env ?? process.env }, { config: options.configFile });
  let definitions = options.bugs?.length ? await namedDefinitions(options.bugs, base, config) : await projectDefinitions(config);
  if (options.module) {
    const inModule = definitions.filter((d) => d.module === options.module);
    if (inModule.length === 0) throw new UsageError(`try: no definition of module '${options.module}' (have: ${[...new Set(definitions.map((d) => d.module))].join(', ')})`);
    definitions = inModule;
  }
  const report = await tryOnStudents(definitions, students, python, { diff: options.diff === true, ...(options.signal ? { signal: options.signal } : {}) });
  return {
    ...report,
    unreadable,
    definitions: definitions.length,
    files: students.length + unreadable.length,
    exitCode: report.cells.some((c) => c.outcome === 'broke') ? 1 : 0,
  };
}

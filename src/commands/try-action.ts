import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { bugRefFor } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { InputError, UsageError } from '../errors.js';
import { assertInsideRoot, containment, describeEscape } from '../inputs/contained-path.js';
import { loopFreeFs } from '../discover/loop-free-fs.js';
import { readTextFile } from '../inputs/read-text-file.js';
import type { BugDefinition } from '../injector/definition.js';
import { readExistingOutput, type ExistingOutput } from '../outputs/existing-output.js';
import { formatTryJson, formatTryText } from '../try/format-try-report.js';
import { tryDefinitions, type DefinitionUnderTry, type StudentFile, type TryReport } from '../try/try-definitions.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from './command.js';
import type { TryArgs } from './try-command.js';
import { loadProject } from './project-context.js';

const NOT_STUDENT_CODE = ['**/node_modules/**', '**/.git/**', '**/__pycache__/**', '**/.venv/**', '**/venv/**', '**/site-packages/**'];

export async function runTryCommand({ options, positionals }: TryArgs, io: CommandIO): Promise<number> {
  if (positionals.length === 0) throw new UsageError('try: name at least one student file or directory, e.g. bug-author try submissions/');
  const base = path.resolve(io.cwd, options.cwd ?? '.');
  const { students, unreadable } = await studentFiles(positionals, base);
  // The project's Python (config, .env, BUG_AUTHOR_PYTHON) with --bug too: the same injector answers.
  const { config, python } = await loadProject(io, { config: options.config, cwd: options.cwd });
  let definitions = options.bug?.length ? await namedDefinitions(options.bug, base, config) : await projectDefinitions(config);
  if (options.module) {
    const inModule = definitions.filter((d) => d.module === options.module);
    if (inModule.length === 0) throw new UsageError(`try: no definition of module '${options.module}' (have: ${[...new Set(definitions.map((d) => d.module))].join(', ')})`);
    definitions = inModule;
  }
  const report: TryReport = { ...(await tryDefinitions(definitions, students, python, { diff: options.diff === true })), unreadable };
  io.stdout(options.format === 'json' ? formatTryJson(report) : formatTryText(report, { definitions: definitions.length, files: students.length + unreadable.length }));
  return report.cells.some((c) => c.outcome === 'broke') ? EXIT_FINDINGS : EXIT_OK;
}

/** The student files named or found in the directories named; one that is not text is listed, not fatal. */
async function studentFiles(arguments_: readonly string[], base: string): Promise<{ students: StudentFile[]; unreadable: NonNullable<TryReport['unreadable']> }> {
  const files: Array<{ file: string; within?: string }> = [];
  for (const argument of arguments_) {
    const absolute = path.resolve(base, argument);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`try: ${argument}: no such file or directory`);
    if (info.isDirectory()) {
      // Links leading back up (`loop -> ..`) are not entered; files reached through links leading out of the directory are refused below.
      const found = await fg('**/*.py', { cwd: absolute, absolute: true, ignore: NOT_STUDENT_CODE, onlyFiles: true, fs: loopFreeFs() });
      if (found.length === 0) throw new UsageError(`try: ${argument}: no .py files in this directory`);
      files.push(...found.sort().map((file) => ({ file, within: absolute })));
    } else {
      files.push({ file: absolute });
    }
  }
  const unique = [...new Map(files.map((f) => [f.file, f])).values()];
  const read = await Promise.all(
    unique.map(async ({ file, within }): Promise<StudentFile | { label: string; unreadable: string }> => {
      const label = path.relative(base, file) || file;
      const escape = within ? containment(file, within) : { inside: true as const };
      if (!escape.inside) return { label, unreadable: describeEscape(escape, file, { base, what: 'student file', boundaryName: path.relative(base, within!) || within! }) };
      try {
        return { label, source: await readTextFile(file, 'student file') };
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return { label, unreadable: err.reason };
      }
    }),
  );
  return {
    students: read.filter((r): r is StudentFile => 'source' in r),
    unreadable: read.flatMap((r) => ('unreadable' in r ? [{ file: r.label, reason: r.unreadable }] : [])),
  };
}

/** The definitions named by --bug; the module is the one their place says, as for a patch there. */
async function namedDefinitions(files: readonly string[], base: string, config: ResolvedConfig): Promise<DefinitionUnderTry[]> {
  return Promise.all(
    files.map(async (name) => {
      const file = path.resolve(base, name);
      const definition = await definitionIn(file);
      if (definition === undefined) throw new UsageError(`try: --bug ${name}: no such file`);
      return { label: path.relative(base, file), file, module: bugRefFor(file, config).module, definition };
    }),
  );
}

/** Every bug of the project that has a JSON. */
async function projectDefinitions(config: ResolvedConfig): Promise<DefinitionUnderTry[]> {
  const definitions: DefinitionUnderTry[] = [];
  for (const bug of await discoverBugs(config)) {
    assertInsideRoot(bug.outputFile, config, 'bug definition');
    const definition = await definitionIn(bug.outputFile);
    if (definition !== undefined) definitions.push({ label: bug.id, file: bug.outputFile, module: bug.module, definition });
  }
  if (definitions.length === 0) throw new UsageError(`try: no bug JSON in ${config.root}; run \`bug-author build\` first or pass --bug <file.json>`);
  return definitions;
}

/** The definition a bug JSON holds (hand-written or generated), undefined when there is no file; a file that is not a JSON object is an error. */
async function definitionIn(file: string): Promise<BugDefinition | undefined> {
  let existing: ExistingOutput;
  try {
    existing = await readExistingOutput(file);
  } catch (err) {
    throw new InputError('unreadable', file, `cannot read bug definition (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (existing.state === 'missing') return undefined;
  if (existing.state === 'unreadable') throw new InputError('bad-json', file, existing.reason);
  return existing.definition;
}

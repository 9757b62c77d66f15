import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { discoverBugs } from '../discover/discover-bugs.js';
import { InputError, UsageError } from '../errors.js';
import { readTextFile } from '../inputs/read-text-file.js';
import { pythonChoiceOf } from '../python/python-choice.js';
import { sharedPythonRuntimes, type PythonRuntime } from '../python/runtime.js';
import { formatTryJson, formatTryText } from '../try/format-try-report.js';
import { tryDefinitions, type DefinitionUnderTry, type StudentFile } from '../try/try-definitions.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from './command.js';
import type { TryArgs } from './try-command.js';
import { loadProject } from './project-context.js';

const NOT_STUDENT_CODE = ['**/node_modules/**', '**/.git/**', '**/__pycache__/**', '**/.venv/**', '**/venv/**', '**/site-packages/**'];

export async function runTryCommand({ options, positionals }: TryArgs, io: CommandIO): Promise<number> {
  if (positionals.length === 0) throw new UsageError('try: name at least one student file or directory, e.g. bug-author try submissions/');
  const base = path.resolve(io.cwd, options.cwd ?? '.');
  const students = await studentFiles(positionals, base);
  const project = options.bug?.length ? undefined : await projectDefinitions(io, options);
  let definitions = project ? project.definitions : await namedDefinitions(options.bug!, base);
  const python: PythonRuntime = project?.python ?? sharedPythonRuntimes().runtimeFor(pythonChoiceOf({ env: io.env, cwd: base }));
  if (options.module) {
    const inModule = definitions.filter((d) => d.label.split('/')[0] === options.module);
    if (inModule.length === 0) throw new UsageError(`try: no definition of module '${options.module}' (have: ${[...new Set(definitions.map((d) => d.label.split('/')[0]))].join(', ')})`);
    definitions = inModule;
  }
  const report = await tryDefinitions(definitions, students, python, { diff: options.diff === true });
  io.stdout(options.format === 'json' ? formatTryJson(report) : formatTryText(report, { definitions: definitions.length, files: students.length }));
  return report.cells.some((c) => c.outcome === 'broke') ? EXIT_FINDINGS : EXIT_OK;
}

async function studentFiles(arguments_: readonly string[], base: string): Promise<StudentFile[]> {
  const files: string[] = [];
  for (const argument of arguments_) {
    const absolute = path.resolve(base, argument);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`try: ${argument}: no such file or directory`);
    if (info.isDirectory()) {
      const found = await fg('**/*.py', { cwd: absolute, absolute: true, ignore: NOT_STUDENT_CODE, onlyFiles: true });
      if (found.length === 0) throw new UsageError(`try: ${argument}: no .py files in this directory`);
      files.push(...found.sort());
    } else {
      files.push(absolute);
    }
  }
  const unique = [...new Set(files)];
  return Promise.all(unique.map(async (file) => ({ label: path.relative(base, file) || file, source: await readTextFile(file, 'student file') })));
}

async function namedDefinitions(files: readonly string[], base: string): Promise<DefinitionUnderTry[]> {
  return Promise.all(
    files.map(async (name) => {
      const file = path.resolve(base, name);
      let text: string;
      try {
        text = await readFile(file, 'utf8');
      } catch {
        throw new UsageError(`try: --bug ${name}: no such file`);
      }
      try {
        return { label: path.relative(base, file), file, definition: JSON.parse(text) as unknown };
      } catch (err) {
        throw new InputError('bad-json', file, `not valid JSON: ${(err as Error).message}`);
      }
    }),
  );
}

/** Every bug of the project that has a JSON. */
async function projectDefinitions(io: CommandIO, values: { config?: string | undefined; cwd?: string | undefined }): Promise<{ definitions: DefinitionUnderTry[]; python: PythonRuntime }> {
  const { config, python } = await loadProject(io, { config: values.config, cwd: values.cwd });
  const definitions: DefinitionUnderTry[] = [];
  for (const bug of await discoverBugs(config)) {
    let text: string;
    try {
      text = await readFile(bug.outputFile, 'utf8');
    } catch {
      continue;
    }
    try {
      definitions.push({ label: bug.id, file: bug.outputFile, definition: JSON.parse(text) as unknown });
    } catch (err) {
      throw new InputError('bad-json', bug.outputFile, `not valid JSON: ${(err as Error).message}`);
    }
  }
  if (definitions.length === 0) throw new UsageError(`try: no bug JSON in ${config.root}; run \`bug-author build\` first or pass --bug <file.json>`);
  return { definitions, python };
}

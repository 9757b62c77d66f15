import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { discoverBugs } from '../discover/discover-bugs.js';
import { InputError, UsageError } from '../errors.js';
import { readTextFile } from '../inputs/read-text-file.js';
import { sharedPythonRuntime } from '../python/runtime.js';
import { formatTryJson, formatTryText } from '../try/format-try-report.js';
import { tryDefinitions, type DefinitionUnderTry, type StudentFile } from '../try/try-definitions.js';
import { EXIT_FINDINGS, EXIT_OK, type Command, type CommandIO } from './command.js';
import { parseCommandArgs } from './parse-command-args.js';
import { loadProject } from './project-context.js';

const FORMATS = ['text', 'json'];
const NOT_STUDENT_CODE = ['**/node_modules/**', '**/.git/**', '**/__pycache__/**', '**/.venv/**', '**/venv/**', '**/site-packages/**'];

export const tryCommand: Command = {
  name: 'try',
  summary: "inject the definitions into real student files and report what would break",
  usage: `Usage: bug-author try <file.py|dir> ... [options]

Injects bug definitions into real student files (e.g. last year's submissions) exactly as the
engine would, and reports for each definition and file:
  injected   the engine changes the file and it is still a valid program
  no-match   the engine reports that it could not inject (the student is told)
  broke      invalid Python, a name the student's file never defines, or the injector raises
  absent     the file has no \`def <target_function>\` (the engine skips it)
Directories are searched for *.py files.

Options:
  --bug <file.json>   try this definition (repeatable); default: every bug's JSON in the project
  --module <name>     only the bugs of this module (e.g. softmax)
  --diff              show what the engine would hand the student for each injected or broken case
  --format <f>        text (default) or json
  --config <file>     use this config file instead of searching upwards
  --cwd <dir>         run as if started in <dir>
  -h, --help          show this help

Exit codes: 0 nothing broke, 1 something broke, 2 usage or configuration error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('try', args, {
      bug: { type: 'string', multiple: true },
      module: { type: 'string' },
      diff: { type: 'boolean' },
      format: { type: 'string', default: 'text' },
      config: { type: 'string' },
      cwd: { type: 'string' },
    });
    if (values.help) {
      io.stdout(`${this.usage}\n`);
      return EXIT_OK;
    }
    const format = values.format ?? 'text';
    if (!FORMATS.includes(format)) throw new UsageError(`try: --format must be one of ${FORMATS.join(', ')} (got ${format})`);
    if (positionals.length === 0) throw new UsageError('try: name at least one student file or directory, e.g. bug-author try submissions/');
    const base = path.resolve(io.cwd, values.cwd ?? '.');
    const students = await studentFiles(positionals, base);
    const definitions = values.bug?.length ? await namedDefinitions(values.bug, base) : await projectDefinitions(io, values);
    if (values.module) {
      const inModule = definitions.filter((d) => d.label.split('/')[0] === values.module);
      if (inModule.length === 0) throw new UsageError(`try: no definition of module '${values.module}' (have: ${[...new Set(definitions.map((d) => d.label.split('/')[0]))].join(', ')})`);
      definitions.splice(0, definitions.length, ...inModule);
    }
    const report = await tryDefinitions(definitions, students, sharedPythonRuntime(), { diff: values.diff === true });
    io.stdout(format === 'json' ? formatTryJson(report) : formatTryText(report, { definitions: definitions.length, files: students.length }));
    return report.cells.some((c) => c.outcome === 'broke') ? EXIT_FINDINGS : EXIT_OK;
  },
};

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
async function projectDefinitions(io: CommandIO, values: { config?: string | undefined; cwd?: string | undefined }): Promise<DefinitionUnderTry[]> {
  const { config } = await loadProject(io, { config: values.config, cwd: values.cwd });
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
  return definitions;
}

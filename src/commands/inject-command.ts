import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { InputError, UsageError } from '../errors.js';
import { injectExplained } from '../injector/inject.js';
import { readTextFile } from '../inputs/read-text-file.js';
import { pythonChoiceOf } from '../python/python-choice.js';
import { sharedPythonRuntimes } from '../python/runtime.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { EXIT_FINDINGS, EXIT_OK, type Command } from './command.js';
import { parseCommandArgs } from './parse-command-args.js';

export const injectCommand: Command = {
  name: 'inject',
  summary: 'print what the engine would give a student for a bug JSON and a source file',
  usage: `Usage: bug-author inject --bug <bug.json> --source <file.py> [--verbose]

Applies the bug definition to the source exactly as the engine's v2.1 injector does and
prints the result. Exit 1 when the injector finds nothing to change (or raises).
Python: BUG_AUTHOR_PYTHON (auto, pyodide or an interpreter), else auto; --verbose says which.`,
  async run(args, io) {
    const { values } = parseCommandArgs('inject', args, { bug: { type: 'string' }, source: { type: 'string' }, verbose: { type: 'boolean' } }, false);
    if (values.help) {
      io.stdout(`${this.usage}\n`);
      return EXIT_OK;
    }
    if (!values.bug || !values.source) throw new UsageError('inject: both --bug <bug.json> and --source <file.py> are required');
    const bugFile = path.resolve(io.cwd, values.bug);
    const sourceFile = path.resolve(io.cwd, values.source);
    let definition: unknown;
    try {
      definition = JSON.parse(await readFile(bugFile, 'utf8'));
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : `not valid JSON: ${(err as Error).message}`;
      throw new InputError('bad-json', bugFile, reason);
    }
    const source = await readTextFile(sourceFile, 'source file');
    const python = sharedPythonRuntimes().runtimeFor(pythonChoiceOf({ env: io.env, cwd: io.cwd }));
    const result = await injectExplained(definition as object, source, { python });
    if (values.verbose) io.stderr(`${formatPythonVerbose(python, undefined).join('\n')}\n`);
    if (result.error) {
      io.stderr(`${values.bug}: the injector raised ${result.error}\n`);
      return EXIT_FINDINGS;
    }
    if (!result.ok) {
      io.stderr(`${values.bug}: nothing injected into ${values.source}${result.reason ? ` (${result.reason})` : ''}\n`);
      return EXIT_FINDINGS;
    }
    io.stdout(`${result.output}\n`);
    return EXIT_OK;
  },
};

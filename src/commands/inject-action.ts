import path from 'node:path';
import { InputError } from '../errors.js';
import { injectExplained } from '../injector/inject.js';
import { readTextFile } from '../inputs/read-text-file.js';
import { parsePython } from '../python/python-ast.js';
import { pythonChoiceOf } from '../python/python-choice.js';
import { sharedPythonRuntimes } from '../python/runtime.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { formatSchemaProblems, validateDefinition } from '../schema/validate-definition.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CommandIO } from './command.js';
import type { InjectArgs } from './inject-command.js';

/** Unusable input of any kind exits 2; a usable definition that changes nothing (or raises) exits 1. */
export async function runInjectCommand({ options }: InjectArgs, io: CommandIO): Promise<number> {
  const bugFile = path.resolve(io.cwd, options.bug);
  const sourceFile = path.resolve(io.cwd, options.source);
  const unusable = (file: string, reason: string) => {
    io.stderr(`bug-author inject: ${path.relative(io.cwd, file) || file}: ${reason}\n`);
    return EXIT_USAGE;
  };
  let definition: unknown;
  let source: string;
  try {
    const text = await readTextFile(bugFile, 'bug definition');
    try {
      definition = JSON.parse(text);
    } catch (err) {
      return unusable(bugFile, `not valid JSON: ${(err as Error).message}`);
    }
    source = await readTextFile(sourceFile, 'source file');
  } catch (err) {
    if (err instanceof InputError) return unusable(err.file, err.reason);
    throw err;
  }
  const schema = validateDefinition(definition);
  if (!schema.valid) return unusable(bugFile, `not a valid v2.1 bug definition: ${formatSchemaProblems(schema.problems)}`);
  const python = sharedPythonRuntimes().runtimeFor(pythonChoiceOf({ env: io.env, cwd: io.cwd }));
  const parsed = await parsePython(python, source);
  if (!parsed.ok) return unusable(sourceFile, `not valid Python: ${parsed.error.message} (line ${parsed.error.line})`);

  const result = await injectExplained(definition as object, source, { python });
  if (options.verbose) io.stderr(`${formatPythonVerbose(python, undefined).join('\n')}\n`);
  if (result.error) {
    io.stderr(`${options.bug}: the injector raised ${result.error}\n`);
    return EXIT_FINDINGS;
  }
  if (!result.ok) {
    io.stderr(`${options.bug}: nothing injected into ${options.source}${result.reason ? ` (${result.reason})` : ''}\n`);
    return EXIT_FINDINGS;
  }
  io.stdout(`${result.output}\n`);
  return EXIT_OK;
}

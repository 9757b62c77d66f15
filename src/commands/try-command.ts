import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { projectOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  bug: { type: 'string', valueHint: 'file.json', multiple: true, description: "try this definition (repeatable); default: every bug's JSON in the project" },
  module: { type: 'string', valueHint: 'name', description: 'only the bugs of this module (e.g. softmax)' },
  diff: { type: 'boolean', description: 'show what the engine would hand the student for each injected or broken case' },
  format: { type: 'string', valueHint: 'f', default: 'text', choices: ['text', 'json'], description: 'text or json' },
  ...projectOptions,
} as const satisfies OptionSpecs;

export type TryArgs = ParsedArgs<typeof options>;

export const tryCommand = defineCommand({
  name: 'try',
  summary: 'inject the definitions into real student files and report what would break',
  description: `Injects bug definitions into real student files (e.g. last year's submissions) exactly as the
engine would, and reports for each definition and file:
  injected   the engine changes the file and it is still a valid program (⚠ when it changes
             more than one function, or code outside the functions: probably a look-alike)
  no-match   the engine injects nothing and says so: no match, or the injector raises on
             this file (the student is told the injection failed)
  broke      invalid Python, a name the student's file never defines, or a definition the
             engine rejects outright
  absent     the file has no \`def <target_function>\` (the engine skips it)
Directories are searched for *.py files; one that is not text is listed and skipped.`,
  positionals: [{ name: 'file.py|dir', variadic: true, description: 'student files, or directories holding them' }],
  options,
  exitCodes: { 0: 'nothing broke', 1: 'a definition broke a student file', 2: 'usage or configuration error' },
  run: async (args, io) => (await import('./try-action.js')).runTryCommand(args, io),
});

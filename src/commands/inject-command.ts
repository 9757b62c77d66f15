import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { defineCommand } from './define-command.js';

const options = {
  bug: { type: 'string', valueHint: 'bug.json', required: true, description: 'the v2.1 bug definition' },
  source: { type: 'string', valueHint: 'file.py', required: true, description: "the Python file to inject into (e.g. a student's)" },
  verbose: { type: 'boolean', description: 'also say which Python served (CPython or pyodide, and why)' },
} as const satisfies OptionSpecs;

export type InjectArgs = ParsedArgs<typeof options>;

export const injectCommand = defineCommand({
  name: 'inject',
  summary: 'print what the engine would give a student for a bug JSON and a source file',
  description: `Applies the bug definition to the source exactly as the engine's v2.1 injector does and
prints the result. Python: BUG_AUTHOR_PYTHON (auto, pyodide or an interpreter), else auto.`,
  options,
  exitCodes: {
    0: 'injected (the result is printed)',
    1: 'the definition injects nothing into this source, or the injector raised',
    2: 'usage error or unusable input (a file missing or unreadable, not UTF-8, not JSON, not a valid v2.1 definition, or a source that is not valid Python)',
  },
  run: async (args, io) => (await import('./inject-action.js')).runInjectCommand(args, io),
});

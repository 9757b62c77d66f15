import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { generationOptions, projectOptions, reporterOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  force: { type: 'boolean', description: 'regenerate everything: overwrite hand-written or hand-edited JSON and reuse no cached result' },
  ...generationOptions,
  concurrency: { type: 'string', valueHint: 'n', description: 'bugs processed at once (default: config, 4)' },
  ...projectOptions,
  review: { type: 'string', valueHint: 'file.md', description: "also write the migration guide's review document (summary + one entry per bug)" },
  ...reporterOptions,
  quiet: { type: 'boolean', short: 'q', description: 'print only failures and the summary' },
} as const satisfies OptionSpecs;

export type BuildArgs = ParsedArgs<typeof options>;

export const buildCommand = defineCommand({
  name: 'build',
  summary: 'compile patches into verified v2.1 JSON bug definitions',
  description: `Compiles every patch the config finds (or only the patches named) into <bug>.json,
verified against the patched reference. Unchanged inputs are not rebuilt. Generators run in
config order; one that throws, hangs past its time limit or answers nonsense fails only that
bug, labelled with its name. Bugs that need no LLM never wait behind LLM requests.`,
  positionals: [{ name: 'patch', variadic: true, description: 'only these patch files (default: every patch the config finds)' }],
  options,
  exitCodes: { 0: 'all built', 1: 'some bugs failed', 2: 'usage or configuration error', 130: 'interrupted (Ctrl-C)', 143: 'terminated (SIGTERM)' },
  run: async (args, io) => (await import('./build-action.js')).runBuildCommand(args, io),
});

import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { projectOptions, reporterOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  staged: { type: 'boolean', description: 'judge the staged versions (the git index): for a pre-commit hook' },
  since: { type: 'string', valueHint: 'ref', description: 'only bugs whose patch, symptom, reference or JSON changed since <ref>' },
  'require-review': { type: 'boolean', description: 'fail on definitions not approved in `bug-author review`, or whose review is stale (config requireReview)' },
  format: { type: 'string', valueHint: 'f', default: 'text', choices: ['text', 'github', 'json'], description: 'text, github (workflow annotations) or json' },
  ...projectOptions,
  verbose: { type: 'boolean', description: 'also say which Python served (CPython or pyodide, and why) and what the engine judge did' },
  ...reporterOptions,
} as const satisfies OptionSpecs;

export type CheckArgs = ParsedArgs<typeof options>;

export const checkCommand = defineCommand({
  name: 'check',
  summary: 'fail when any JSON is missing, stale, invalid or does not verify (CI, pre-commit)',
  description: `Checks every bug's JSON without writing anything: missing, stale (inputs changed since it was
generated), hand-edited, schema-invalid, not verifying against the reference and patch,
orphan JSON, JSON git does not track (with --staged, or when CI=true), and broken inputs.
Unchanged bugs cost a hash: verdicts are cached, so a check with nothing new needs no Python.`,
  options,
  exitCodes: { 0: 'no errors (warnings allowed)', 1: 'errors found', 2: 'usage or configuration error' },
  run: async (args, io) => (await import('./check-action.js')).runCheckCommand(args, io),
});

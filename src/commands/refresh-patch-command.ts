import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { projectOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  backup: { type: 'boolean', description: 'keep the old patch as <patch>.orig' },
  'dry-run': { type: 'boolean', description: 'print the refreshed patches instead of writing them' },
  ...projectOptions,
} as const satisfies OptionSpecs;

export type RefreshPatchArgs = ParsedArgs<typeof options>;

export const refreshPatchCommand = defineCommand({
  name: 'refresh-patch',
  summary: 'rewrite stale patches against the current reference (same edit, fresh context and line numbers)',
  description: `Rewrites each patch against its current reference: the same edit, with fresh context lines,
line numbers and hunk counts, so it applies exactly again (also with GNU patch, as the engine's
legacy path applies it). A patch that already applies exactly is left alone. Each file is
written atomically; the old one is kept only with --backup. When the code a patch removes no
longer exists in the reference, nothing is written and the error names the closest statements
the reference does contain: that bug has to be re-authored.

A refreshed patch makes its JSON stale in name only: run \`bug-author build\` to refresh the
JSON's provenance (the edit is the same, so it still verifies).`,
  positionals: [{ name: 'patch', variadic: true, description: 'the patch files to refresh' }],
  options,
  exitCodes: { 0: 'every patch fresh or refreshed', 1: 'some patch could not be refreshed', 2: 'usage or configuration error' },
  run: async (args, io) => (await import('./refresh-patch-action.js')).runRefreshPatchCommand(args, io),
});

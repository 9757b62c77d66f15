import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { projectOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  apply: {
    type: 'boolean',
    description: 'move the patches (git mv; a plain rename for files git does not track) and write the config lines (into the config file, or a new bug-author.config.mjs)',
  },
  to: { type: 'string', valueHint: 'folder', default: 'bug-sources', description: "the sibling folder's name" },
  ...projectOptions,
} as const satisfies OptionSpecs;

export type RelocateSourcesArgs = ParsedArgs<typeof options>;

export const relocateSourcesCommand = defineCommand({
  name: 'relocate-sources',
  summary: "move patches out of the engine's bugs folders into a sibling folder (dry run unless --apply)",
  description: `The engine picks a bug uniformly among every *.patch and *.json in a module's bugs/ folder, so
a patch left beside its JSON doubles that bug and half the time serves the reference instead
of the student's code. This moves each compiled bug's patch to a sibling folder
(<module>/bug-sources/<bug>.patch by default) and points the config there; outputs and symptoms
stay in bugs/. Patch-only patches stay in bugs/: the engine serves them from there.

Without --apply it only prints the plan: the git mv commands and the config lines.`,
  options,
  exitCodes: { 0: 'planned or done', 1: 'the config could not be updated (nothing moved)', 2: 'usage or configuration error' },
  run: async (args, io) => (await import('./relocate-sources-action.js')).runRelocateSourcesCommand(args, io),
});

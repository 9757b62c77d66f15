import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { defineCommand, defineCommandGroup } from './define-command.js';

const installOptions = {
  force: { type: 'boolean', description: 'replace a pre-commit hook bug-author did not write' },
  cwd: { type: 'string', valueHint: 'dir', description: 'the project (its root may be a subdirectory of the repository)' },
} as const satisfies OptionSpecs;

export type HookInstallArgs = ParsedArgs<typeof installOptions>;

export const hookCommand = defineCommandGroup(
  {
    name: 'hook',
    summary: 'install a git pre-commit hook that runs `bug-author check --staged`',
    description: 'Manages the git pre-commit hook that keeps bug JSON from going stale in a commit.',
  },
  (parent) => [
    defineCommand(
      {
        name: 'install',
        summary: 'write .git/hooks/pre-commit running `bug-author check --staged`',
        description: `Writes .git/hooks/pre-commit so that every commit runs \`bug-author check --staged\` on the
staged patches, symptoms, references and JSON. An existing hook that bug-author did not write
is left alone unless --force; the command then says how to add the check to it (or to husky,
lefthook, pre-commit).`,
        options: installOptions,
        exitCodes: { 0: 'installed', 1: 'refused (a foreign hook is in the way)', 2: 'usage error' },
        run: async (args, io) => (await import('./hook-install-action.js')).runHookInstall(args, io),
      },
      parent,
    ),
  ],
);

import path from 'node:path';
import { UsageError } from '../errors.js';
import { openGitRepository } from '../git/git-repository.js';
import { hookCheckArguments, installPreCommitHook } from '../git/pre-commit-hook.js';
import { commandCwd, EXIT_FINDINGS, EXIT_OK, type CommandIO } from './command.js';
import type { HookInstallArgs } from './hook-command.js';

export async function runHookInstall({ options }: HookInstallArgs, io: CommandIO): Promise<number> {
  const project = commandCwd(io, options.cwd);
  const repo = await openGitRepository(project);
  if (!repo) throw new UsageError(`hook install: ${project} is not in a git repository`);

  const result = await installPreCommitHook(repo, options.force === true);
  const shown = path.relative(io.cwd, result.file) || result.file;
  if (result.status !== 'refused') {
    io.stdout(`${result.status === 'installed' ? 'Installed' : 'Updated'} ${shown}: every commit now runs \`bug-author check --staged\` (skip once with \`git commit --no-verify\`).\n`);
    return EXIT_OK;
  }
  const check = `bug-author ${hookCheckArguments(repo.prefix)}`;
  const reason = result.managedBy
    ? `git hooks are managed by another tool (core.hooksPath = ${result.managedBy}); nothing was written`
    : `${shown} exists and was not written by bug-author; it was left unchanged`;
  io.stderr(`bug-author hook: ${reason}.
Run the check from your existing hooks instead:
  plain git hook: add this line to ${shown}
    npx --no-install ${check}
  husky: add this line to .husky/pre-commit
    npx ${check}
  lefthook: add to lefthook.yml
    pre-commit:
      commands:
        bug-author:
          run: npx ${check}
  pre-commit framework: use this repository's hook id \`bug-author-check\` in .pre-commit-config.yaml
Or replace the hook: bug-author hook install --force
`);
  return EXIT_FINDINGS;
}

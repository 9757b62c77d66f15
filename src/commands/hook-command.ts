import path from 'node:path';
import { UsageError } from '../errors.js';
import { openGitRepository } from '../git/git-repository.js';
import { hookShellCommand, installPreCommitHook } from '../git/pre-commit-hook.js';
import { packageFile } from '../package-root.js';
import { EXIT_FINDINGS, EXIT_OK, type Command } from './command.js';
import { parseCommandArgs } from './parse-command-args.js';

export const hookCommand: Command = {
  name: 'hook',
  summary: 'install a git pre-commit hook that runs `bug-author check --staged`',
  usage: `Usage: bug-author hook install [--force] [--cwd <dir>]

Writes .git/hooks/pre-commit so that every commit runs \`bug-author check --staged\` on the
staged patches, symptoms, references and JSON. An existing hook that bug-author did not write
is left alone unless --force; the command then says how to add the check to it (or to husky,
lefthook, pre-commit).

Options:
  --force             replace a pre-commit hook bug-author did not write
  --cwd <dir>         the project (its root may be a subdirectory of the repository)
  -h, --help          show this help

Exit codes: 0 installed, 1 refused (a foreign hook is in the way), 2 usage error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('hook', args, { force: { type: 'boolean' }, cwd: { type: 'string' } });
    if (values.help) {
      io.stdout(`${this.usage}\n`);
      return EXIT_OK;
    }
    const [action, ...extra] = positionals;
    if (action !== 'install' || extra.length) throw new UsageError(`hook: expected \`hook install\`${action ? ` (got '${positionals.join(' ')}')` : ''}`);
    const project = path.resolve(io.cwd, values.cwd ?? '.');
    const repo = await openGitRepository(project);
    if (!repo) throw new UsageError(`hook install: ${project} is not in a git repository`);

    const command = hookShellCommand(packageFile('bin', 'bug-author.mjs'), repo.prefix);
    const result = await installPreCommitHook(repo, command, values.force === true);
    const shown = path.relative(io.cwd, result.file) || result.file;
    if (result.status !== 'refused') {
      io.stdout(`${result.status === 'installed' ? 'Installed' : 'Updated'} ${shown}: every commit now runs \`bug-author check --staged\` (skip once with \`git commit --no-verify\`).\n`);
      return EXIT_OK;
    }
    const check = `bug-author check --staged${repo.prefix ? ` --cwd ${repo.prefix.replace(/\/$/, '')}` : ''}`;
    const reason = result.managedBy
      ? `git hooks are managed by another tool (core.hooksPath = ${result.managedBy}); nothing was written`
      : `${shown} exists and was not written by bug-author; it was left unchanged`;
    io.stderr(`bug-author hook: ${reason}.
Run the check from your existing hooks instead:
  plain git hook: add this line to ${shown}
    ${command}
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
  },
};

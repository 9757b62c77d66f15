import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../write/atomic-write.js';
import { hooksLocation, type GitRepository } from './git-repository.js';

/** The line that marks a hook as ours: only such a hook is ever overwritten without --force. */
export const HOOK_MARKER = '# bug-author: pre-commit hook written by `bug-author hook install`';

function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The arguments the hook passes: `check --staged`, for a project in a subdirectory with its --cwd. */
export function hookCheckArguments(prefix: string): string {
  const cwd = prefix ? ` --cwd ${shellWord(prefix.replace(/\/$/, ''))}` : '';
  return `check --staged${cwd}`;
}

/**
 * The hook finds bug-author when it runs, never where it was installed from (no absolute path
 * is written: moving or reinstalling the checkout, or cloning the repository elsewhere, never
 * breaks a commit): the project's `node_modules/.bin` (a dev dependency), the repository's,
 * else a `bug-author` on PATH (a global install). Git runs hooks from the top level.
 */
export function preCommitScript(prefix: string): string {
  const project = prefix.replace(/\/$/, '');
  const places = [...(project ? [`${shellWord(project)}/node_modules/.bin/bug-author`] : []), 'node_modules/.bin/bug-author'];
  const args = hookCheckArguments(prefix);
  return `#!/bin/sh
${HOOK_MARKER}
# Fails the commit when a staged bug JSON is missing, stale, invalid or does not verify.
# Skip it once with \`git commit --no-verify\`; delete this file to remove it.
# bug-author is looked for each time: the project's node_modules, then PATH.
cd "$(git rev-parse --show-toplevel)" || exit 1
for bin in ${places.join(' ')}; do
  if [ -x "$bin" ]; then exec "$bin" ${args}; fi
done
if command -v bug-author >/dev/null 2>&1; then exec bug-author ${args}; fi
echo "bug-author pre-commit hook: bug-author is not installed here (no node_modules/.bin/bug-author, none on PATH); install it (npm install --save-dev <bug-author tarball, git URL or path>) or commit with --no-verify" >&2
exit 1
`;
}

export type HookInstall =
  | { status: 'installed' | 'updated'; file: string }
  /** A hook we did not write is there, or (`managedBy`) another tool set core.hooksPath. */
  | { status: 'refused'; file: string; managedBy?: string };

/** Writes the pre-commit hook unless a foreign one (or a hook manager) is in the way and `force` is not set. */
export async function installPreCommitHook(repo: GitRepository, force: boolean): Promise<HookInstall> {
  const { dir, hooksPath } = await hooksLocation(repo);
  const file = path.join(dir, 'pre-commit');
  const current = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw err;
  });
  const ours = current?.includes(HOOK_MARKER) ?? false;
  if (!force && current !== undefined && !ours) {
    return { status: 'refused', file };
  }
  if (!force && hooksPath && !ours) {
    return { status: 'refused', file, managedBy: hooksPath };
  }
  await writeFileAtomic(file, preCommitScript(repo.prefix));
  await chmod(file, 0o755);
  return { status: ours ? 'updated' : 'installed', file };
}

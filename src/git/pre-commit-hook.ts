import { chmod, readFile } from 'node:fs/promises';
import path from 'node:path';
import { writeFileAtomic } from '../write/atomic-write.js';
import { hooksLocation, type GitRepository } from './git-repository.js';

/** The line that marks a hook as ours: only such a hook is ever overwritten without --force. */
export const HOOK_MARKER = '# bug-author: pre-commit hook written by `bug-author hook install`';

function shellWord(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** The command the hook runs: this installation's CLI, from the project root (hooks start at the top level). */
export function hookShellCommand(binFile: string, prefix: string): string {
  const cwd = prefix ? ` --cwd ${shellWord(prefix.replace(/\/$/, ''))}` : '';
  return `node ${shellWord(binFile)} check --staged${cwd}`;
}

export function preCommitScript(command: string): string {
  return `#!/bin/sh
${HOOK_MARKER}
# Fails the commit when a staged bug JSON is missing, stale, invalid or does not verify.
# Skip it once with \`git commit --no-verify\`; delete this file to remove it.
exec ${command}
`;
}

export type HookInstall =
  | { status: 'installed' | 'updated'; file: string }
  /** A hook we did not write is there, or (`managedBy`) another tool set core.hooksPath. */
  | { status: 'refused'; file: string; managedBy?: string };

/** Writes the pre-commit hook unless a foreign one (or a hook manager) is in the way and `force` is not set. */
export async function installPreCommitHook(repo: GitRepository, command: string, force: boolean): Promise<HookInstall> {
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
  await writeFileAtomic(file, preCommitScript(command));
  await chmod(file, 0o755);
  return { status: ours ? 'updated' : 'installed', file };
}

import path from 'node:path';
import type { SimpleGit } from 'simple-git';
import { GitError } from './git-error.js';

/** The git repository around a project root; every path it returns is absolute, under `root`. */
export interface GitRepository {
  /** The repository's top-level directory as git reports it. */
  topLevel: string;
  /** The project root git commands run in (it may be a subdirectory of the top level). */
  root: string;
  /** `root` relative to the top level, with a trailing slash ('' at the top). */
  prefix: string;
}

/**
 * Runs git through simple-git in `cwd`; whatever goes wrong (git missing, not a repository, a
 * failing command) arrives as a GitError naming the command. simple-git is loaded on first use:
 * a `check` that needs no git does not pay for it. (Its cost where git is needed, measured on the
 * corpus: ~40 ms to load, and ~50 ms for each command that prints nothing, which simple-git waits
 * out after exit; `check --staged` and `--since` stay well within the 0.4 s target.)
 */
async function git<T>(cwd: string, args: readonly string[], run: (git: SimpleGit) => Promise<T>): Promise<T> {
  const { simpleGit } = await import('simple-git');
  try {
    return await run(simpleGit({ baseDir: cwd, trimmed: false }));
  } catch (err) {
    const exitCode = (err as { task?: { exitCode?: number } }).task?.exitCode;
    throw new GitError(args, exitCode, err instanceof Error ? err.message : String(err));
  }
}

const raw = (cwd: string, args: string[]) => git(cwd, args, (g) => g.raw(args));

/** `-z` output split into its entries. */
function splitNul(output: string): string[] {
  return output.split('\0').filter((entry) => entry.length > 0);
}

/** The repository containing `root`, or undefined when it is not in one (or git is not installed). */
export async function openGitRepository(root: string): Promise<GitRepository | undefined> {
  try {
    const [topLevel, prefix = ''] = (await raw(root, ['rev-parse', '--show-toplevel', '--show-prefix'])).split('\n');
    return topLevel ? { topLevel, root, prefix } : undefined;
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/** One staged file: its blob and mode (`100644`, `100755`, `120000` symlink, `160000` submodule). */
export interface IndexEntry {
  mode: string;
  blob: string;
}

/** The index (staged snapshot) under the project root, by absolute path. Conflicted entries are left out. */
export async function readIndex(repo: GitRepository): Promise<Map<string, IndexEntry>> {
  const entries = new Map<string, IndexEntry>();
  for (const line of splitNul(await raw(repo.root, ['ls-files', '--stage', '-z']))) {
    const tab = line.indexOf('\t');
    const [mode, blob, stage] = line.slice(0, tab).split(' ');
    if (stage !== '0' || !mode || !blob) continue;
    entries.set(path.join(repo.root, line.slice(tab + 1)), { mode, blob });
  }
  return entries;
}

/** Files git tracks under the project root (absolute paths). */
export async function trackedFiles(repo: GitRepository): Promise<Set<string>> {
  return new Set(splitNul(await raw(repo.root, ['ls-files', '-z'])).map((p) => path.join(repo.root, p)));
}

/** The commit a ref names, or undefined when it names none (or looks like an option). */
export async function resolveCommit(repo: GitRepository, ref: string): Promise<string | undefined> {
  if (ref.startsWith('-')) return undefined;
  const args = ['--verify', '--quiet', `${ref}^{commit}`];
  try {
    const out = (await git(repo.root, ['rev-parse', ...args], (g) => g.revparse(args))).trim();
    // One commit, one line: a range (`A..B`, `A...B`) or other rev-parse syntax names no single commit.
    return /^[0-9a-f]{40,64}$/.test(out) ? out : undefined;
  } catch (err) {
    if (err instanceof GitError) return undefined;
    throw err;
  }
}

/**
 * Files under the project root that differ between `commit` and the working tree (or the index,
 * when `staged`), deleted ones included; for the working tree also new files git does not ignore.
 */
export async function filesChangedSince(repo: GitRepository, commit: string, staged: boolean): Promise<Set<string>> {
  const diffArgs = ['--name-only', '-z', '--relative', '--no-renames', ...(staged ? ['--cached'] : []), commit, '--'];
  const diff = git(repo.root, ['diff', ...diffArgs], (g) => g.diff(diffArgs));
  const untracked = staged ? Promise.resolve('') : raw(repo.root, ['ls-files', '-z', '--others', '--exclude-standard']);
  const names = [...splitNul(await diff), ...splitNul(await untracked)];
  return new Set(names.map((p) => path.join(repo.root, p)));
}

/** Where git looks for hooks (honours core.hooksPath), and core.hooksPath when a tool such as husky set it. */
export async function hooksLocation(repo: GitRepository): Promise<{ dir: string; hooksPath?: string }> {
  const hooks = await git(repo.root, ['rev-parse', '--git-path', 'hooks'], (g) => g.revparse(['--git-path', 'hooks']));
  const dir = path.resolve(repo.root, hooks.trim());
  const hooksPath = (await git(repo.root, ['config', '--get', 'core.hooksPath'], (g) => g.getConfig('core.hooksPath'))).value?.trim() || undefined;
  return hooksPath ? { dir, hooksPath } : { dir };
}

/** `git mv -- from to` (both absolute paths inside the repository). */
export async function moveTracked(repo: GitRepository, from: string, to: string): Promise<void> {
  await raw(repo.root, ['mv', '--', from, to]);
}

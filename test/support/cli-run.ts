import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, chownSync, cpSync, lchownSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { runCli } from '../../src/cli.js';
import { packageRoot } from '../../src/package-root.js';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * BUG_AUTHOR_PYTHON as the test run was given it (`BUG_AUTHOR_PYTHON=pyodide npm test` runs every
 * command on pyodide), for the environments tests hand to commands.
 */
export function pythonChoiceEnv(): NodeJS.ProcessEnv {
  return process.env.BUG_AUTHOR_PYTHON ? { BUG_AUTHOR_PYTHON: process.env.BUG_AUTHOR_PYTHON } : {};
}

/** Runs the CLI in this process (fast; Python stays started between calls). */
export async function runInProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { cwd, env: { ...pythonChoiceEnv(), ...env }, stdout: (t) => void (stdout += t), stderr: (t) => void (stderr += t) });
  return { code, stdout, stderr };
}

/** Runs the real CLI from the TypeScript sources in a child process, with the benchmark trace line on stderr. */
export async function runChild(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult & { pythonLoaded?: boolean }> {
  const main = path.join(packageRoot, 'src', 'main.ts');
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', import.meta.resolve('tsx'), main, ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BUG_AUTHOR_TRACE: '1', ...pythonChoiceEnv(), ...env },
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr, ...trace(stderr) };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '', ...trace(e.stderr ?? '') };
  }
}

function trace(stderr: string): { pythonLoaded?: boolean } {
  const line = stderr.split('\n').find((l) => l.startsWith('bug-author-trace '));
  return line ? { pythonLoaded: (JSON.parse(line.slice('bug-author-trace '.length)) as { pythonLoaded: boolean }).pythonLoaded } : {};
}

/**
 * A writable copy of a directory tree in a fresh temp dir. Copies of this repository's example/
 * leave out what a local `npm start` may have generated there (JSON outputs, the cache).
 */
export function copyTree(source: string, prefix = 'bug-author-'): string {
  const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
  removedAtExit(dir);
  const generated = (file: string) => source.startsWith(exampleCurriculum) && (/\.bug-author/.test(file) || /[\\/]bugs[\\/][^\\/]+\.json$/.test(file));
  cpSync(source, dir, { recursive: true, filter: (file) => !generated(file) });
  return dir;
}

const removeAtExit = new Set<string>();
process.once('exit', () => {
  for (const dir of removeAtExit) rmSync(dir, { recursive: true, force: true });
});

/** Removes a temp tree when this process (one test file) ends. */
export function removedAtExit(dir: string): string {
  removeAtExit.add(dir);
  return dir;
}

export const sharedCorpus = path.resolve(packageRoot, '..', 'shared', 'corpus');
export const exampleCurriculum = path.join(packageRoot, 'example');

/** A copy whose files and folders are writable whatever the source's modes (the shared corpus has no write bits). */
export function writableCopy(source: string, prefix = 'bug-author-'): string {
  const dir = copyTree(source, prefix);
  chmodSync(dir, 0o755);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(dir, entry);
    chmodSync(file, statSync(file).isDirectory() ? 0o755 : 0o644);
  }
  return dir;
}

/**
 * The user a test runs the CLI as when a write must really be refused: under root (CI), file
 * modes do not stop writes, so the child runs as `nobody`; otherwise as the current user.
 */
export const unprivilegedUser: { uid: number; gid: number } | undefined = process.getuid?.() === 0 ? lookUpNobody() : undefined;

function lookUpNobody(): { uid: number; gid: number } {
  const id = (flag: string) => Number(execFileSync('id', [flag, 'nobody'], { encoding: 'utf8' }).trim());
  return { uid: id('-u'), gid: id('-g') };
}

/** Hands a tree to the user runAsUnprivileged runs as (a no-op when not root). */
export function giveToUnprivileged(dir: string): void {
  if (!unprivilegedUser) return;
  const { uid, gid } = unprivilegedUser;
  chownSync(dir, uid, gid);
  for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' })) lchownSync(path.join(dir, entry), uid, gid);
}

let unprivilegedPackage: string | undefined;

/**
 * This package as the unprivileged user can run it: in place when it can read it, else (a clone
 * under a private home directory, say) a copy of what the published package holds.
 */
function packageForUnprivileged(): string {
  if (!unprivilegedUser) return packageRoot;
  if (unprivilegedPackage) return unprivilegedPackage;
  const bin = path.join(packageRoot, 'bin', 'bug-author.mjs');
  const probe = spawnSync(process.execPath, ['-e', 'require("fs").accessSync(process.argv[1])', path.join(packageRoot, 'node_modules', 'pyodide', 'package.json'), bin], unprivilegedUser);
  if (probe.status === 0) return (unprivilegedPackage = packageRoot);
  const copy = mkdtempSync(path.join(os.tmpdir(), 'bug-author-package-'));
  chmodSync(copy, 0o755);
  // What the published package holds (its `files`), and its dependencies.
  const { files } = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { files: string[] };
  for (const part of ['package.json', ...files, 'node_modules']) {
    cpSync(path.join(packageRoot, part), path.join(copy, part), { recursive: true, verbatimSymlinks: true, filter: (f) => !/node_modules[\\/](typescript|@types)([\\/]|$)/.test(f) });
  }
  process.on('exit', () => rmSync(copy, { recursive: true, force: true }));
  return (unprivilegedPackage = copy);
}

/**
 * Runs the shipped CLI (`bin/bug-author.mjs`, compiled dist/) in a child process as the
 * unprivileged user; never throws, whatever the exit.
 */
export function runAsUnprivileged(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(packageForUnprivileged(), 'bin', 'bug-author.mjs'), ...args],
      { cwd, env: { PATH: process.env.PATH, HOME: os.tmpdir(), ...env }, maxBuffer: 16 * 1024 * 1024, ...(unprivilegedUser ?? {}) },
      (error, stdout, stderr) => {
        const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** What a crash looks like: a JavaScript stack frame. */
export const STACK_FRAME = /^\s+at .+[:(].*\d+:\d+\)?$/m;

import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
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
  const generated = (file: string) => source.startsWith(exampleCurriculum) && (/\.bug-author/.test(file) || /[\\/]bugs[\\/][^\\/]+\.json$/.test(file));
  cpSync(source, dir, { recursive: true, filter: (file) => !generated(file) });
  return dir;
}

export const sharedCorpus = path.resolve(packageRoot, '..', 'shared', 'corpus');
export const exampleCurriculum = path.join(packageRoot, 'example');

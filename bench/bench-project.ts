import { execFile } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdtempSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { packageRoot } from '../src/package-root.js';

export const sharedCorpus = path.resolve(packageRoot, '..', 'shared', 'corpus');

/** A writable copy of ../shared/corpus (or of example/ when the corpus is absent). */
export function copyCorpus(prefix = 'bug-author-bench-'): { root: string; name: string } {
  const source = existsSync(sharedCorpus) ? sharedCorpus : path.join(packageRoot, 'example');
  const root = mkdtempSync(path.join(os.tmpdir(), prefix));
  cpSync(source, root, { recursive: true });
  chmodSync(root, 0o755);
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) chmodSync(path.join(root, entry), 0o755);
  return { root, name: existsSync(sharedCorpus) ? '../shared/corpus' : 'example/' };
}

export interface CliRun {
  code: number;
  ms: number;
  stdout: string;
  pythonLoaded: boolean | undefined;
  /** Which Python served, e.g. `CPython 3.11.7`. */
  python: string | null | undefined;
  /** Peak RSS of bug-author's own process, and of its CPython worker (0 without one). */
  maxRssMb: number | undefined;
  workerMaxRssMb: number | undefined;
}

/** The two back-ends the benchmark compares, as BUG_AUTHOR_PYTHON values. */
export const BACKENDS = [
  { name: 'pyodide', env: { BUG_AUTHOR_PYTHON: 'pyodide' } },
  { name: 'CPython', env: { BUG_AUTHOR_PYTHON: 'auto' } },
] as const;

/** Runs the compiled CLI (`bin/bug-author.mjs`, as a user would) and reads its trace line. */
export async function runCliProcess(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<CliRun> {
  const started = performance.now();
  let stdout = '';
  let stderr = '';
  let code = 0;
  try {
    ({ stdout, stderr } = await promisify(execFile)(process.execPath, [path.join(packageRoot, 'bin', 'bug-author.mjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, BUG_AUTHOR_TRACE: '1', ...env },
      maxBuffer: 64 * 1024 * 1024,
    }));
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    code = typeof e.code === 'number' ? e.code : -1;
    stdout = e.stdout ?? '';
    stderr = e.stderr ?? '';
  }
  const ms = performance.now() - started;
  const line = stderr.split('\n').find((l) => l.startsWith('bug-author-trace '));
  const trace = line
    ? (JSON.parse(line.slice('bug-author-trace '.length)) as { pythonLoaded: boolean; python: string | null; maxRssMb: number; workerMaxRssMb: number })
    : undefined;
  return { code, ms, stdout, pythonLoaded: trace?.pythonLoaded, python: trace?.python, maxRssMb: trace?.maxRssMb, workerMaxRssMb: trace?.workerMaxRssMb };
}

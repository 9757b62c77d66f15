import { execFile } from 'node:child_process';

/** A git command that failed: its arguments, exit code and first line of stderr. */
export class GitError extends Error {
  constructor(
    readonly args: readonly string[],
    readonly code: number | string | undefined,
    readonly stderr: string,
  ) {
    super(`git ${args.join(' ')} failed: ${stderr.split('\n').find((l) => l.trim()) ?? `exit ${String(code)}`}`);
    this.name = 'GitError';
  }
}

/**
 * Runs one git command and returns its raw stdout. Plain child_process rather than simple-git:
 * blobs must stay bytes (non-UTF-8 detection) and `check` should not pay for loading a library.
 */
export function runGit(cwd: string, args: readonly string[]): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    execFile('git', args, { cwd, encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (error) reject(new GitError(args, (error as NodeJS.ErrnoException).code ?? undefined, stderr.toString('utf8')));
      else resolve(stdout);
    });
  });
}

/** `-z` output split into its entries. */
export function splitNul(output: Buffer): string[] {
  return output.toString('utf8').split('\0').filter((entry) => entry.length > 0);
}


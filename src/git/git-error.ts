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

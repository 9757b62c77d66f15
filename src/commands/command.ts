import path from 'node:path';

/** Where a command reads and writes: passed in, so commands run the same in tests and in the CLI. */
export interface CommandIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Cancels long work (Ctrl-C, SIGTERM); its reason is the signal's name when a signal stopped the run. */
  signal?: AbortSignal;
}

/** What the CLI runs: a name, a one-line summary for the command list, `--help` text, and run(). */
export interface Command {
  name: string;
  summary: string;
  usage: string;
  run(args: string[], io: CommandIO): Promise<number>;
}

export const EXIT_OK = 0;
export const EXIT_FINDINGS = 1;
export const EXIT_USAGE = 2;
/** Stopped by Ctrl-C (128 + SIGINT), as shells report it. */
export const EXIT_INTERRUPTED = 130;
/** Stopped by SIGTERM (128 + 15). */
export const EXIT_TERMINATED = 143;

/** The exit code for a run its signal stopped: 128 + the signal's number, as shells report it. */
export function interruptedExitCode(signal: AbortSignal | undefined): number {
  return signal?.reason === 'SIGTERM' ? EXIT_TERMINATED : EXIT_INTERRUPTED;
}

/** The directory a command runs in: its `--cwd` option against the process's working directory. */
export function commandCwd(io: Pick<CommandIO, 'cwd'>, cwdOption: string | undefined): string {
  return path.resolve(io.cwd, cwdOption ?? '.');
}

import type { Reporter } from '../contracts.js';
import type { RunNotice } from '../contracts.js';

/** What every programmatic run takes: which project, its environment, cancellation and reporting. */
export interface ProjectRunOptions {
  /** Where the project is: the config is searched upwards from here (default `process.cwd()`). Named files are relative to it. */
  cwd?: string;
  /** An explicit config file (relative to `cwd`), instead of searching upwards. */
  configFile?: string;
  /** The environment (default `process.env`); the project's `.env` fills in what it lacks. */
  env?: NodeJS.ProcessEnv;
  /** Aborting it cancels the run (a build keeps the bugs already finished; a watcher closes). */
  signal?: AbortSignal;
  /** Reporters fed besides the config's own. None by default: nothing is printed unless a reporter prints. */
  reporters?: readonly Reporter[];
  /** What the run says besides its report, as it happens (the CLI prints these on stderr). */
  onNotice?: (notice: RunNotice) => void;
}

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { RunNotice } from '../contracts.js';

export function noticeSink(options: Pick<ProjectRunOptions, 'onNotice'>): (notice: RunNotice) => void {
  return (notice) => {
    try {
      options.onNotice?.(notice);
    } catch {
      // A notice callback that throws must not stop the run.
    }
  };
}

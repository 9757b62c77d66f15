import type { CacheWriteProblem } from '../cache/content-cache.js';
import type { Reporter } from '../report/reporter.js';

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

/** Said during a build or check, besides the bugs' outcomes and findings. */
export type RunNotice =
  /** No patch matched the config's `bugs` globs (a build then does nothing). */
  | { kind: 'no-bugs'; root: string; globs: readonly string[] }
  /** Temp files of killed runs were swept (absolute paths). */
  | { kind: 'temp-files-removed'; root: string; files: readonly string[] }
  /** The cache could not be written: the run did all its work, the next one repeats it. */
  | { kind: 'cache-unwritable'; root: string; problem: CacheWriteProblem }
  /** A problem that belongs to no bug: a plugin's close() or a reporter hook that threw, an option that does not apply. */
  | { kind: 'warning'; message: string };

export function noticeSink(options: Pick<ProjectRunOptions, 'onNotice'>): (notice: RunNotice) => void {
  return (notice) => {
    try {
      options.onNotice?.(notice);
    } catch {
      // A notice callback that throws must not stop the run.
    }
  };
}

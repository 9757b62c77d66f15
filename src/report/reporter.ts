import type { BugOutcome } from '../build/bug-outcome.js';
import type { BuildRun } from '../build/run-build.js';
import type { CheckReport } from '../check/collect-findings.js';
import type { Finding } from '../check/finding.js';
import type { BugRef } from '../discover/bug-ref.js';
import type { WatchNotice, WatchOutcome, WatchReady } from '../watch/watch-events.js';

export type ReportingCommand = 'build' | 'watch' | 'check';

/** A run begins (a build, a check, or a watch session). */
export interface RunStart {
  command: ReportingCommand;
  /** Absolute project root; relative paths in reporter options resolve against it. */
  root: string;
  configFile?: string;
  /** The bugs the run covers (for watch: at session start). */
  bugs: readonly BugRef[];
  /** `--verbose`: include stacks and details. */
  verbose: boolean;
}

/**
 * One bug finished. Build and watch hand over the whole outcome (every field the pipeline
 * knows, present and future); check hands over the bug's findings.
 */
export type BugDone =
  | { command: 'build'; bug: BugRef; outcome: BugOutcome }
  | ({ command: 'watch'; bug: BugRef } & WatchOutcome)
  | { command: 'check'; bug: BugRef; findings: readonly Finding[] };

/** The run is over: its totals and the exit code the CLI will return. */
export type RunEnd =
  | { command: 'build'; run: BuildRun; exitCode: number; interrupted: boolean }
  | { command: 'check'; report: CheckReport; exitCode: number }
  | { command: 'watch'; exitCode: number };

/** What a watch session says besides bug outcomes: ready after the initial pass, reloads, orphans… */
export type WatchEvent = WatchNotice | ({ kind: 'ready' } & WatchReady);

/**
 * A reporter plugin: a named object with optional hooks, fed by build, watch and check alike.
 * Hooks may be async; each reporter's calls arrive in order. Whatever a hook throws is shown
 * once as a warning and the run goes on.
 */
export interface Reporter {
  name: string;
  onRunStart?(run: RunStart): void | Promise<void>;
  onBugDone?(done: BugDone): void | Promise<void>;
  onRunEnd?(end: RunEnd): void | Promise<void>;
  onWatchEvent?(event: WatchEvent): void | Promise<void>;
}

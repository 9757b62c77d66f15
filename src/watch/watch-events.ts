import type { BugOutcome } from '../build/bug-outcome.js';
import type { RunTrigger } from './bug-scheduler.js';

/** One finished build, as the daemon reports it (cancelled runs are never reported). */
export interface WatchOutcome {
  outcome: BugOutcome;
  /** `initial`: the startup pass; `change`: a saved file; `config`: the config was reloaded. */
  trigger: RunTrigger;
  /** The changed files behind a `change` (absolute). */
  changedFiles: readonly string[];
  /**
   * For `change`: milliseconds from the first file event of the save to this outcome (the
   * JSON written), debounce included — the latency an author sees.
   */
  latencyMs?: number;
}

export type WatchNotice =
  /** A patch was deleted; its JSON (if any) stays where it is. */
  | { kind: 'orphan'; bugId: string; patchFile: string; outputFile: string; outputExists: boolean }
  /** A JSON with no patch, found at startup. */
  | { kind: 'orphan-at-start'; outputFile: string }
  /** `changed`: what the edit changed (project, generators, golden, concurrency, reporters, env, python); `rebuilt`: bugs were looked at again. */
  | { kind: 'config-reloaded'; file?: string; bugs: number; changed: readonly string[]; rebuilt: boolean }
  /** The config could not be (re)loaded; the previous one stays in force. */
  | { kind: 'config-error'; message: string }
  /** Golden examples changed: only future LLM requests see them, nothing is rebuilt. */
  | { kind: 'golden-reloaded'; examples: number; files: readonly string[] }
  /** The curriculum's engine changed: the judge is set up again (`engine`: its --verbose description) and bugs are looked at again. */
  | { kind: 'engine-reloaded'; files: readonly string[]; engine: string; bugs: number }
  | { kind: 'lock-recovered'; pid: number; lockFile: string }
  | { kind: 'temp-files-removed'; files: readonly string[] }
  | { kind: 'watch-error'; message: string }
  /** A plugin problem that belongs to no bug (a close() or reporter hook that threw). */
  | { kind: 'warning'; message: string }
  /** Python was started for the first time (which one, and why): shown with --verbose. */
  | { kind: 'python-started'; lines: readonly string[] };

export interface WatchReady {
  root: string;
  configFile?: string;
  bugs: number;
  /** Counts from the initial pass. */
  built: number;
  upToDate: number;
  manual: number;
  failed: number;
  ms: number;
  /** close() was called before the initial pass finished. */
  cancelled: boolean;
  /** The Python the initial pass started, e.g. `CPython 3.11.7`. */
  python?: string;
}

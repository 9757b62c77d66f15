// The contracts between bug-author and its plugins, and every payload they carry: generators
// (what a bug looks like to them, what they return), reporters (runs, outcomes, findings, watch
// events), verification and transfer. Types only (and the list of variant kinds), at the bottom of the module graph: it imports
// nothing from the code that produces these values (config/ and the plugins depend on this
// module alone for them), only the format (BugDefinition), the Python tree and the runtime.
import type { BugDefinition } from './injector/definition.js';
import type { NoMatchExplanation } from './injector/explain-no-match.js';
import type { PythonBackendInfo, PythonRuntime } from './python/runtime.js';
import type { PyNode } from './python/tree.js';

// ---- Bugs, verification, transfer

/** A bug as discovery sees it: where its files are (absolute paths), nothing read yet. */
export interface BugRef {
  /** `<module>/<name>`. */
  id: string;
  name: string;
  module: string;
  patchFile: string;
  /** The directory holding the patch (usually `…/<module>/bugs`). */
  dir: string;
  /** The problem directory: the parent of `bugs/`, else the patch's directory. */
  moduleDir: string;
  outputFile: string;
  symptomCandidates: string[];
  /** Accepted as patch-only in the config (served by the engine's legacy patch path), with the reason if one was given. */
  patchOnly?: { reason?: string };
}

export interface SchemaProblem {
  /** JSON pointer-like location in the definition, e.g. `/logic/0/replacement/type`. */
  path: string;
  message: string;
}

export type Verdict = 'exact' | 'differs' | 'no-match' | 'error';

export interface Verification {
  verdict: Verdict;
  /** One line saying why, for anything but `exact`. */
  reason?: string;
  /** Unified diff of the expected (patched) code against what the injector produced, for `differs`. */
  diff?: string;
  /** What the injector produced. */
  output?: string;
  schemaProblems?: SchemaProblem[];
  /** Verified against hunks alone (no reference file): weaker evidence. */
  snippet?: boolean;
  /** For an `exact` definition: how it does on student-style variants of the reference. */
  transfer?: TransferReport;
  /** For `no-match`: which pass found nothing in the reference, what it lacks, the nearest code. */
  explanation?: NoMatchExplanation;
  /** The engine (its fingerprint) that judged this injection too: see engine-judge.ts. */
  judgedBy?: string;
  /**
   * The engine judge was switched off during this run (it hung), so no engine judged this
   * injection: why. The verdict is the built-in injector's alone ("not cross-checked").
   */
  notCrossChecked?: string;
  /**
   * The engine could not run (not importable, timed out): the fault may lie outside the files its
   * fingerprint covers (PYTHONPATH, a module not installed), so this verdict is not remembered.
   */
  engineFailed?: boolean;
}

/** The student-style variants a definition is tried on (built by transfer/student-variants.ts), in report order. */
export const VARIANT_KINDS = [
  'renamed-locals',
  'moved',
  'renamed-arguments',
  'renamed-attributes',
  'extra-assignment',
  'extra-assignment-top',
  'helper-extracted',
  'lookalike',
  'lookalike-same-name',
  'as-method',
  'temporary-inlined',
  'subexpression-extracted',
  'reordered',
  'tuple-assignment',
  'spelled-matmul',
  'spelled-square',
  'spelled-augmented',
  'spelled-commuted',
  'spelled-min-max',
] as const;
export type VariantKind = (typeof VARIANT_KINDS)[number];

/**
 * `exact`: the intended bug; `no-match`: the engine injects nothing and says so (the injector
 * reports failure or raises: see describeInjection); `wrong`: it injects something else, silently.
 */
export type TransferOutcome = 'exact' | 'no-match' | 'wrong';

export interface VariantTransfer {
  kind: VariantKind;
  outcome: TransferOutcome;
  /** Why, for anything but `exact`. */
  reason?: string;
  /** For a `no-match`: which pass found nothing, what the variant lacks, the nearest code (see explain-no-match). */
  explanation?: NoMatchExplanation;
}

export interface TransferReport {
  /** Variants on which the definition injects exactly the intended bug, out of `total`. */
  exact: number;
  total: number;
  worst: TransferOutcome;
  variants: VariantTransfer[];
  /**
   * Names a literal replacement writes that the reference defines inside a function (v2.1 has
   * no templating): the definition can only be right for students who use the same names.
   */
  referenceBound?: string[];
}

// ---- Generators

/** Everything known about one bug once its patch has been applied. */
export interface BugContext {
  /** `<module>/<name>`, e.g. `softmax/no_subtract_max`. */
  id: string;
  name: string;
  module: string;
  /** Paths relative to the project root. */
  patchFile: string;
  patchText: string;
  symptomFile?: string;
  symptom?: string;
  /** The reference file the patch targets (relative), absent in snippet mode. */
  referenceFile?: string;
  /** The patch's header path, e.g. `cs336_basics/layers.py`. */
  targetPath: string;
  referenceSource: string;
  patchedSource: string;
  beforeTree: PyNode;
  afterTree: PyNode;
  /** True when no reference file resolved and before/after come from the hunks alone. */
  snippet: boolean;
  /** Names of the functions (innermost `def`) whose lines the patch changes, in file order. */
  changedFunctions: string[];
}

export interface GoldenExample {
  file: string;
  definition: BugDefinition;
  patchText?: string;
  symptom?: string;
}

export interface GenerationUsage {
  /** Requests sent, failed ones included. */
  calls: number;
  /** Of those, the ones that brought no usable answer (timeouts, 5xx, garbage). */
  failedCalls?: number;
  cachedCalls: number;
  promptTokens: number;
  completionTokens: number;
  costUsd: number;
}

/** Environment variables as the run sees them (process environment over the project's .env). */
export type RunEnv = Readonly<Record<string, string | undefined>>;

export interface GeneratorContext {
  python: PythonRuntime;
  /** Verifies a candidate against this bug's full patched reference (same injector as the engine). */
  verify(definition: unknown): Promise<Verification>;
  /** Project root and cache directory (absolute). */
  root: string;
  cacheDir: string;
  goldenExamples: readonly GoldenExample[];
  /** Fires when the run is cancelled or this generator's time for the bug is up: stop and return. */
  signal?: AbortSignal;
  env: RunEnv;
  /** `--force`: answer nothing from the plugin's own caches; generate afresh. */
  fresh?: boolean;
}

export type GeneratorResult =
  | { status: 'generated'; definition: BugDefinition; verification: Verification; model?: string; usage?: GenerationUsage }
  /** The generator knows this edit is outside what it (or v2.1) can express; `reason` says precisely why. */
  | { status: 'unsupported'; reason: string; usage?: GenerationUsage }
  /** It tried and did not reach `exact`; a best `differs` candidate may come along as a draft. */
  | { status: 'failed'; reason: string; draft?: { definition: BugDefinition; verification: Verification }; usage?: GenerationUsage;
      /** Stops all further work of this generator (e.g. a rejected API key); never cached. */
      fatal?: boolean;
      /** A passing failure (timeout, server error): not cached, so the next run tries again. */
      retryable?: boolean;
      /** The stack of what the plugin threw (shown with `--verbose`). */
      stack?: string };

/**
 * What a generator is, which decides how the run treats it: `llm` generators are skipped by
 * `--no-llm`, counted in the cost summary and run in their own lane (a slow server never holds
 * the slots of deterministic work); `deterministic` ones compute the definition offline;
 * `manual` ones bring definitions a person wrote (another store, a course's house rules).
 */
export type GeneratorKind = 'llm' | 'deterministic' | 'manual';

export type Availability = { ok: true } | { ok: false; reason: string; hint?: string };

/** What `setup()` gets: the run around the plugin, once per run or watch session. */
export interface PluginSetupContext {
  /** Project root and cache directory (absolute). */
  root: string;
  cacheDir: string;
  /** The process environment over the project's `.env` (API keys, base URLs). */
  env: RunEnv;
  /** Fires when the run (or the watch session) is stopped. */
  signal?: AbortSignal;
}

/**
 * A generator plugin: a small object with named hooks, tried in config order until one yields
 * `exact`. Only `name` and `generate` are required. Whatever a hook throws (or a promise it
 * rejects with) fails that bug with the plugin's name, and the run goes on.
 */
export interface GeneratorPlugin {
  name: string;
  /** Default `'deterministic'`. */
  kind?: GeneratorKind;
  /** Longest time one `generate()` may take for one bug before it counts as failed (default: config `generatorTimeoutMs`). */
  timeoutMs?: number;
  /** Settings that change what this generator produces (model, temperature, prompt…): part of cache keys. */
  settingsKey?(goldenExamples?: readonly GoldenExample[]): string;
  /** Once per run or watch session, before the first `generate()`: read the environment, create clients. */
  setup?(context: PluginSetupContext): void | Promise<void>;
  /** Whether it can run at all (checked after `setup`); the reason is shown when it cannot. */
  available?(): Availability;
  generate(bug: BugContext, context: GeneratorContext): Promise<GeneratorResult>;
  /** Totals for the run summary (calls, tokens, cost). */
  usage?(): GenerationUsage;
  /** When the run ends, the watch stops or the config reloads (only after `setup` ran). */
  close?(): void | Promise<void>;
}

// ---- Build, check and watch payloads

export type OutcomeStatus =
  /** A generated JSON was written (new, regenerated, or provenance refreshed). */
  | 'built'
  /** The generated JSON on disk is up to date: nothing to do. */
  | 'up-to-date'
  /** A hand-written (or hand-edited) JSON was kept and verified. */
  | 'manual'
  /** Accepted as patch-only in the config: not compiled; its patch applies the way the engine applies it. */
  | 'patch-only'
  /** No verified JSON could be produced for the current inputs. */
  | 'failed';

/** What every outcome may say, whatever its status. */
export interface OutcomeFields {
  bug: BugRef;
  status: OutcomeStatus;
  generator?: string;
  model?: string;
  verdict?: Verdict;
  /** Why it failed, or a note (e.g. "provenance refreshed", snippet mode). */
  reason?: string;
  /** What to do about a failure, in one line. */
  hint?: string;
  diff?: string;
  /** Whether the JSON file changed on disk. */
  written: boolean;
  draftFile?: string;
  snippet?: boolean;
  /** A failure only the LLM generator or an author can fix (not an input error). */
  needsAuthoring?: boolean;
  /** The failure is in the inputs (patch, reference, symptom): the file to fix. */
  inputFile?: string;
  /** The stack of what a plugin (or the tool itself) threw; shown with `--verbose`. */
  stack?: string;
  ms: number;
  /** How the JSON (generated or kept) does on student-style variants of the reference. */
  transfer?: TransferReport;
  /** How leniently the patch was read or applied (recounted hunks, hunks found ignoring comments). */
  patchNotes?: string[];
  /** A generator said v2.1 cannot express this edit: accepting it as patch-only is the way out. */
  inexpressible?: boolean;
  /** The patch no longer applies to its reference (its removed code is gone): `refresh-patch` can draft a repair. */
  patchRotted?: boolean;
  /** For a JSON an LLM generator just produced: what that generation used (also recorded in its provenance). */
  usage?: GenerationUsage;
  /** Verified by the built-in injector alone: the engine judge was switched off during this run (it hung). */
  notCrossChecked?: boolean;
}

/** A generated JSON was written (new, regenerated, or provenance refreshed): exact on the reference. */
export interface BuiltOutcome extends OutcomeFields {
  status: 'built';
  verdict: 'exact';
}

/** The generated JSON on disk is up to date: nothing was done. */
export interface UpToDateOutcome extends OutcomeFields {
  status: 'up-to-date';
  verdict: 'exact';
  written: false;
}

/** A hand-written (or hand-edited) JSON was kept and verified (`differs` still passes; `no-match`/`error` fail). */
export interface ManualOutcome extends OutcomeFields {
  status: 'manual';
  verdict: Verdict;
  written: false;
}

/** Accepted as patch-only in the config: not compiled. */
export interface PatchOnlyOutcome extends OutcomeFields {
  status: 'patch-only';
  written: false;
}

/** No verified JSON could be produced for the current inputs: `reason` says why. */
export interface FailedOutcome extends OutcomeFields {
  status: 'failed';
  reason: string;
  written: false;
}

/** One bug's build, as a union by `status`. */
export type BugOutcome = BuiltOutcome | UpToDateOutcome | ManualOutcome | PatchOnlyOutcome | FailedOutcome;

export interface BuildRun {
  outcomes: BugOutcome[];
  ms: number;
  /** What the `kind: 'llm'` generators used: requests (failed ones too), tokens, cost. */
  usage: GenerationUsage;
  /** Python had to be started (false on a fully cached re-run). */
  pythonLoaded: boolean;
  /** Which Python served, when it was started. */
  python?: PythonBackendInfo;
}

/** What `check` can find wrong with a bug, its JSON or the files around them. */
export type FindingKind =
  /** A patch with no JSON. */
  | 'missing'
  /** The recorded input hash no longer matches the patch, symptom and reference. */
  | 'stale'
  /** A generated JSON changed after generation: now effectively hand-written. */
  | 'hand-edited'
  /** Not valid JSON, or not a valid v2.1 definition. */
  | 'schema-invalid'
  /** A hand-written JSON lacks what the schema asks for but the engine never reads (per-pass `description`…): a warning. */
  | 'engine-dialect'
  /** A verified draft of a rotted patch waits under .bug-author/drafts/ (a hint: `refresh-patch --accept`). */
  | 'draft'
  /** It does not inject the patched code into the reference (no-match, differs, error, invalid Python). */
  | 'does-not-verify'
  /** Exact on the reference, but it injects something else into student-style code (a silently wrong lesson). */
  | 'does-not-transfer'
  /** A JSON beside the patches that belongs to no patch. */
  | 'orphan'
  /** A JSON that exists on disk but is not tracked (CI) or not staged (`--staged`). */
  | 'untracked'
  /** The bug's inputs are broken: the patch does not apply, the reference does not parse… */
  | 'input-error'
  /** A patch-only bug the engine could not serve: its patch no longer applies, a JSON competes with it… */
  | 'patch-only'
  /** The patch applies only leniently (recounted, ignoring comments or whitespace): refresh it. */
  | 'stale-patch'
  /** Patches sit beside their JSON, so the engine offers those bugs twice (once per run). */
  | 'engine-pick'
  /** A config entry that matches nothing (a patchOnly glob no patch matches). */
  | 'config'
  /** `--require-review`: no approved review of this definition. */
  | 'unreviewed'
  /** `--require-review`: the review names another version of the definition or its inputs. */
  | 'review-stale';

export type Severity = 'error' | 'warning';

/** One problem; formatters turn it into text, annotations or JSON. Paths are relative to the project root. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** `<module>/<name>`, when the finding is about a bug. */
  bug?: string;
  file: string;
  line?: number;
  message: string;
  /** The one command (or edit) that fixes it. */
  fix: string;
  /** Supporting text, e.g. the diff of a `differs` verdict. */
  detail?: string;
  /** For `does-not-verify`: the verification's verdict (differs, no-match, error). */
  verdict?: 'differs' | 'no-match' | 'error';
  /** For `missing`: the last build's generators said v2.1 cannot express the edit (a patch-only candidate), and why. */
  inexpressible?: { reason: string };
  /** For `unreviewed` and `review-stale`: the review as it stands (`unreviewed`, `review stale (…)`, `needs revision by …`). */
  review?: string;
}

/** One bug's transfer to student-style code, for `--format json`. */
export interface BugTransfer {
  bug: string;
  file: string;
  exact: number;
  total: number;
  worst: TransferReport['worst'];
  variants: TransferReport['variants'];
  referenceBound?: string[];
}

export interface CheckReport {
  findings: Finding[];
  /** Transfer of every JSON that is exact on its reference (and was judged: `--since` skips some). */
  transfer: BugTransfer[];
  /** Bugs found, and how many of them were checked (`--since` leaves some out). */
  bugs: number;
  checked: number;
  /** Whether this check needed Python; false when every verdict came from hashes and the cache. */
  pythonLoaded: boolean;
  /** Which Python it was, e.g. `CPython 3.11.7`, when it was needed. */
  python?: string;
  staged: boolean;
  since?: string;
  /** Temp files of killed bug-author runs that were swept away (relative to the root), if any. */
  tempFilesRemoved?: string[];
  ms: number;
}

/** `initial`: the startup pass; `change`: a saved file; `config`: the config was reloaded. */
export type RunTrigger = 'initial' | 'change' | 'config';

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
  /** A bug's JSON was changed by someone else (edited by hand, written by another build): nothing is rebuilt. */
  | { kind: 'output-changed'; bugId: string; outputFile: string }
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
// ---- Repairing rotted patches: drafts, and the re-author (an LLM step)

/** A draft is offered only verified: it compiles to an exact definition, or is a patch-only candidate (v2.1 cannot express it). */
export interface DraftVerification {
  status: 'exact' | 'patch-only';
  generator?: string;
  transfer?: { exact: number; total: number; worst: string };
  referenceBound?: string[];
  /** Why it is patch-only. */
  reason?: string;
}

export type DraftVerdict =
  | { ok: true; verification: DraftVerification; functions: string[]; /** The patch as verified (a model's, rewritten with exact context and counts). */ text?: string }
  /** `stage` says which check refused it, for the model's feedback. */
  | { ok: false; stage: 'parse' | 'apply' | 'python' | 'no-op' | 'scope' | 'names' | 'compile'; reason: string };

/** What the model is told about a bug whose patch no longer applies. */
export interface ReauthorRequest {
  /** `<module>/<name>`. */
  bug: string;
  /** Relative to the project root. */
  patchFile: string;
  referenceFile: string;
  symptom?: string;
  /** The old patch: the statement of the bug's intent. */
  oldPatch: string;
  /** Today's source of each function the old patch changed, with its first line number in the reference. */
  functions: { name: string; firstLine: number; text: string }[];
  /** Why the old patch no longer applies. */
  why: string;
  /** The file names the new patch's `---`/`+++` lines must carry. */
  header: { oldName: string; newName: string };
}

export interface ReauthorContext {
  /** Judges one candidate patch: parses, applies cleanly, changes only the old patch's functions, not a no-op, compiles. */
  verify(patchText: string): Promise<DraftVerdict>;
  cacheDir: string;
  signal?: AbortSignal;
}

export type ReauthorResult =
  | { status: 'drafted'; text: string; model: string; verdict: Extract<DraftVerdict, { ok: true }>; notes: string[] }
  | { status: 'failed'; reason: string };

/**
 * Re-authors a rotted patch with a model (`kind: 'llm'`: `--no-llm` skips it, its requests are
 * counted in the LLM cost line). Each answer is verified; a failure is fed back, up to its attempts.
 */
export interface PatchReauthor {
  name: string;
  kind: 'llm';
  available(): Availability;
  reauthor(request: ReauthorRequest, context: ReauthorContext): Promise<ReauthorResult>;
  usage(): GenerationUsage;
}

// ---- Reporters

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
// ---- Notices of the programmatic API

/** Why the cache could not be written (read-only directory, a file in its place, disk full…). */
export interface CacheWriteProblem {
  dir: string;
  /** The errno code, e.g. `EACCES`, `ENOTDIR`, `EROFS`. */
  code?: string;
  reason: string;
}

/**
 * A content-addressed JSON store: `<dir>/<namespace>/<key[0..2]>/<key>.json`.
 * Entries are self-checking (they repeat their key); unreadable or mismatching entries are misses.
 * The cache is an optimisation: a write that fails is remembered (for one notice) and never
 * thrown, and after it the cache stops trying to write for the rest of the run.
 */
/** Said during a build or check, besides the bugs' outcomes and findings. */
export type RunNotice =
  /** No patch matched the config's `bugs` globs (a build then does nothing). */
  | { kind: 'no-bugs'; root: string; globs: readonly string[] }
  /** Temp files of killed runs were swept (absolute paths). */
  | { kind: 'temp-files-removed'; root: string; files: readonly string[] }
  /** The cache could not be written: the run did all its work, the next one repeats it. */
  | { kind: 'cache-unwritable'; root: string; problem: CacheWriteProblem }
  /** A problem that belongs to no bug: a plugin's close() or a reporter hook that threw, an option that does not apply, a curriculum manifest it cannot use. */
  | { kind: 'warning'; message: string }
  /** What repairing rotted patches during the build (config `repair.inBuild`) did, line by line. */
  | { kind: 'repair'; message: string };

import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { buildBug } from '../compile/build-bug.js';
import type { BugOutcome } from '../compile/bug-outcome.js';
import { loadGoldenExamples } from '../compile/golden-examples.js';
import { contentHash, stableStringify } from '../cache/hash.js';
import type { BugRef } from '../discover/bug-ref.js';
import type { BuiltInGenerators } from '../generate/default-generators.js';
import { discoverBugs, discoverOrphanJson } from '../discover/discover-bugs.js';
import type { PythonRuntime } from '../python/runtime.js';
import { setUpEngineJudge, type EngineJudge, type EngineSetup } from '../verify/engine-judge.js';
import { describeBackend, describeEngine, formatPythonVerbose } from '../report/format-python-report.js';
import type { Reporter, RunStart } from '../contracts.js';
import { createReporterDispatch, type ReporterDispatch } from '../report/reporter-dispatch.js';
import { projectTempDirs } from '../project/project-temp-dirs.js';
import { removeStaleTempFiles } from '../write/temp-sweep.js';
import { readBugDependencies } from './bug-dependencies.js';
import { BugScheduler, type RunRequest } from './bug-scheduler.js';
import { DebounceQueue } from './debounce-queue.js';
import { DependencyMap } from './dependency-map.js';
import { startFileWatcher, type FileEvent, type FileWatcher } from './file-watcher.js';
import { compareConfigs, describeChange } from './config-change.js';
import { createProjectState, goldenCandidates, loadProjectConfig, loadProjectState, type LoadedConfig, type ProjectOptions, type ProjectState } from './project-state.js';
import type { WatchNotice, WatchOutcome, WatchReady } from '../contracts.js';
import { acquireWatchLock, legacyWatchLockFile, watchLockFile, type WatchLock } from './watch-lock.js';
import { WatchScope } from './watch-scope.js';

export interface WatchOptions {
  /** Where the project is (the config is searched upwards from here). */
  cwd: string;
  /** An explicit config file (relative to cwd or absolute). */
  configFile?: string;
  /** Leave out LLM generators. */
  noLlm?: boolean;
  /** `--llm-timeout`, over the config's llm.timeoutMs. */
  llmTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
  /** Poll the file system instead of native events (network drives). */
  poll?: boolean;
  pollIntervalMs?: number;
  /** Quiet period before a burst of file events is processed (default DEFAULT_DEBOUNCE_MS). */
  debounceMs?: number;
  /** Use this Python whatever the config and BUG_AUTHOR_PYTHON say (benchmarks, tests). */
  python?: PythonRuntime;
  /** Aborting it stops the watcher, as close() does. */
  signal?: AbortSignal;
  /** Reporters for the whole session (the terminal, `--reporter`), before the config's own. */
  reporters?: readonly Reporter[];
  /** `--verbose`: reporters show stacks. */
  verbose?: boolean;
  /** The chain used when the config lists no generators (the API passes src/api/built-in-generators.ts). */
  builtInGenerators?: BuiltInGenerators;
  onOutcome?: (event: WatchOutcome) => void;
  onNotice?: (notice: WatchNotice) => void;
}

export interface RunningWatcher {
  root: string;
  lockFile: string;
  /** Resolves once the file watcher is live and the initial pass is done. */
  ready: Promise<WatchReady>;
  /** Resolves once the watcher has stopped (close() or the signal). */
  closed: Promise<void>;
  /** Cancels running builds, waits for them to stop, closes the file watcher, releases the lock. */
  close(): Promise<void>;
  /** The `--verbose` lines about Python and the engine judge, as things stand. */
  pythonReport(): string[];
}

/**
 * chokidar drops a file's `change` events for 50 ms after one it reported (it does not
 * deliver a trailing one), so the quiet period must be longer than that for a burst of
 * saves to stay one batch; the recheck below catches a final save that was dropped.
 */
export const DEFAULT_DEBOUNCE_MS = 80;
const RECHECK_AFTER_MS = 75;

/**
 * Starts the authoring daemon: loads the config, takes the project's watch lock (throws
 * WatchLockedError when another watcher holds it), watches the inputs and brings every
 * JSON up to date, then rebuilds the affected bugs on every save.
 */
export async function startWatcher(options: WatchOptions): Promise<RunningWatcher> {
  const session = new AbortController();
  let daemon: WatchDaemon | undefined;
  const projectOptions: ProjectOptions = {
    cwd: options.cwd,
    ...(options.configFile ? { configFile: options.configFile } : {}),
    noLlm: options.noLlm === true,
    ...(options.llmTimeoutMs !== undefined ? { llmTimeoutMs: options.llmTimeoutMs } : {}),
    env: options.env ?? process.env,
    ...(options.python ? { python: options.python } : {}),
    signal: session.signal,
    warn: (message) => daemon?.warn(message),
    ...(options.builtInGenerators ? { builtInGenerators: options.builtInGenerators } : {}),
  };
  const state = await loadProjectState(projectOptions);
  let lock: WatchLock;
  try {
    lock = await acquireWatchLock(watchLockFile(state.config.root), state.config.root, legacyWatchLockFile(state.config.cacheDir));
  } catch (err) {
    await state.env.runner.close();
    throw err;
  }
  daemon = new WatchDaemon(options, projectOptions, state, lock, session);
  try {
    await daemon.start();
  } catch (err) {
    await daemon.close();
    throw err;
  }
  return daemon.handle();
}

class WatchDaemon {
  private readonly deps = new DependencyMap();
  private readonly scheduler: BugScheduler;
  private readonly queue: DebounceQueue<FileEvent>;
  /** Bugs to look at again shortly after a batch, in case the last save's event was dropped. */
  private readonly rechecks: DebounceQueue<RunRequest>;
  /** Output file → hash of what this daemon last wrote there: its own writes are not edits. */
  private readonly selfWrites = new Map<string, string>();
  private scope!: WatchScope;
  private fileWatcher: FileWatcher | undefined;
  private goldenFiles = new Set<string>();
  /** Batches are handled one at a time, in order. */
  private chain: Promise<void> = Promise.resolve();
  private initialCounts = { built: 0, upToDate: 0, manual: 0, failed: 0 };
  private closing: Promise<void> | undefined;
  private resolveClosed!: () => void;
  private readonly closedPromise = new Promise<void>((resolve) => (this.resolveClosed = resolve));
  private ready: Promise<WatchReady> = new Promise(() => {});
  private readonly stopOnAbort = () => void this.close();
  private pythonAnnounced = false;
  /** The engine judge whose switching off was said (a reloaded engine gets a judge of its own). */
  private judgeOffAnnounced: EngineJudge | undefined;
  private readonly reporters: ReporterDispatch;

  constructor(
    private readonly options: WatchOptions,
    private readonly projectOptions: ProjectOptions,
    private state: ProjectState,
    private readonly lock: WatchLock,
    private readonly session: AbortController,
  ) {
    this.reporters = createReporterDispatch([...(options.reporters ?? []), ...state.config.reporters], (message) => this.warn(message));
    // Runs are not capped here: the build environment's lanes bound the work, so a bug waiting
    // on an LLM never keeps a deterministic one from starting.
    this.scheduler = new BugScheduler(Number.POSITIVE_INFINITY, {
      inputKey: (bug) => this.inputKey(bug),
      build: (bug, signal) => this.build(bug, signal),
      finished: (request, outcome) => this.finished(request, outcome),
    });
    const quietMs = options.debounceMs ?? DEFAULT_DEBOUNCE_MS;
    this.queue = new DebounceQueue<FileEvent>({ quietMs, maxWaitMs: Math.max(1000, quietMs * 10) }, (batch) => {
      this.chain = this.chain.then(() => this.handleBatch(batch)).catch((err: unknown) => this.notice({ kind: 'watch-error', message: errorMessage(err) }));
    });
    this.rechecks = new DebounceQueue<RunRequest>({ quietMs: RECHECK_AFTER_MS, maxWaitMs: RECHECK_AFTER_MS * 4 }, (requests) => {
      const latest = new Map(requests.map((r) => [r.bug.patchFile, r]));
      for (const request of latest.values()) {
        if (this.state.bugs.get(request.bug.patchFile) === request.bug) void this.scheduler.request({ ...request, recheck: true, force: false });
      }
    });
  }

  warn(message: string): void {
    this.notice({ kind: 'warning', message });
  }

  private runStart(): RunStart {
    const { config } = this.state;
    return { command: 'watch', root: config.root, ...(config.file ? { configFile: config.file } : {}), bugs: [...this.state.bugs.values()], verbose: this.options.verbose === true };
  }

  async start(): Promise<void> {
    this.reporters.runStart(this.runStart());
    if (this.lock.recoveredFrom !== undefined) this.notice({ kind: 'lock-recovered', pid: this.lock.recoveredFrom, lockFile: this.lock.file });
    const bugs = [...this.state.bugs.values()];
    const removed = await removeStaleTempFiles(projectTempDirs(this.state.config, bugs));
    if (removed.length) this.notice({ kind: 'temp-files-removed', files: removed });
    await Promise.all(bugs.map((bug) => this.inputKey(bug)));
    this.goldenFiles = await goldenCandidates(this.state);
    this.fileWatcher = await this.watchFiles();
    for (const file of await discoverOrphanJson(this.state.config, bugs)) this.notice({ kind: 'orphan-at-start', outputFile: file });
    this.ready = this.initialPass();
    this.options.signal?.addEventListener('abort', this.stopOnAbort, { once: true });
    if (this.options.signal?.aborted) void this.close();
  }

  handle(): RunningWatcher {
    return {
      root: this.state.config.root,
      lockFile: this.lock.file,
      ready: this.ready,
      closed: this.closedPromise,
      close: () => this.close(),
      pythonReport: () => formatPythonVerbose(this.state.env.python, this.state.engine),
    };
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      this.options.signal?.removeEventListener('abort', this.stopOnAbort);
      this.queue.close();
      this.rechecks.close();
      await this.scheduler.close();
      await this.chain;
      this.session.abort();
      await this.state.env.runner.close();
      await this.fileWatcher?.close();
      await this.lock.release();
      this.reporters.runEnd({ command: 'watch', exitCode: 0 });
      await this.reporters.flush();
      this.resolveClosed();
    })();
    return this.closing;
  }

  private get closed(): boolean {
    return this.closing !== undefined;
  }

  private async initialPass(): Promise<WatchReady> {
    const started = performance.now();
    for (const bug of this.state.bugs.values()) void this.scheduler.request({ bug, trigger: 'initial' });
    await this.scheduler.idle();
    const ready: WatchReady = {
      root: this.state.config.root,
      ...(this.state.config.file ? { configFile: this.state.config.file } : {}),
      bugs: this.state.bugs.size,
      ...this.initialCounts,
      ms: Math.round(performance.now() - started),
      cancelled: this.closed,
      ...(this.state.env.python.backend ? { python: describeBackend(this.state.env.python.backend) } : {}),
    };
    this.reporters.watchEvent({ kind: 'ready', ...ready });
    return ready;
  }

  private async watchFiles(): Promise<FileWatcher> {
    this.scope = new WatchScope(this.state.config, this.deps, this.projectOptions.configFile ? path.resolve(this.projectOptions.cwd, this.projectOptions.configFile) : undefined);
    const watcher = await startFileWatcher({
      root: this.scope.watchRoot,
      ignored: this.scope.ignored,
      ...(this.options.poll ? { poll: true } : {}),
      ...(this.options.pollIntervalMs ? { pollIntervalMs: this.options.pollIntervalMs } : {}),
      onEvent: (event) => this.queue.push(event),
      onError: (error) => this.notice({ kind: 'watch-error', message: error.message }),
    });
    this.scope.markScanned();
    if (this.scope.engineOutsideRoot) watcher.add([this.scope.engineOutsideRoot]);
    if (this.scope.configImportsOutsideRoot.length) watcher.add(this.scope.configImportsOutsideRoot);
    return watcher;
  }

  /** Reads the bug's inputs (no Python), records its dependencies, returns their fingerprint. */
  private async inputKey(bug: BugRef): Promise<string> {
    const found = await readBugDependencies(bug, this.state.config);
    if (this.state.bugs.get(bug.patchFile) === bug) {
      if (found.incomplete) this.deps.extend(bug.patchFile, found.files);
      else this.deps.set(bug.patchFile, found.files);
      const dirs = this.scope?.unscannedDirs(found.files) ?? [];
      if (dirs.length) this.fileWatcher?.add(dirs);
    }
    return found.key;
  }

  private async build(bug: BugRef, signal: AbortSignal): Promise<BugOutcome> {
    const outcome = await buildBug(bug, { ...this.state.env, signal });
    if (outcome.written) {
      // Recorded before the outcome is reported, so the write's own file event is recognised.
      const text = await readFile(bug.outputFile).catch(() => undefined);
      if (text) this.selfWrites.set(bug.outputFile, contentHash(text));
    }
    return outcome;
  }

  private finished(request: RunRequest, outcome: BugOutcome): void {
    if (!this.pythonAnnounced && this.state.env.python.loaded) {
      this.pythonAnnounced = true;
      this.notice({ kind: 'python-started', lines: formatPythonVerbose(this.state.env.python, undefined) });
    }
    const judgeOff = this.state.env.judge?.switchedOff();
    if (judgeOff && this.judgeOffAnnounced !== this.state.env.judge) {
      this.judgeOffAnnounced = this.state.env.judge;
      this.warn(judgeOff);
    }
    if (request.trigger === 'initial') {
      const counts = this.initialCounts;
      if (outcome.status === 'built') counts.built++;
      else if (outcome.status === 'up-to-date' || outcome.status === 'patch-only') counts.upToDate++;
      else if (outcome.status === 'manual') counts.manual++;
      else counts.failed++;
    }
    const event: WatchOutcome = {
      outcome,
      trigger: request.trigger,
      changedFiles: request.files ?? [],
      ...(request.trigger === 'change' && request.detectedAt !== undefined ? { latencyMs: Math.round(performance.now() - request.detectedAt) } : {}),
    };
    this.reporters.bugDone({ command: 'watch', bug: outcome.bug, ...event });
    this.options.onOutcome?.(event);
  }

  private notice(notice: WatchNotice): void {
    this.reporters.watchEvent(notice);
    try {
      this.options.onNotice?.(notice);
    } catch {
      // A reporting callback must not stop the daemon.
    }
  }

  private async handleBatch(batch: FileEvent[]): Promise<void> {
    if (this.closed) return;
    const engineFiles = [...new Set(batch.filter((e) => this.scope.isEngineFile(e.path)).map((e) => e.path))];
    if (engineFiles.length) await this.reloadEngine(engineFiles);
    if (batch.some((e) => this.scope.isConfigFile(e.path)) && (await this.reloadConfig()) === 'project') return; // everything rediscovered and rebuilt
    // Saved in the same batch as the config (or an edit of it that could not be loaded), a patch or its inputs count all the same.
    const events = batch.filter((e) => !this.scope.isEngineFile(e.path) && !this.scope.isConfigFile(e.path));
    if (events.length === 0 || this.closed) return;
    const detectedAt = Math.min(...events.map((e) => e.at));
    const paths = [...new Set(events.map((e) => e.path))];
    const outputs = new Map([...this.state.bugs.values()].map((b) => [b.outputFile, b]));
    const structural =
      events.some((e) => e.kind !== 'change' && !outputs.has(e.path)) || paths.some((p) => !this.deps.has(p) && !outputs.has(p) && !this.goldenFiles.has(p));
    const added = structural ? await this.rediscover() : [];

    const affected = new Map<string, RunRequest>();
    const request = (bug: BugRef, files: string[], force = false) => {
      const previous = affected.get(bug.patchFile);
      affected.set(bug.patchFile, { bug, trigger: 'change', detectedAt, files: [...(previous?.files ?? []), ...files], force: force || previous?.force === true });
    };
    for (const file of paths) {
      for (const key of this.deps.bugsFor(file)) {
        const bug = this.state.bugs.get(key);
        if (bug) request(bug, [file]);
      }
    }
    for (const bug of added) request(bug, [bug.patchFile]);
    // A deleted generated JSON is rebuilt (the daemon itself never deletes outputs).
    for (const event of events) {
      const bug = outputs.get(event.path);
      if (event.kind === 'unlink' && bug && this.state.bugs.get(bug.patchFile) === bug && !existsSync(event.path)) request(bug, [event.path], true);
    }
    await Promise.all([...affected.values()].map((r) => this.scheduler.request(r)));
    for (const r of affected.values()) this.rechecks.push(r);
    // A JSON someone else changed (edited by hand, written by another build) rebuilds nothing: it is only said.
    for (const file of paths) {
      const bug = outputs.get(file);
      if (bug && this.state.bugs.get(bug.patchFile) === bug && existsSync(file) && !(await this.isOwnWrite(file))) this.notice({ kind: 'output-changed', bugId: bug.id, outputFile: file });
    }

    // Off the save → JSON path. Golden examples carry their bug's patch and symptom too.
    const examples = new Set(this.state.env.goldenExamples.map((e) => path.resolve(this.state.config.root, e.file)));
    const changedGolden: string[] = [];
    for (const file of paths) {
      const ofExample = this.deps.bugsFor(file).some((key) => examples.has(this.state.bugs.get(key)?.outputFile ?? ''));
      if (ofExample || (this.goldenFiles.has(file) && !(await this.isOwnWrite(file)))) changedGolden.push(file);
    }
    if (changedGolden.length) await this.reloadGolden(changedGolden);
  }

  /** Finds added and deleted patches; a deleted patch's JSON is reported as an orphan, never deleted. */
  private async rediscover(): Promise<BugRef[]> {
    const found = await discoverBugs(this.state.config);
    const current = new Set(found.map((b) => b.patchFile));
    const added = found.filter((b) => !this.state.bugs.has(b.patchFile));
    const removed = [...this.state.bugs.values()].filter((b) => !current.has(b.patchFile));
    for (const bug of removed) {
      this.state.bugs.delete(bug.patchFile);
      this.deps.remove(bug.patchFile);
      this.selfWrites.delete(bug.outputFile);
      await this.scheduler.cancel(bug.patchFile);
      this.notice({ kind: 'orphan', bugId: bug.id, patchFile: bug.patchFile, outputFile: bug.outputFile, outputExists: existsSync(bug.outputFile) });
    }
    for (const bug of added) this.state.bugs.set(bug.patchFile, bug);
    if (added.length || removed.length || this.state.config.golden) this.goldenFiles = await goldenCandidates(this.state);
    return added;
  }

  private async isOwnWrite(file: string): Promise<boolean> {
    const written = this.selfWrites.get(file);
    if (!written) return false;
    const bytes = await readFile(file).catch(() => undefined);
    return bytes !== undefined && contentHash(bytes) === written;
  }

  /** The engine's files changed: with a new fingerprint comes a new judge, and every bug is looked at again. */
  private async reloadEngine(files: string[]): Promise<void> {
    let engine: EngineSetup;
    try {
      engine = await setUpEngineJudge(this.state.config, this.state.env.python);
    } catch (err) {
      this.notice({ kind: 'config-error', message: errorMessage(err) });
      return;
    }
    if (this.closed || engineKey(engine) === engineKey(this.state.engine)) return;
    await this.scheduler.cancelAll();
    const { judge: _replaced, ...env } = this.state.env;
    this.state = { ...this.state, engine, env: { ...env, ...('judge' in engine ? { judge: engine.judge } : {}) } };
    this.scheduler.forgetKeys();
    this.notice({ kind: 'engine-reloaded', files, engine: describeEngine(engine), bugs: this.state.bugs.size });
    for (const bug of this.state.bugs.values()) void this.scheduler.request({ bug, trigger: 'config' });
  }

  /** Golden examples only shape future LLM prompts: reload them, rebuild nothing. */
  private async reloadGolden(files: string[]): Promise<void> {
    const examples = await loadGoldenExamples(this.state.config, [...this.state.bugs.values()]);
    // A hand-edited *generated* JSON is no golden example: only say so when the set changed.
    if (stableStringify(examples) === stableStringify(this.state.env.goldenExamples)) return;
    this.state = { ...this.state, env: { ...this.state.env, goldenExamples: examples } };
    this.notice({ kind: 'golden-reloaded', examples: examples.length, files });
  }

  /**
   * A config that fails to load leaves the running one in force. An edit is handled by what it
   * changed: concurrency, reporters and golden globs are applied in place (running work goes
   * on, nothing is rebuilt); a new generator chain, .env or Python restarts generation; anything else (where
   * bugs, inputs, outputs or the cache are) reloads the whole project.
   */
  private async reloadConfig(): Promise<'project' | 'in-place'> {
    let loaded: LoadedConfig;
    try {
      loaded = await loadProjectConfig(this.projectOptions);
    } catch (err) {
      this.notice({ kind: 'config-error', message: errorMessage(err) });
      return 'in-place';
    }
    if (this.closed) return 'in-place';
    // The config may import other modules now: those are watched like it.
    const importDirs = this.scope.setConfigImports(loaded.config.imports ?? []);
    if (importDirs.length) this.fileWatcher?.add(importDirs);
    const running = this.state.env;
    const change = compareConfigs({ config: running.config, runEnv: running.env, python: running.python }, loaded, running.goldenExamples);
    const changed = describeChange(change);
    const file = loaded.config.file ? { file: loaded.config.file } : {};
    const previous = this.runStartAfter(loaded);
    this.reporters.replace([...(this.options.reporters ?? []), ...loaded.config.reporters], previous, { command: 'watch', exitCode: 0 });
    if (change.project) return (await this.reloadProject(loaded, changed)) ? 'project' : 'in-place';
    // A new chain, .env or Python: the build environment is made again from what was loaded.
    if (change.generators || change.env || change.python) {
      await this.scheduler.cancelAll();
      const old = this.state.env.runner;
      this.state = await createProjectState(loaded, this.projectOptions, [...this.state.bugs.values()]);
      await old.close();
      this.scheduler.forgetKeys();
      this.notice({ kind: 'config-reloaded', ...file, bugs: this.state.bugs.size, changed, rebuilt: true });
      for (const bug of this.state.bugs.values()) void this.scheduler.request({ bug, trigger: 'config' });
      return 'in-place';
    }
    // Applied in place: the running generator instances and their work carry on.
    const config = { ...loaded.config, ...(this.state.config.generators ? { generators: this.state.config.generators } : {}) };
    this.state = { ...this.state, config, env: { ...this.state.env, config } };
    if (change.concurrency) this.state.env.lanes.concurrency = config.concurrency;
    if (change.golden) {
      this.goldenFiles = await goldenCandidates(this.state);
      await this.reloadGolden([loaded.config.file ?? this.state.config.root]);
    }
    this.notice({ kind: 'config-reloaded', ...file, bugs: this.state.bugs.size, changed, rebuilt: false });
    return 'in-place';
  }

  private runStartAfter(loaded: LoadedConfig): RunStart {
    return { ...this.runStart(), root: loaded.config.root, ...(loaded.config.file ? { configFile: loaded.config.file } : {}) };
  }

  /** Where bugs, inputs or outputs are changed: everything is rediscovered and looked at again. False when the running project stays. */
  private async reloadProject(loaded: LoadedConfig, changed: string[]): Promise<boolean> {
    let next: ProjectState;
    try {
      next = await createProjectState(loaded, this.projectOptions);
    } catch (err) {
      // A glob that matches nothing (say): the running project stays in force.
      this.notice({ kind: 'config-error', message: errorMessage(err) });
      return false;
    }
    await this.scheduler.cancelAll();
    const old = this.state.env.runner;
    await old.close();
    if (this.closed) {
      await next.env.runner.close();
      return true;
    }
    this.state = next;
    this.scheduler.forgetKeys();
    this.deps.clear();
    this.selfWrites.clear();
    await Promise.all([...next.bugs.values()].map((bug) => this.inputKey(bug)));
    this.goldenFiles = await goldenCandidates(next);
    const oldWatcher = this.fileWatcher;
    // Start the new watcher before closing the old one, so no save falls in between.
    this.fileWatcher = await this.watchFiles();
    await oldWatcher?.close();
    this.notice({ kind: 'config-reloaded', ...(next.config.file ? { file: next.config.file } : {}), bugs: next.bugs.size, changed, rebuilt: true });
    for (const bug of next.bugs.values()) void this.scheduler.request({ bug, trigger: 'config' });
    return true;
  }
}

function engineKey(engine: EngineSetup): string {
  return 'judge' in engine ? `judge:${engine.judge.location.id}` : `none:${engine.none}`;
}

function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

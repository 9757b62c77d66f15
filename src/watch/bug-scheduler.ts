import { internalFailure, type BugOutcome } from '../compile/bug-outcome.js';
import type { BugRef } from '../discover/bug-ref.js';

export type RunTrigger = 'initial' | 'change' | 'config';

export interface RunRequest {
  bug: BugRef;
  trigger: RunTrigger;
  /** performance.now() of the first file event behind this request. */
  detectedAt?: number;
  /** The changed files behind this request. */
  files?: readonly string[];
  /** Build even if the inputs are unchanged (e.g. the JSON was deleted). */
  force?: boolean;
  /**
   * A second look shortly after a change: build only if the inputs differ from what the last
   * (or the running) build started from, even if that build failed.
   */
  recheck?: boolean;
}

export interface SchedulerHooks {
  /** A cheap fingerprint of the bug's inputs as they are on disk now (no Python). */
  inputKey(bug: BugRef): Promise<string>;
  build(bug: BugRef, signal: AbortSignal): Promise<BugOutcome>;
  /** A run that completed without being cancelled; cancelled runs are never reported. */
  finished(request: RunRequest, outcome: BugOutcome): void;
}

interface Running {
  request: RunRequest;
  controller: AbortController;
  /** The input key the run started from ('' until known). */
  key: string;
  /** A newer request that arrived meanwhile: it runs once this one has stopped. */
  rerun?: RunRequest;
  done: Promise<void>;
}

/**
 * Runs bug builds with bounded concurrency, at most one run per bug at a time. A request for
 * a bug that is being built cancels that run (its AbortSignal reaches the generators) and
 * starts again when it has stopped, so a stale run can never finish after a fresh one.
 * State is one entry per bug; nothing about past runs is kept beyond the last input key.
 */
export class BugScheduler {
  private readonly pending = new Map<string, RunRequest>();
  private readonly running = new Map<string, Running>();
  /** By patch file: the input key of the bug's last reported outcome, and whether it succeeded. */
  private readonly lastKeys = new Map<string, { key: string; ok: boolean }>();
  private idleWaiters: (() => void)[] = [];
  private closed = false;

  constructor(
    private readonly concurrency: number,
    private readonly hooks: SchedulerHooks,
  ) {}

  /**
   * Asks for a build. A `change` whose inputs are byte-identical to the last successful
   * result (an editor's extra event, a touch) is dropped; a failed bug is retried on any save.
   */
  async request(request: RunRequest): Promise<void> {
    if (this.closed) return;
    const id = request.bug.patchFile;
    let key: string | undefined;
    if (request.trigger === 'change') {
      key = await this.hooks.inputKey(request.bug).catch(() => undefined);
      if (this.closed) return;
    }
    const running = this.running.get(id);
    if (request.recheck && (this.pending.has(id) || running?.rerun)) return;
    if (running) {
      if (key !== undefined && !request.force && key === running.key && !running.rerun) return;
      running.rerun = request;
      running.controller.abort();
      return;
    }
    const last = this.lastKeys.get(id);
    if (key !== undefined && !request.force && !this.pending.has(id) && last?.key === key && (last.ok || request.recheck)) return;
    this.pending.set(id, request);
    this.pump();
  }

  /** Stops a bug's work (its patch is gone): drops what is queued, cancels what runs. `id` is the patch file. */
  async cancel(id: string): Promise<void> {
    this.pending.delete(id);
    this.lastKeys.delete(id);
    const running = this.running.get(id);
    if (!running) return;
    delete running.rerun;
    running.controller.abort();
    await running.done;
  }

  /** Cancels everything queued or running and waits until it has stopped; stays usable. */
  async cancelAll(): Promise<void> {
    this.pending.clear();
    const runs = [...this.running.values()];
    for (const run of runs) {
      delete run.rerun;
      run.controller.abort();
    }
    await Promise.all(runs.map((r) => r.done));
  }

  /** Forget every input key (after a config change, the same inputs may build differently). */
  forgetKeys(): void {
    this.lastKeys.clear();
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.cancelAll();
    this.notifyIdle();
  }

  get busy(): boolean {
    return this.pending.size > 0 || this.running.size > 0;
  }

  /** Resolves once nothing is queued or running. */
  idle(): Promise<void> {
    if (!this.busy || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private pump(): void {
    if (this.closed) return;
    for (const [id, request] of this.pending) {
      if (this.running.size >= this.concurrency) break;
      if (this.running.has(id)) continue;
      this.pending.delete(id);
      this.start(request);
    }
  }

  private start(request: RunRequest): void {
    const id = request.bug.patchFile;
    const controller = new AbortController();
    const run: Running = { request, controller, key: '', done: Promise.resolve() };
    this.running.set(id, run);
    run.done = (async () => {
      let outcome: BugOutcome | undefined;
      const started = performance.now();
      try {
        run.key = await this.hooks.inputKey(request.bug);
        if (!controller.signal.aborted) outcome = await this.hooks.build(request.bug, controller.signal);
      } catch (err) {
        if (!controller.signal.aborted) outcome = internalFailure(request.bug, err, performance.now() - started);
      }
      this.running.delete(id);
      if (outcome && !controller.signal.aborted) {
        this.lastKeys.set(id, { key: run.key, ok: outcome.status !== 'failed' });
        try {
          this.hooks.finished(request, outcome);
        } catch {
          // A reporting callback must not stop the daemon.
        }
      }
      if (run.rerun && !this.closed) this.pending.set(id, run.rerun);
      this.pump();
      this.notifyIdle();
    })();
  }

  private notifyIdle(): void {
    if (this.busy && !this.closed) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const resolve of waiters) resolve();
  }
}

import { CPythonWorker, WorkerDiedError, type CallOptions, type WorkerFiles, type WorkerGreeting } from './cpython-worker.js';
import { PythonUnavailableError, PythonWorkerError } from './python-errors.js';

const MIN_RESTART_BACKOFF_MS = 1_000;
const MAX_RESTART_BACKOFF_MS = 60_000;

/**
 * Calls into one CPython worker at a time. When the worker dies, the next call starts a new one
 * and the calls it had not answered are sent again; the call it was serving when it died is
 * retried once, and fails with PythonWorkerError if the worker dies on it again (whatever it
 * is, it takes Python down: that bug fails, the others go on). A call past its deadline kills
 * the worker and fails at once. A worker that cannot be restarted fails the calls of the next
 * moments; later calls try again, less often the more it fails.
 */
export class CPythonBackend {
  private worker: CPythonWorker;
  private starting: Promise<CPythonWorker> | undefined;
  /** The last restart failed: calls fail with its error until `retryAt`, then one tries again. */
  private failedRestart: { error: PythonWorkerError; retryAt: number; backoffMs: number } | undefined;
  private closed = false;
  /** Workers started after the first (for diagnostics and tests). */
  restarts = 0;

  private constructor(
    private readonly executable: string,
    private readonly files: WorkerFiles,
    first: CPythonWorker,
    readonly greeting: WorkerGreeting,
  ) {
    this.worker = first;
  }

  /** Starts the first worker; rejects with PythonUnavailableError when this Python cannot serve. */
  static async start(executable: string, files: WorkerFiles): Promise<CPythonBackend> {
    const worker = new CPythonWorker(executable, files);
    const greeting = await worker.greeting;
    return new CPythonBackend(executable, files, worker, greeting);
  }

  get pid(): number | undefined {
    return this.worker.pid;
  }

  /** The peak RSS of the last worker, known once it has ended. */
  get peakRssKb(): number | undefined {
    return this.worker.peakRssKb;
  }

  async call(fn: string, args: readonly unknown[], options: CallOptions = {}): Promise<string> {
    let diedServing = 0;
    for (;;) {
      const worker = await this.liveWorker();
      try {
        return await worker.call(fn, args, options);
      } catch (err) {
        if (!(err instanceof WorkerDiedError)) throw err;
        if (this.closed) throw new PythonWorkerError(`${err.message}: bug-author is shutting down`);
        if (err.timedOutMs !== undefined) {
          throw new PythonWorkerError(`${fn} did not finish within ${err.timedOutMs / 1000} s, so the Python worker (${this.executable}) was killed: this bug cannot be processed`);
        }
        if (err.serving && ++diedServing > 1) {
          throw new PythonWorkerError(`${err.message} while running ${fn}, for the second time (it was restarted once): this bug cannot be processed`);
        }
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.starting?.catch(() => undefined);
    await this.worker.close();
  }

  private liveWorker(): Promise<CPythonWorker> {
    if (this.failedRestart && Date.now() < this.failedRestart.retryAt) return Promise.reject(this.failedRestart.error);
    if (this.closed) return Promise.reject(new PythonWorkerError('the Python worker was closed'));
    if (this.worker.alive) return Promise.resolve(this.worker);
    this.starting ??= this.restart().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async restart(): Promise<CPythonWorker> {
    // The interpreter itself (sys.executable), not a launcher such as a pyenv shim: faster to start.
    const next = new CPythonWorker(this.greeting.executable || this.executable, this.files);
    this.restarts++;
    try {
      await next.greeting;
    } catch (err) {
      const reason = err instanceof PythonUnavailableError ? err.reason : String(err);
      const backoffMs = Math.min(MAX_RESTART_BACKOFF_MS, (this.failedRestart?.backoffMs ?? MIN_RESTART_BACKOFF_MS / 2) * 2);
      const error = new PythonWorkerError(`the Python worker died and could not be restarted: ${this.executable}: ${reason}`);
      this.failedRestart = { error, retryAt: Date.now() + backoffMs, backoffMs };
      throw error;
    }
    this.failedRestart = undefined;
    this.worker = next;
    return next;
  }
}

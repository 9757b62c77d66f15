import { spawn, type ChildProcess } from 'node:child_process';
import { PythonCallError, PythonUnavailableError } from './python-errors.js';
import { encodeRequest, FRAME_STATUS, ResponseFrameReader, type ResponseFrame } from './worker-frames.js';

export interface WorkerGreeting {
  version: string;
  executable: string;
}

/**
 * A call the worker did not answer because it died; `serving` is true for the call it was working
 * on, `timedOutMs` is set when it was killed because that call ran past its deadline.
 */
export class WorkerDiedError extends Error {
  constructor(
    message: string,
    readonly serving: boolean,
    readonly timedOutMs?: number,
  ) {
    super(message);
    this.name = 'WorkerDiedError';
  }
}

export interface WorkerFiles {
  /** worker.py */
  worker: string;
  /** bridge.py, which the worker runs */
  bridge: string;
}

const GREETING_TIMEOUT_MS = 15_000;
/** The worker leads a process group of its own (not on Windows, where `detached` means a console of its own). */
const OWN_GROUP = process.platform !== 'win32';
const CLOSE_TIMEOUT_MS = 2_000;
/** After the process exited, how long its stdout and stderr may stay open (held by a process it started). */
const STREAMS_AFTER_EXIT_MS = 500;
const STDERR_TAIL = 4_000;

interface PendingCall {
  fn: string;
  /** How long the worker may serve it before it is killed. */
  deadlineMs: number | undefined;
  resolve: (text: string) => void;
  reject: (err: Error) => void;
}

export interface CallOptions {
  /** Kill the worker when serving this call takes longer (code that may never return: the curriculum's engine). */
  deadlineMs?: number;
}

/**
 * One CPython process running worker.py. Calls are written as they come and answered in order
 * (the worker serves one at a time). It holds the Node event loop open only while a call is
 * pending, and it ends with this process: its stdin closes, or the exit hook kills it.
 */
export class CPythonWorker {
  /** Resolves once the worker said which Python it is; rejects with PythonUnavailableError. */
  readonly greeting: Promise<WorkerGreeting>;
  /** Peak RSS the worker reported as it ended (after close()). */
  peakRssKb: number | undefined;
  private readonly child: ChildProcess;
  private readonly calls = new Map<number, PendingCall>();
  private readonly frames = new ResponseFrameReader();
  private nextId = 1;
  private greeted = false;
  private endedWith: string | undefined;
  private closing = false;
  private stderrTail = '';
  private settleGreeting!: { resolve: (g: WorkerGreeting) => void; reject: (err: Error) => void };
  /** The deadline of the call being served (the oldest pending one), and the id it was killed for. */
  private deadline: NodeJS.Timeout | undefined;
  private timedOut: { id: number; ms: number } | undefined;
  private readonly ended: Promise<void>;
  private readonly killOnExit = () => this.kill('SIGKILL');

  constructor(
    readonly executable: string,
    files: WorkerFiles,
  ) {
    this.greeting = new Promise((resolve, reject) => (this.settleGreeting = { resolve, reject }));
    this.greeting.catch(() => {}); // observed by whoever starts the worker
    // The user's environment (PYTHONPATH, user site) is kept: the engine judge imports the
    // curriculum's engine as it would run there. -B: no __pycache__ written into their repository.
    // Its own process group (POSIX): killing the worker kills whatever it started too (the `sleep` of a
    // wrapper script that never answers, a process the engine forked), and no terminal Ctrl-C reaches it.
    this.child = spawn(executable, ['-B', files.worker, files.bridge], { stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true, detached: OWN_GROUP });
    process.on('exit', this.killOnExit);
    const timer = setTimeout(() => this.failToStart(`did not answer within ${GREETING_TIMEOUT_MS / 1000} s`, true), GREETING_TIMEOUT_MS);
    timer.unref();
    // Ended once the process exited and its stdout (every frame) and stderr (its last words) were
    // read; not 'close', which waits for every holder of its stdio: a process the engine started
    // may keep stderr open long after the worker died.
    // ('close' alone comes when it never started.)
    const streamEnded = (stream: NodeJS.ReadableStream) => new Promise<void>((resolve) => stream.once('close', resolve));
    const streams = Promise.all([streamEnded(this.child.stdout!), streamEnded(this.child.stderr!)]);
    this.ended = new Promise((resolve) => {
      let done = false;
      const end = (code: number | null, signal: NodeJS.Signals | null) => {
        if (done) return;
        done = true;
        clearTimeout(timer);
        process.removeListener('exit', this.killOnExit);
        this.onEnd(code, signal);
        resolve();
      };
      this.child.once('close', end);
      this.child.once('exit', (code, signal) => {
        const grace = setTimeout(() => end(code, signal), STREAMS_AFTER_EXIT_MS);
        void streams.then(() => {
          clearTimeout(grace);
          end(code, signal);
        });
      });
    });
    this.child.on('error', (err: NodeJS.ErrnoException) => {
      // Spawning failed (no such file, not executable); 'close' follows.
      this.failToStart(err.code === 'ENOENT' ? 'not found' : err.code === 'EACCES' ? 'not executable' : err.message, false);
    });
    this.child.stdin!.on('error', () => {}); // EPIPE when it died: 'close' reports it
    this.child.stdout!.on('data', (chunk: Buffer) => {
      for (const frame of this.frames.push(chunk)) this.onFrame(frame);
    });
    this.child.stderr!.setEncoding('utf8');
    this.child.stderr!.on('data', (text: string) => {
      this.stderrTail = (this.stderrTail + text).slice(-STDERR_TAIL);
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** False once the process has ended (or is being closed). */
  get alive(): boolean {
    return this.endedWith === undefined && !this.closing;
  }

  /** Calls a bridge function; rejects with PythonCallError when it raised, WorkerDiedError when the worker died. */
  call(fn: string, args: readonly unknown[], options: CallOptions = {}): Promise<string> {
    if (!this.alive) return Promise.reject(new WorkerDiedError(`the Python worker ${this.endedWith ?? 'is closing'}`, false));
    const id = this.nextId++;
    const answer = new Promise<string>((resolve, reject) => this.calls.set(id, { fn, deadlineMs: options.deadlineMs, resolve, reject }));
    this.child.stdin!.write(encodeRequest(id, fn, args));
    this.holdEventLoop(true);
    if (this.calls.size === 1) this.armDeadline();
    return answer;
  }

  /** Ends the worker: closes its stdin (it exits at once when idle), then kills it if it lingers. */
  async close(): Promise<void> {
    this.closing = true;
    if (this.endedWith === undefined) {
      this.holdEventLoop(true);
      this.child.stdin!.end();
      const timer = setTimeout(() => this.kill('SIGKILL'), CLOSE_TIMEOUT_MS);
      await this.ended;
      clearTimeout(timer);
    }
  }

  /** Kills the process and everything it started, at once (a call past its deadline, a worker that never greets, tests). */
  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    const pid = this.child.pid;
    if (OWN_GROUP && pid !== undefined) {
      try {
        process.kill(-pid, signal);
        return;
      } catch {
        // The group is gone already: the process itself may still be there.
      }
    }
    this.child.kill(signal);
  }

  private onFrame(frame: ResponseFrame): void {
    if (frame.id === 0) return this.onControlFrame(frame);
    const call = this.calls.get(frame.id);
    if (!call) return;
    this.calls.delete(frame.id);
    this.armDeadline();
    if (this.calls.size === 0) this.holdEventLoop(false);
    if (frame.status === FRAME_STATUS.result) call.resolve(frame.text);
    else call.reject(new PythonCallError(call.fn, frame.text));
  }

  /** Id 0: the greeting at start-up, or the peak RSS report as the worker ends. */
  private onControlFrame(frame: ResponseFrame): void {
    const message = JSON.parse(frame.text) as { version?: string; executable?: string; reason?: string; maxRssKb?: number | null };
    if (this.greeted) {
      this.peakRssKb = message.maxRssKb ?? undefined;
      return;
    }
    this.greeted = true;
    if (frame.status === FRAME_STATUS.result) {
      if (this.calls.size === 0) this.holdEventLoop(false);
      this.settleGreeting.resolve({ version: message.version ?? '?', executable: message.executable || this.executable });
    } else {
      this.settleGreeting.reject(new PythonUnavailableError(this.executable, message.reason ?? 'cannot serve'));
      this.kill('SIGKILL');
    }
  }

  /** The worker serves calls in order: the oldest pending one is being served, on its own clock. */
  private armDeadline(): void {
    clearTimeout(this.deadline);
    this.deadline = undefined;
    const [served] = this.calls;
    if (!served || served[1].deadlineMs === undefined || this.timedOut) return;
    const [id, { deadlineMs }] = served;
    this.deadline = setTimeout(() => {
      this.timedOut = { id, ms: deadlineMs };
      this.kill();
    }, deadlineMs);
    this.deadline.unref();
  }

  private failToStart(reason: string, kill: boolean): void {
    if (this.greeted) return;
    this.greeted = true;
    this.settleGreeting.reject(new PythonUnavailableError(this.executable, reason));
    if (kill) this.kill('SIGKILL');
  }

  private onEnd(code: number | null, signal: NodeJS.Signals | null): void {
    const how = signal ? `was killed by ${signal}` : `exited with code ${code}`;
    const said = this.lastStderrLine();
    this.endedWith = `${how}${said ? ` (${said})` : ''}`;
    this.failToStart(`exited before answering: it ${this.endedWith}`, false);
    clearTimeout(this.deadline);
    let serving = true;
    for (const [id, call] of this.calls) {
      const timedOutMs = this.timedOut?.id === id ? this.timedOut.ms : undefined;
      call.reject(new WorkerDiedError(`the Python worker (${this.executable}, pid ${this.pid}) ${this.endedWith}`, serving, timedOutMs));
      serving = false;
    }
    this.calls.clear();
    this.holdEventLoop(false);
  }

  private lastStderrLine(): string {
    return this.stderrTail.split('\n').map((l) => l.trim()).filter(Boolean).pop() ?? '';
  }

  /** While nothing is pending, the worker must not keep bug-author running. */
  private holdEventLoop(hold: boolean): void {
    for (const handle of [this.child, this.child.stdin, this.child.stdout, this.child.stderr] as { ref?(): void; unref?(): void }[]) {
      if (hold) handle?.ref?.();
      else handle?.unref?.();
    }
  }
}

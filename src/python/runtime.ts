import { packageFile } from '../package-root.js';
import { CPythonBackend } from './cpython-backend.js';
import type { CallOptions } from './cpython-worker.js';
import { PyodideBackend } from './pyodide-backend.js';
import { PythonUnavailableError } from './python-errors.js';
import { interpreterFor, pythonChoiceOf, type PythonChoice } from './python-choice.js';

/** The Python functions bridge.py defines, as seen from TypeScript (all return JSON text). */
export interface PythonBridge {
  parseSource(source: string, dedent: boolean): Promise<string>;
  parseExpressions(sourcesJson: string): Promise<string>;
  unparseTree(treeJson: string): Promise<string>;
  parseMany(sourcesJson: string): Promise<string>;
  unparseMany(treesJson: string): Promise<string>;
  /**
   * Prints trees and parses them back; positions only, when the shape did not change (see bridge.py).
   * With `baseSource` (else ''), a module statement `{"$base": i}` is statement i of that source's parse.
   */
  reparseMany(treesJson: string, baseSource: string): Promise<string>;
  /**
   * The curriculum's own engine injecting a definition (CPython only): see engine-judge.ts. Past
   * `timeoutSeconds` it answers `timedOut`; an engine that does not even stop then is killed with its worker.
   */
  engineInject(engineRoot: string, engineId: string, definitionJson: string, source: string, timeoutSeconds: number): Promise<string>;
}

/** Each bridge method's Python function: adding one to bridge.py is one line here and one in PythonBridge. */
const BRIDGE_FUNCTIONS: { readonly [K in keyof PythonBridge]: string } = {
  parseSource: 'parse_source',
  parseExpressions: 'parse_expressions',
  unparseTree: 'unparse_tree',
  parseMany: 'parse_many',
  unparseMany: 'unparse_many',
  reparseMany: 'reparse_many',
  engineInject: 'engine_inject',
};

type CallByName = (fn: string, args: readonly unknown[], options: CallOptions) => Promise<string>;

/** How long after its own timeout the engine's worker is killed (an engine that catches the timeout, or loops in C). */
const ENGINE_KILL_AFTER_MS = 5_000;

/** Only the engine runs code that may never return: its calls have a deadline (timeoutSeconds, the last argument). */
function callOptions(method: string, args: readonly unknown[]): CallOptions {
  return method === 'engineInject' && typeof args[4] === 'number' ? { deadlineMs: args[4] * 1000 + ENGINE_KILL_AFTER_MS } : {};
}

function bridgeOver(call: CallByName): PythonBridge {
  const entries = Object.entries(BRIDGE_FUNCTIONS).map(([method, fn]) => [method, (...args: unknown[]) => call(fn, args, callOptions(method, args))]);
  return Object.fromEntries(entries) as PythonBridge;
}

/** Which Python served the bridge. */
export interface PythonBackendInfo {
  kind: 'cpython' | 'pyodide';
  /** Python's own version, e.g. 3.11.7. */
  version: string;
  /** The CPython interpreter, and its worker's pid right now. */
  executable?: string;
  pid?: number;
  /** Workers started after the first one died. */
  restarts?: number;
  /** The worker's peak RSS, reported as it ended (after close()). */
  workerPeakRssMb?: number;
  pyodideVersion?: string;
  /** Why CPython was not used although the choice allowed it (none on PATH, too old, broken). */
  fallbackReason?: string;
  /** The interpreter that could not serve (now or when last started). */
  unservedBy?: string;
  choice: PythonChoice;
}

export interface PythonRuntime {
  /** Starts Python on first use (the CPython worker, or pyodide); later calls share it. */
  bridge(): Promise<PythonBridge>;
  /** True once Python has been started (used by benchmarks and `check` to prove laziness). */
  readonly loaded: boolean;
  /** Which Python serves the bridge; undefined until loaded. */
  readonly backend: PythonBackendInfo | undefined;
  /** What was asked for (config, BUG_AUTHOR_PYTHON or the default). */
  readonly choice: PythonChoice;
  /** Ends the CPython worker (no-op for pyodide, or when never loaded). */
  close(): Promise<void>;
}

/** The same runtime with another way to reach its bridge (to observe calls); everything else is forwarded. */
export function withBridge(runtime: PythonRuntime, bridge: () => Promise<PythonBridge>): PythonRuntime {
  return {
    choice: runtime.choice,
    get loaded() {
      return runtime.loaded;
    },
    get backend() {
      return runtime.backend;
    },
    bridge,
    close: () => runtime.close(),
  };
}

export const BRIDGE_FILE = packageFile('src', 'python', 'bridge.py');
const WORKER_FILES = { worker: packageFile('src', 'python', 'worker.py'), bridge: BRIDGE_FILE };

/**
 * Interpreters that could not serve when last started, remembered across runs (see
 * verify/unserved-interpreters.ts, which keeps them in the project's cache).
 */
export interface UnservedInterpreters {
  /** Why this interpreter could not serve last time, if its file has not changed since. */
  reason(executable: string): Promise<string | undefined>;
  record(executable: string, reason: string): Promise<void>;
}

export interface RuntimeOptions {
  /** Loads pyodide (shared by the runtimes of one process: it is loaded at most once). */
  loadPyodide?: () => Promise<PyodideBackend>;
  /** Interpreters that could not serve when last started: not started again until they change. */
  unserved?: UnservedInterpreters;
}

/** A lazily started Python for `choice`, falling back to pyodide when the interpreter cannot serve. */
export function createPythonRuntime(choice: PythonChoice = { setting: 'auto', from: 'default', baseDir: process.cwd() }, options: RuntimeOptions = {}): PythonRuntime {
  const loadPyodide = options.loadPyodide ?? (() => PyodideBackend.load(BRIDGE_FILE));
  let pending: Promise<PythonBridge> | undefined;
  let cpython: CPythonBackend | undefined;
  let pyodide: PyodideBackend | undefined;
  let fallbackReason: string | undefined;
  let unservedBy: string | undefined;

  const start = async (): Promise<PythonBridge> => {
    const interpreter = interpreterFor(choice);
    const lastTime = interpreter && 'executable' in interpreter ? await options.unserved?.reason(interpreter.executable) : undefined;
    if (interpreter && 'executable' in interpreter && lastTime) {
      fallbackReason = `${interpreter.executable}: ${lastTime} (when last started; tried again once it changes)`;
      unservedBy = interpreter.executable;
    } else if (interpreter && 'executable' in interpreter) {
      try {
        const backend = await CPythonBackend.start(interpreter.executable, WORKER_FILES);
        cpython = backend;
        return bridgeOver((fn, args, options) => backend.call(fn, args, options));
      } catch (err) {
        if (!(err instanceof PythonUnavailableError)) throw err;
        fallbackReason = err.message;
        unservedBy = interpreter.executable;
        await options.unserved?.record(interpreter.executable, err.reason);
      }
    } else if (interpreter) {
      fallbackReason = interpreter.unavailable;
    }
    const backend = await loadPyodide();
    pyodide = backend;
    return bridgeOver((fn, args) => backend.call(fn, args));
  };

  return {
    choice,
    get loaded() {
      return cpython !== undefined || pyodide !== undefined;
    },
    get backend(): PythonBackendInfo | undefined {
      if (cpython) {
        const peak = cpython.peakRssKb;
        return {
          kind: 'cpython',
          version: cpython.greeting.version,
          executable: cpython.greeting.executable,
          ...(cpython.pid !== undefined ? { pid: cpython.pid } : {}),
          restarts: cpython.restarts,
          ...(peak !== undefined ? { workerPeakRssMb: Math.round(peak / 1024) } : {}),
          choice,
        };
      }
      if (pyodide) {
        return { kind: 'pyodide', version: pyodide.pythonVersion, pyodideVersion: pyodide.pyodideVersion, ...(fallbackReason ? { fallbackReason } : {}), ...(unservedBy ? { unservedBy } : {}), choice };
      }
      return undefined;
    },
    bridge() {
      pending ??= start();
      return pending;
    },
    async close() {
      await pending?.catch(() => undefined);
      await cpython?.close();
    },
  };
}

/** The runtimes of one process, one per choice (normally just one), so they can be reported and closed together. */
export interface PythonRuntimes {
  /** The runtime of this choice; `unserved` is used by the one created here (the first call for the choice). */
  runtimeFor(choice: PythonChoice, options?: { unserved?: UnservedInterpreters }): PythonRuntime;
  /** The back-ends that were started, for the trace line. */
  loaded(): PythonBackendInfo[];
  close(): Promise<void>;
}

export function createPythonRuntimes(): PythonRuntimes {
  const runtimes = new Map<string, PythonRuntime>();
  let pyodide: Promise<PyodideBackend> | undefined;
  const loadPyodide = () => (pyodide ??= PyodideBackend.load(BRIDGE_FILE));
  return {
    runtimeFor(choice, options = {}) {
      const key = `${choice.setting}\0${/[\\/]/.test(choice.setting) ? choice.baseDir : ''}`;
      let runtime = runtimes.get(key);
      if (!runtime) {
        runtime = createPythonRuntime(choice, { loadPyodide, ...options });
        runtimes.set(key, runtime);
      }
      return runtime;
    },
    loaded() {
      return [...runtimes.values()].flatMap((r) => (r.backend ? [r.backend] : []));
    },
    async close() {
      await Promise.all([...runtimes.values()].map((r) => r.close()));
    },
  };
}

let processRuntimes: PythonRuntimes | undefined;

/** This process's runtimes: Python is started once per process (pyodide costs ~2 s and ~160 MB to load). */
export function sharedPythonRuntimes(): PythonRuntimes {
  processRuntimes ??= createPythonRuntimes();
  return processRuntimes;
}

/** The runtime library calls use when given none: BUG_AUTHOR_PYTHON, else auto. */
export function sharedPythonRuntime(): PythonRuntime {
  return sharedPythonRuntimes().runtimeFor(pythonChoiceOf({ env: process.env, cwd: process.cwd() }));
}

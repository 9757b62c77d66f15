import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PyodideInterface } from 'pyodide';
import { PythonCallError } from './python-errors.js';

type PythonFunction = (...args: unknown[]) => string;

/** CPython compiled to WebAssembly, in this process: ~2 s and ~160 MB to load, needs no Python installed. */
export class PyodideBackend {
  private readonly functions = new Map<string, PythonFunction>();

  private constructor(
    private readonly pyodide: PyodideInterface,
    readonly pyodideVersion: string,
    readonly pythonVersion: string,
  ) {}

  static async load(bridgeFile: string): Promise<PyodideBackend> {
    const require = createRequire(import.meta.url);
    const { loadPyodide, version } = (await import('pyodide')) as { loadPyodide: (o: object) => Promise<PyodideInterface>; version: string };
    const indexURL = path.dirname(require.resolve('pyodide/package.json')) + path.sep;
    const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
    pyodide.runPython(await readFile(bridgeFile, 'utf8'));
    const pythonVersion = String(pyodide.runPython('import sys; ".".join(str(p) for p in sys.version_info[:3])'));
    return new PyodideBackend(pyodide, version, pythonVersion);
  }

  async call(fn: string, args: readonly unknown[]): Promise<string> {
    const python = this.lookUp(fn);
    try {
      return python(...args);
    } catch (err) {
      // A PythonError's message is the whole traceback; its last line is "module.Type: message",
      // and the worker reports "Type: message".
      const lines = (err instanceof Error ? err.message : String(err)).split('\n').filter((l) => l.trim());
      throw new PythonCallError(fn, (lines.at(-1) ?? 'unknown error').replace(/^(?:[A-Za-z_]\w*\.)+(?=[A-Za-z_]\w*(?::|$))/, ''));
    }
  }

  private lookUp(fn: string): PythonFunction {
    let python = this.functions.get(fn);
    if (!python) {
      python = this.pyodide.globals.get(fn) as PythonFunction | undefined;
      if (typeof python !== 'function') throw new PythonCallError(fn, `LookupError: bridge.py has no function '${fn}'`);
      this.functions.set(fn, python);
    }
    return python;
  }
}

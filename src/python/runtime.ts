import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { PyodideInterface } from 'pyodide';
import { packageFile } from '../package-root.js';

/** The Python functions bridge.py defines, as seen from TypeScript (all take and return JSON text). */
export interface PythonBridge {
  parseSource(source: string, dedent: boolean): string;
  parseExpressions(sourcesJson: string): string;
  unparseTree(treeJson: string): string;
  parseMany(sourcesJson: string): string;
  unparseMany(treesJson: string): string;
  reparseMany(treesJson: string): string;
}

export interface PythonRuntime {
  /** Loads pyodide on first use; later calls share the same interpreter. */
  bridge(): Promise<PythonBridge>;
  /** True once pyodide has been loaded (used by benchmarks and `check` to prove laziness). */
  readonly loaded: boolean;
}

export function createPythonRuntime(): PythonRuntime {
  let pending: Promise<PythonBridge> | undefined;
  let loaded = false;
  return {
    get loaded() {
      return loaded;
    },
    bridge() {
      pending ??= loadBridge().then((b) => {
        loaded = true;
        return b;
      });
      return pending;
    },
  };
}

async function loadBridge(): Promise<PythonBridge> {
  const require = createRequire(import.meta.url);
  const { loadPyodide } = (await import('pyodide')) as { loadPyodide: (o: object) => Promise<PyodideInterface> };
  const indexURL = path.dirname(require.resolve('pyodide/package.json')) + path.sep;
  const pyodide = await loadPyodide({ indexURL, stdout: () => {}, stderr: () => {} });
  pyodide.runPython(await readFile(packageFile('src', 'python', 'bridge.py'), 'utf8'));
  const fn = (name: string) => pyodide.globals.get(name) as (...args: unknown[]) => string;
  const parse = fn('parse_source');
  const exprs = fn('parse_expressions');
  const unparse = fn('unparse_tree');
  const many = fn('parse_many');
  const unparseMany = fn('unparse_many');
  const reparseMany = fn('reparse_many');
  return {
    parseSource: (source, dedent) => parse(source, dedent),
    parseExpressions: (json) => exprs(json),
    unparseTree: (json) => unparse(json),
    parseMany: (json) => many(json),
    unparseMany: (json) => unparseMany(json),
    reparseMany: (json) => reparseMany(json),
  };
}

let processRuntime: PythonRuntime | undefined;

/** One interpreter per process: pyodide costs ~2 s and ~160 MB to load. */
export function sharedPythonRuntime(): PythonRuntime {
  processRuntime ??= createPythonRuntime();
  return processRuntime;
}

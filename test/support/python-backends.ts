import { after } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { interpreterFor, type PythonChoice } from '../../src/python/python-choice.js';
import { createPythonRuntimes, type PythonRuntime } from '../../src/python/runtime.js';

export interface PythonBackendUnderTest {
  /** `CPython` or `pyodide`, for test names. */
  name: string;
  kind: 'cpython' | 'pyodide';
  python: PythonRuntime;
  /** Why this back-end cannot run here (no python3 on PATH), else false. */
  skip: string | false;
}

/**
 * Both Python back-ends, for suites that must pass on each: the CPython worker (python3 from
 * PATH) and pyodide. Their runtimes are closed when the test file ends.
 */
export function bothPythonBackends(): PythonBackendUnderTest[] {
  const runtimes = createPythonRuntimes();
  after(() => runtimes.close());
  const cpython: PythonChoice = { setting: 'auto', from: 'default', baseDir: packageRoot };
  const python3 = interpreterFor(cpython);
  return [
    { name: 'CPython', kind: 'cpython', python: runtimes.runtimeFor(cpython), skip: python3 && 'executable' in python3 ? false : 'no python3 on PATH' },
    { name: 'pyodide', kind: 'pyodide', python: runtimes.runtimeFor({ setting: 'pyodide', from: 'default', baseDir: packageRoot }), skip: false },
  ];
}

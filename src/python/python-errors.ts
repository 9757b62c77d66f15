/** A bridge function raised instead of returning (the same on both back-ends): "Type: message". */
export class PythonCallError extends Error {
  constructor(readonly fn: string, message: string) {
    super(message);
    this.name = 'PythonCallError';
  }
}

/**
 * The CPython worker died while serving a call (again, after one restart), or could not be
 * restarted: the bug that made the call fails with this, the others go on.
 */
export class PythonWorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PythonWorkerError';
  }
}

/**
 * An interpreter that cannot serve at all (missing, too old, broken, or it never answered): the
 * runtime falls back to pyodide, and remembers it until the interpreter file changes.
 */
export class PythonUnavailableError extends Error {
  constructor(
    readonly executable: string,
    readonly reason: string,
  ) {
    super(`${executable}: ${reason}`);
    this.name = 'PythonUnavailableError';
  }
}

/** Problems are values with a file and a reason; the CLI turns them into messages and exit codes. */

export type InputProblemKind =
  | 'unreadable'
  | 'not-utf8'
  | 'binary'
  | 'empty-patch'
  | 'bad-patch'
  | 'multi-file-patch'
  | 'escapes-root'
  | 'reference-missing'
  | 'does-not-apply'
  | 'python-syntax'
  | 'bad-json';

/** A problem with one bug's inputs: that bug fails, the others go on. */
export class InputError extends Error {
  constructor(
    readonly kind: InputProblemKind,
    readonly file: string,
    readonly reason: string,
    readonly line?: number,
    /** A patch naming a function or class its reference does not define: that name (looked for elsewhere by the inputs). */
    readonly missingScope?: string,
  ) {
    super(`${file}${line ? `:${line}` : ''}: ${reason}`);
    this.name = 'InputError';
  }
}

/** An invalid or unloadable configuration: exit 2. */
export class ConfigError extends Error {
  readonly line?: number;
  readonly column?: number;
  constructor(
    readonly file: string,
    readonly reason: string,
    location: { line?: number; column?: number } = {},
  ) {
    super(`${placeIn(file, location)}: ${reason}`);
    this.name = 'ConfigError';
    if (location.line) this.line = location.line;
    if (location.line && location.column) this.column = location.column;
  }

  /** `file`, or `file:line:column` when the problem has a place. */
  get where(): string {
    return placeIn(this.file, this);
  }
}

function placeIn(file: string, location: { line?: number; column?: number }): string {
  return `${file}${location.line ? `:${location.line}${location.column ? `:${location.column}` : ''}` : ''}`;
}

/** Wrong command-line usage: exit 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

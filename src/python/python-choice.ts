import { accessSync, constants, realpathSync, statSync } from 'node:fs';
import path from 'node:path';

/** The environment variable that overrides the config's `python` setting (same values). */
export const PYTHON_ENV = 'BUG_AUTHOR_PYTHON';

/**
 * Which Python serves the bridge: `auto` (python3 from PATH when it can, else pyodide),
 * `pyodide`, or an interpreter (a path, or a command name looked up on PATH).
 */
export interface PythonChoice {
  setting: string;
  /** Where the setting came from, for messages. */
  from: typeof PYTHON_ENV | 'config' | 'default';
  /** The directory a relative interpreter path is resolved against. */
  baseDir: string;
}

/** The choice for a run: BUG_AUTHOR_PYTHON wins over the config's `python` (relative paths: from cwd, from the project root). */
export function pythonChoiceOf(options: { env: NodeJS.ProcessEnv; cwd: string; configured?: string | undefined; root?: string }): PythonChoice {
  const fromEnv = options.env[PYTHON_ENV]?.trim();
  if (fromEnv) return { setting: fromEnv, from: PYTHON_ENV, baseDir: options.cwd };
  if (options.configured) return { setting: options.configured, from: 'config', baseDir: options.root ?? options.cwd };
  return { setting: 'auto', from: 'default', baseDir: options.cwd };
}

/** Says how the choice was made, e.g. `BUG_AUTHOR_PYTHON=pyodide` or `config python: 'auto'`. */
export function describeChoice(choice: PythonChoice): string {
  if (choice.from === PYTHON_ENV) return `${PYTHON_ENV}=${choice.setting}`;
  if (choice.from === 'config') return `config python: '${choice.setting}'`;
  return 'default: auto';
}

export type Interpreter = { executable: string } | { unavailable: string };

/** The interpreter a choice names (undefined for `pyodide`), found without starting it. */
export function interpreterFor(choice: PythonChoice, searchPath = process.env.PATH ?? ''): Interpreter | undefined {
  if (choice.setting === 'pyodide') return undefined;
  if (choice.setting === 'auto') {
    const found = findOnPath('python3', searchPath);
    return found ? { executable: found } : { unavailable: 'no python3 on PATH' };
  }
  if (/[\\/]/.test(choice.setting)) {
    const file = path.resolve(choice.baseDir, choice.setting);
    return isExecutableFile(file) ? { executable: file } : { unavailable: `${file}: no such executable file` };
  }
  const found = findOnPath(choice.setting, searchPath);
  return found ? { executable: found } : { unavailable: `no ${choice.setting} on PATH` };
}

/**
 * What identifies an interpreter file without starting it (its real path, size and modification
 * time): a fact learnt by starting it holds while this is unchanged. Undefined when it cannot be read.
 */
export function interpreterIdentity(executable: string): string | undefined {
  try {
    const file = realpathSync(executable);
    const stat = statSync(file);
    return `${file}\0${stat.size}\0${stat.mtimeMs}`;
  } catch {
    return undefined;
  }
}

function findOnPath(command: string, searchPath: string): string | undefined {
  const names = process.platform === 'win32' ? [`${command}.exe`, command] : [command];
  for (const dir of searchPath.split(path.delimiter).filter(Boolean)) {
    for (const name of names) {
      const file = path.join(dir, name);
      if (isExecutableFile(file)) return file;
    }
  }
  return undefined;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

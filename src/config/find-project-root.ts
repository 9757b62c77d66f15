import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULTS } from './resolved-config.js';

export const CONFIG_NAMES = ['bug-author.config.ts', 'bug-author.config.mts', 'bug-author.config.mjs', 'bug-author.config.js'];

/** The folders of the default layout, where its bugs globs start and its source roots: a directory holding one of them is a curriculum root. */
const DEFAULT_LAYOUT_DIRS = [...DEFAULTS.bugs.map((glob) => picomatch.scan(glob).base), ...DEFAULTS.sourceRoots].filter((dir) => dir !== '').map((dir) => path.join(...dir.split('/')));

export interface ProjectRoot {
  root: string;
  /** The config file found, when that is what decided the root. */
  configFile?: string;
  /** How the root was chosen. */
  foundBy: 'config-file' | 'default-layout' | 'git-top' | 'working-directory';
}

/**
 * The project a command started in `cwd` belongs to, so that running from a subdirectory
 * (`cd curricula/cs336_a1 && bug-author build`) works on the whole project. Searched from `cwd`
 * upwards, never above the git repository's top: the nearest config file; else the nearest
 * directory holding the default layout (`curricula/` or `modes/developer/`); else the git
 * repository's top; else `cwd` itself (a layout of its own, e.g. library mode — if it holds no
 * patches either, discovery refuses to run). Only the file system is read: no git process.
 */
export function findProjectRoot(cwd: string): ProjectRoot {
  const start = path.resolve(cwd);
  let layout: string | undefined;
  for (let dir = start; ; ) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return { root: dir, configFile: candidate, foundBy: 'config-file' };
    }
    layout ??= DEFAULT_LAYOUT_DIRS.some((sub) => isDirectory(path.join(dir, sub))) ? dir : undefined;
    const gitTop = existsSync(path.join(dir, '.git'));
    const parent = path.dirname(dir);
    if (gitTop || parent === dir) {
      if (layout) return { root: layout, foundBy: 'default-layout' };
      return gitTop ? { root: dir, foundBy: 'git-top' } : { root: start, foundBy: 'working-directory' };
    }
    dir = parent;
  }
}

function isDirectory(file: string): boolean {
  try {
    return statSync(file).isDirectory();
  } catch {
    return false;
  }
}

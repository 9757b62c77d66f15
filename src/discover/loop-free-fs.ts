import * as fs from 'node:fs';
import path from 'node:path';
import type { GlobFileSystem } from './discover-bugs.js';

/**
 * The disk as fast-glob walks it, except that a symbolic link leading back to a directory above
 * it (`loop -> ..`, or around a cycle of links) is not entered: fast-glob follows such links
 * until the path is too long, finding every file dozens of times. fast-glob takes a link it
 * cannot stat for a dangling one and leaves it alone. One per walk (it remembers real paths).
 */
export function loopFreeFs(): GlobFileSystem {
  const realPaths = new Map<string, string>();
  const realPathOf = (p: string): string => {
    let real = realPaths.get(p);
    if (real === undefined) {
      try {
        real = fs.realpathSync.native(p);
      } catch {
        real = '';
      }
      realPaths.set(p, real);
    }
    return real;
  };
  /** A link whose target is the real path of one of its own ancestors: entering it walks the same tree again. */
  const isLoop = (p: string): boolean => {
    try {
      if (!fs.lstatSync(p).isSymbolicLink()) return false;
    } catch {
      return false;
    }
    const target = realPathOf(p);
    if (!target) return false;
    for (let dir = path.dirname(p); ; dir = path.dirname(dir)) {
      if (realPathOf(dir) === target) return true;
      if (path.dirname(dir) === dir) return false;
    }
  };
  const loopError = (p: string) => Object.assign(new Error(`ELOOP: symbolic link loop, stat '${p}'`), { code: 'ELOOP' });
  return {
    lstat: fs.lstat,
    lstatSync: fs.lstatSync,
    readdir: fs.readdir,
    readdirSync: fs.readdirSync,
    stat: ((p: string, ...rest: unknown[]) => {
      const callback = rest[rest.length - 1] as (err: Error | null, stats?: fs.Stats) => void;
      if (isLoop(p)) return void process.nextTick(() => callback(loopError(p)));
      return (fs.stat as (...args: unknown[]) => void)(p, ...rest);
    }) as typeof fs.stat,
    statSync: ((p: string, ...rest: unknown[]) => {
      if (isLoop(p)) throw loopError(p);
      return (fs.statSync as (...args: unknown[]) => unknown)(p, ...rest);
    }) as typeof fs.statSync,
  } as GlobFileSystem;
}

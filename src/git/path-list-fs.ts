import path from 'node:path';
import type { Options } from 'fast-glob';

type GlobFs = NonNullable<Options['fs']>;
type Callback<T> = (error: NodeJS.ErrnoException | null, value: T) => void;

/** Enough of fs.Dirent and fs.Stats for fast-glob. */
interface Entry {
  name: string;
  isFile(): boolean;
  isDirectory(): boolean;
  isSymbolicLink(): boolean;
  isBlockDevice(): boolean;
  isCharacterDevice(): boolean;
  isFIFO(): boolean;
  isSocket(): boolean;
}

/**
 * A read-only file system holding exactly the given absolute file paths (and their directories),
 * for fast-glob's `fs` option: globbing the git index with the same semantics as the disk.
 */
export function pathListFs(files: Iterable<string>): GlobFs {
  const children = new Map<string, Map<string, boolean>>();
  for (const file of files) {
    let child = path.resolve(file);
    let isFile = true;
    for (let dir = path.dirname(child); ; dir = path.dirname(dir)) {
      let names = children.get(dir);
      const existed = names !== undefined;
      if (!names) children.set(dir, (names = new Map()));
      names.set(path.basename(child), isFile);
      if (existed || dir === path.dirname(dir)) break;
      child = dir;
      isFile = false;
    }
  }
  const no = () => false;
  const entry = (name: string, isFile: boolean): Entry => ({
    name,
    isFile: () => isFile,
    isDirectory: () => !isFile,
    isSymbolicLink: no,
    isBlockDevice: no,
    isCharacterDevice: no,
    isFIFO: no,
    isSocket: no,
  });
  const notFound = (file: string) => Object.assign(new Error(`ENOENT: no such file or directory, '${file}'`), { code: 'ENOENT' }) as NodeJS.ErrnoException;
  const statOf = (file: string): Entry => {
    const resolved = path.resolve(file);
    if (children.has(resolved)) return entry(path.basename(resolved), false);
    const isFile = children.get(path.dirname(resolved))?.get(path.basename(resolved));
    if (isFile === undefined) throw notFound(file);
    return entry(path.basename(resolved), isFile);
  };
  const list = (dir: string): Entry[] => {
    const names = children.get(path.resolve(dir));
    if (!names) throw notFound(dir);
    return [...names].map(([name, isFile]) => entry(name, isFile));
  };
  const callback = <T>(work: () => T, done: Callback<T>) => {
    let value: T;
    try {
      value = work();
    } catch (err) {
      process.nextTick(done, err as NodeJS.ErrnoException, undefined);
      return;
    }
    process.nextTick(done, null, value);
  };
  const readdir = (dir: string, options: unknown, done?: Callback<unknown>) => {
    const withTypes = typeof options === 'object' && options !== null && (options as { withFileTypes?: boolean }).withFileTypes;
    const cb = (done ?? options) as Callback<unknown>;
    callback(() => (withTypes ? list(dir) : list(dir).map((e) => e.name)), cb);
  };
  const readdirSync = (dir: string, options?: { withFileTypes?: boolean }) => (options?.withFileTypes ? list(dir) : list(dir).map((e) => e.name));
  return {
    lstat: (file: string, done: Callback<Entry>) => callback(() => statOf(file), done),
    stat: (file: string, done: Callback<Entry>) => callback(() => statOf(file), done),
    lstatSync: (file: string) => statOf(file),
    statSync: (file: string) => statOf(file),
    readdir,
    readdirSync,
  } as unknown as GlobFs;
}

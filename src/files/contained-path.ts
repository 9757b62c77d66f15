// The one rule for every path bug-author reads or writes: once every symbolic link on its way
// is followed, it must still be inside its boundary (the project root; for `try`, the argument
// named). A path that leads out is refused, naming the link that leads out; a link loop is named
// as such. Checked before anything is read, so nothing outside is ever read (a symptom linked to
// a secrets file never reaches an LLM prompt) and nothing is written outside.
import { lstatSync, realpathSync } from 'node:fs';
import path from 'node:path';
import { InputError } from '../errors.js';

export type Containment =
  | { inside: true }
  /** `link`: the path (as reached from the boundary) of the first symbolic link leading out, or looping. */
  | { inside: false; link: string; target?: string; loop?: boolean; lexical?: boolean };

/** Whether `file` is `dir` or below it (both absolute, normalised). */
export function isWithin(dir: string, file: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith(`..${path.sep}`) && relative !== '..' && !path.isAbsolute(relative));
}

/**
 * The real path of `file`, or of its deepest existing ancestor joined with the rest (a file not
 * written yet). With `realDirs` (one run's memo of real paths), its folder is resolved once for all
 * its files, and a file shared by many bugs (their reference) once.
 */
function realPathOf(file: string, realDirs?: Map<string, string>): string | { loop: true } {
  if (!realDirs) return resolveReal(file);
  const known = realDirs.get(file);
  if (known !== undefined) return known;
  const dir = path.dirname(file);
  let realDir = realDirs.get(dir);
  if (realDir === undefined) {
    const found = resolveReal(dir);
    if (typeof found !== 'string') return found;
    realDirs.set(dir, (realDir = found));
  }
  let real: string | { loop: true } = path.join(realDir, path.basename(file));
  try {
    if (lstatSync(file).isSymbolicLink()) real = resolveReal(file);
  } catch {
    // Not there (yet): its folder says where it would be.
  }
  if (typeof real === 'string') realDirs.set(file, real);
  return real;
}

function resolveReal(file: string): string | { loop: true } {
  let existing = file;
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(realpathSync.native(existing), ...rest);
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'ELOOP') return { loop: true };
      const parent = path.dirname(existing);
      if (parent === existing) return file;
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}

/**
 * Where `file` leads against `boundary` (a directory; both absolute). Fast when it is inside
 * (one realpath); otherwise it walks the path from the boundary to name the first link that
 * leads out, or loops.
 */
export function containment(file: string, boundary: string, realDirs?: Map<string, string>): Containment {
  if (!isWithin(boundary, file)) return { inside: false, link: file, lexical: true };
  const realBoundary = realDirs?.get(boundary) ?? resolveReal(boundary);
  if (typeof realBoundary !== 'string') return { inside: false, link: boundary, loop: true };
  realDirs?.set(boundary, realBoundary);
  const real = realPathOf(file, realDirs);
  if (typeof real === 'string' && isWithin(realBoundary, real)) return { inside: true };
  let current = realBoundary;
  let shown = boundary;
  for (const part of path.relative(boundary, file).split(path.sep)) {
    shown = path.join(shown, part);
    const next = path.join(current, part);
    let isLink: boolean;
    try {
      isLink = lstatSync(next).isSymbolicLink();
    } catch {
      break;
    }
    if (!isLink) {
      current = next;
      continue;
    }
    let target: string;
    try {
      target = realpathSync.native(next);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ELOOP') return { inside: false, link: shown, loop: true };
      break; // a dangling link: nothing is read through it
    }
    if (!isWithin(realBoundary, target)) return { inside: false, link: shown, target };
    current = target;
  }
  return typeof real === 'string' ? { inside: false, link: file, target: real } : { inside: false, link: file, loop: true };
}

/** Why a path is refused, in words naming the link (paths shown relative to the boundary's `label` base). */
export function describeEscape(escape: Exclude<Containment, { inside: true }>, file: string, options: { base: string; what: string; boundaryName: string }): string {
  const shown = (p: string) => path.relative(options.base, p).split(path.sep).join('/') || '.';
  if (escape.lexical) return `the ${options.what} ${file} is outside ${options.boundaryName}`;
  if (escape.loop) return `the ${options.what} ${shown(file)} cannot be read: ${shown(escape.link)} is a symbolic link loop`;
  return `the ${options.what} ${shown(file)} is refused: ${shown(escape.link)} is a symbolic link to ${escape.target}, outside ${options.boundaryName}; copy it into the project instead`;
}

/** Throws an InputError naming the link when `file` leads outside the project root. */
export function assertInsideRoot(file: string, config: { root: string }, what: string, blame: string = file, realDirs?: Map<string, string>): void {
  const found = containment(file, config.root, realDirs);
  if (found.inside) return;
  throw new InputError('escapes-root', blame, describeEscape(found, file, { base: config.root, what, boundaryName: 'the project root' }));
}

/**
 * A bug's own paths (its patch, and where its JSON goes) checked before anything of it is read
 * or written. Snapshots without links (the git index stores a link as a link) need no check.
 */
export function assertBugPathsInside(bug: { patchFile: string; outputFile: string }, config: { root: string }, files: { realPath?: unknown; realDirs?: Map<string, string> }): void {
  if (!files.realPath) return;
  assertInsideRoot(bug.patchFile, config, 'patch', bug.patchFile, files.realDirs);
  assertInsideRoot(bug.outputFile, config, 'output', bug.outputFile, files.realDirs);
}

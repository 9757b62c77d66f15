import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { ProjectFiles } from '../inputs/project-files.js';

export type ReferenceResolution = { found: true; file: string } | { found: false; tried: string[] };

/**
 * Where the patch's target file is: library mode's `solution.py` above `bugs/`, else the header
 * path against each source root, the project root and the problem directory.
 * A header path may never lead outside the project root.
 */
export async function resolveReference(bug: BugRef, targetPath: string, config: ResolvedConfig, files: ProjectFiles): Promise<ReferenceResolution> {
  if (path.isAbsolute(targetPath) || path.win32.isAbsolute(targetPath)) {
    throw new InputError('escapes-root', bug.patchFile, `the patch targets an absolute path (${targetPath}); paths must be relative to a source root`);
  }
  const library = path.join(bug.moduleDir, config.libraryReference);
  const libraryExists = config.library !== false && (await files.isFile(library));
  if (config.library === true) return libraryExists ? { found: true, file: library } : { found: false, tried: [library] };
  // 'auto': a header naming the library file (`--- a/solution.py`) means it, whatever the roots hold.
  if (libraryExists && path.basename(targetPath) === config.libraryReference) return { found: true, file: library };
  const bases = [...config.sourceRoots.map((r) => path.resolve(config.root, r)), config.root, bug.moduleDir, bug.dir];
  const tried: string[] = [];
  let escaped = false;
  for (const base of bases) {
    const candidate = path.resolve(base, targetPath);
    const relative = path.relative(config.root, candidate);
    if (relative.startsWith('..') || path.isAbsolute(relative)) {
      escaped = true;
      continue;
    }
    tried.push(candidate);
    if (await files.isFile(candidate)) return { found: true, file: candidate };
  }
  if (escaped) throw new InputError('escapes-root', bug.patchFile, `the patch path ${targetPath} leads outside the project root`);
  // A library-mode problem whose patch header names some other file still means its solution.
  if (libraryExists) return { found: true, file: library };
  return { found: false, tried };
}

import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { assertInsideRoot } from '../files/contained-path.js';
import type { ProjectFiles } from '../files/project-files.js';

export type ReferenceResolution = { found: true; file: string } | { found: false; tried: string[] };

/**
 * Where the patch's target file is: library mode's `solution.py` above `bugs/`, else the header
 * path against each source root, the project root and the problem directory.
 * A header path may never lead outside the project root, and neither may a symbolic link.
 */
export async function resolveReference(bug: BugRef, targetPath: string, config: ResolvedConfig, files: ProjectFiles, sourcePath?: string): Promise<ReferenceResolution> {
  if (path.isAbsolute(targetPath) || path.win32.isAbsolute(targetPath)) {
    throw new InputError('escapes-root', bug.patchFile, `the patch targets an absolute path (${targetPath}); paths must be relative to a source root`);
  }
  const found = async (file: string): Promise<ReferenceResolution> => {
    await refuseLinkOutside(file, bug, config, files);
    return { found: true, file };
  };
  const library = path.join(bug.moduleDir, config.libraryReference);
  const libraryExists = config.library !== false && (await files.isFile(library));
  if (config.library === true) return libraryExists ? found(library) : { found: false, tried: [library] };
  // 'auto': a header naming the library file (`--- a/solution.py`) means it, whatever the roots hold;
  // so does a diff made from it to a buggy copy (`--- solution.py` / `+++ bugs/<bug>.py`).
  const namesLibrary = (name: string | undefined) => name !== undefined && path.basename(name.replace(/^a\//, '')) === config.libraryReference;
  if (libraryExists && (targetPath === '' || namesLibrary(targetPath) || namesLibrary(sourcePath))) return found(library);
  if (targetPath === '') {
    throw new InputError('bad-patch', bug.patchFile, `the patch names no file (no \`---\`/\`+++\` header) and there is no ${config.libraryReference} beside its bugs folder, so its reference file is unknown`);
  }
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
    if (await files.isFile(candidate)) return found(candidate);
  }
  if (escaped) throw new InputError('escapes-root', bug.patchFile, `the patch path ${targetPath} leads outside the project root`);
  // A library-mode problem whose patch header names some other file still means its solution.
  if (libraryExists) return found(library);
  return { found: false, tried };
}

/** A reference reached through a symbolic link that leads outside the project is refused like a `../` path. */
async function refuseLinkOutside(file: string, bug: BugRef, config: ResolvedConfig, files: ProjectFiles): Promise<void> {
  if (files.realPath) assertInsideRoot(file, config, 'reference', bug.patchFile, files.realDirs);
}

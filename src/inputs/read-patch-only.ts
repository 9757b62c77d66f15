import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { applyLikeEngine } from '../patch/apply-file-patch.js';
import { assertBugPathsInside } from '../files/contained-path.js';
import { workingTreeFiles, type ProjectFiles } from '../files/project-files.js';
import { readPatchAndReference } from './read-patch-and-reference.js';

export interface PatchOnlyResult {
  referenceFile: string;
  /** The fuzz each hunk needed (0: its context matched exactly). */
  fuzz: number[];
  /** What patch says while reading it (e.g. it ignores an unterminated last line). */
  notes: string[];
}

/**
 * A patch-only bug as the engine serves it: its reference copied and the patch applied by GNU
 * patch with default options. Anything that would make that fail at run time is an InputError
 * naming the patch (and the hunk).
 */
export async function applyPatchOnlyBug(ref: BugRef, config: ResolvedConfig, files: ProjectFiles = workingTreeFiles): Promise<PatchOnlyResult> {
  assertBugPathsInside(ref, config, files);
  const { patch, reference } = await readPatchAndReference(ref, config, files, 'patch');
  if (!reference.found) {
    throw new InputError(
      'reference-missing',
      ref.patchFile,
      `the engine serves a patch-only bug by applying it to its reference, but ${patch.targetPath} was not found (tried ${reference.tried.map((f) => relativeToRoot(config, f)).join(', ')})`,
    );
  }
  const { fuzz } = applyLikeEngine(reference.text, patch, ref.patchFile, relativeToRoot(config, reference.file));
  return { referenceFile: reference.file, fuzz, notes: patch.notes };
}

import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { parseUnifiedDiff, type FilePatch } from '../patch/parse-unified-diff.js';
import { resolveReference } from '../patch/resolve-reference.js';
import type { CountMode } from '../patch/scan-patch.js';
import type { ProjectFiles } from '../files/project-files.js';
import { readTextFile } from './read-text-file.js';

export interface PatchAndReference {
  patchText: string;
  patch: FilePatch;
  /** The reference file and its text, or the paths tried for it. */
  reference: { found: true; file: string; text: string } | { found: false; tried: string[] };
}

/** A bug's patch, read in `mode` (see CountMode), and the reference file it targets, read when found. */
export async function readPatchAndReference(ref: BugRef, config: ResolvedConfig, files: ProjectFiles, mode: CountMode): Promise<PatchAndReference> {
  const patchText = await readTextFile(ref.patchFile, 'patch', files);
  const patch = parseUnifiedDiff(patchText, ref.patchFile, mode);
  const resolved = await resolveReference(ref, patch.targetPath, config, files, patch.oldName);
  const reference = resolved.found ? { ...resolved, text: await readTextFile(resolved.file, 'reference file', files) } : resolved;
  return { patchText, patch, reference };
}

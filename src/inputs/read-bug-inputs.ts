import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { contentHash } from '../cache/hash.js';
import { applyFilePatch, hunkTexts, recountNotes, type PatchNote } from '../patch/apply-file-patch.js';
import { assertBugPathsInside, assertInsideRoot } from '../files/contained-path.js';
import { workingTreeFiles, type ProjectFiles } from '../files/project-files.js';
import { readPatchAndReference } from './read-patch-and-reference.js';
import { readTextFile } from './read-text-file.js';
import { withSiblingDefinitions } from './sibling-definitions.js';
import { InputError } from '../errors.js';

/** The bug definition format the outputs are in; part of every input hash. */
export const FORMAT_VERSION = '2.1';

/** One bug's inputs, read, checked and patched — no Python involved yet. */
export interface BugInputs {
  ref: BugRef;
  patchText: string;
  symptom?: string;
  symptomFile?: string;
  /** The patch header path (e.g. `cs336_basics/layers.py`). */
  targetPath: string;
  /** The resolved reference file (absolute); absent in snippet mode. */
  referenceFile?: string;
  /** The full reference text, or the hunks' before-text in snippet mode. */
  referenceText: string;
  patchedText: string;
  snippet: boolean;
  /** Why snippet mode was used. */
  snippetReason?: string;
  /** How leniently the patch had to be read or applied (recounted hunks, hunks found ignoring comments…); empty when it applies as `patch` would. */
  patchNotes: PatchNote[];
  /** Hash of patch, symptom, reference and format version: what provenance records. */
  inputHash: string;
}

/** Reads and patches one bug's inputs; problems are thrown as InputError naming the file. */
export async function readBugInputs(ref: BugRef, config: ResolvedConfig, files: ProjectFiles = workingTreeFiles): Promise<BugInputs> {
  assertBugPathsInside(ref, config, files);
  const { patchText, patch, reference } = await readPatchAndReference(ref, config, files, 'recount');
  let symptomFile: string | undefined;
  for (const candidate of ref.symptomCandidates) {
    if (await files.isFile(candidate)) {
      // Checked before it is read (a candidate that is not there is never read).
      if (files.realPath) assertInsideRoot(candidate, config, 'symptom file', candidate, files.realDirs);
      symptomFile = candidate;
      break;
    }
  }
  const symptom = symptomFile ? await readTextFile(symptomFile, 'symptom', files) : undefined;

  let referenceText: string;
  let patchedText: string;
  let snippetReason: string | undefined;
  let patchNotes: PatchNote[] = [];
  if (reference.found) {
    referenceText = reference.text;
    try {
      ({ text: patchedText, notes: patchNotes } = applyFilePatch(referenceText, patch, ref.patchFile, relativeToRoot(config, reference.file)));
    } catch (err) {
      throw err instanceof InputError ? await withSiblingDefinitions(err, reference.file, config, files) : err;
    }
  } else {
    ({ before: referenceText, after: patchedText } = hunkTexts(patch.structured));
    patchNotes = recountNotes(patch);
    snippetReason = `reference ${patch.targetPath} not found (tried ${reference.tried.map((f) => relativeToRoot(config, f)).join(', ')}); verified against the hunks alone (snippet mode)`;
  }
  const inputHash = contentHash(FORMAT_VERSION, patchText, symptom ?? '', reference.found ? referenceText : '');
  return {
    ref,
    patchText,
    ...(symptom !== undefined ? { symptom, symptomFile } : {}),
    targetPath: patch.targetPath,
    ...(reference.found ? { referenceFile: reference.file } : {}),
    referenceText,
    patchedText,
    snippet: !reference.found,
    ...(snippetReason ? { snippetReason } : {}),
    patchNotes,
    inputHash,
  };
}

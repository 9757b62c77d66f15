import fg from 'fast-glob';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { contentHash } from '../cache/hash.js';
import { stateDir } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import type { DraftVerification } from '../contracts.js';

/** Which tier made a draft: deterministic re-anchoring, or re-authoring by the LLM. */
export type DraftTier = 'reanchor' | 'reauthor';

/** What a draft patch was made from and how it verified: `<draft>.patch.json` beside the draft. */
export interface DraftProvenance {
  /** `<module>/<name>`. */
  bug: string;
  /** The author's patch it would replace (relative to the root). */
  patch: string;
  tier: DraftTier;
  /** `formatting` / `renaming` for re-anchoring, `llm` for re-authoring. */
  how: string;
  model?: string;
  /** Hashes of the patch and of the reference the draft was made against: a draft whose inputs changed since is stale. */
  old_patch_hash: string;
  reference: string;
  reference_hash: string;
  /** Old local name → today's, for re-anchoring up to renaming. */
  renamed?: Record<string, string>;
  /** The functions the draft changes. */
  functions: string[];
  /** How the draft was found or made, one line each. */
  notes: string[];
  verification: DraftVerification;
  tool_version: string;
  created: string;
}

// Moved to the contracts module (src/contracts.ts); re-exported where it was.
export type { DraftVerification } from '../contracts.js';

export interface PatchDraft {
  /** The draft patch file (absolute). */
  file: string;
  text: string;
  provenance: DraftProvenance;
}

/** Where drafts live: `.bug-author/drafts/`, mirroring the patch paths (two bugs of one name never collide). */
export function draftsDir(root: string): string {
  return path.join(stateDir(root), 'drafts');
}

export function draftFileOf(root: string, patchFile: string): string {
  return path.join(draftsDir(root), relativeToRoot({ root }, patchFile));
}

const META = '.json';

export function hashText(text: string): string {
  return contentHash('draft-input', text);
}

/** Writes the draft patch and its provenance, each atomically (the provenance last: a draft without one is not listed). */
export async function writePatchDraft(root: string, bug: BugRef, text: string, provenance: DraftProvenance): Promise<string> {
  const file = draftFileOf(root, bug.patchFile);
  await writeFileAtomic(file, text);
  await writeFileAtomic(`${file}${META}`, `${JSON.stringify(provenance, null, 2)}\n`);
  return file;
}

export async function readPatchDraft(root: string, patchFile: string): Promise<PatchDraft | undefined> {
  const file = draftFileOf(root, patchFile);
  return readDraftAt(file);
}

async function readDraftAt(file: string): Promise<PatchDraft | undefined> {
  try {
    const [text, meta] = await Promise.all([readFile(file, 'utf8'), readFile(`${file}${META}`, 'utf8')]);
    const provenance = JSON.parse(meta) as DraftProvenance;
    if (typeof provenance?.patch !== 'string' || typeof provenance.old_patch_hash !== 'string') return undefined;
    return { file, text, provenance };
  } catch {
    return undefined;
  }
}

/** Every draft of the project, in patch order. */
export async function listPatchDrafts(root: string): Promise<PatchDraft[]> {
  const metas = await fg(`**/*.patch${META}`, { cwd: draftsDir(root), absolute: true, onlyFiles: true, dot: true }).catch(() => []);
  const drafts = await Promise.all(metas.sort().map((meta) => readDraftAt(meta.slice(0, -META.length))));
  return drafts.filter((d): d is PatchDraft => d !== undefined);
}

export async function removePatchDraft(draft: PatchDraft): Promise<void> {
  await rm(`${draft.file}${META}`, { force: true });
  await rm(draft.file, { force: true });
}

/** Whether the patch or the reference changed since the draft was made (then it is stale: make it again). */
export function draftIsStale(draft: PatchDraft, patchText: string | undefined, referenceText: string | undefined): boolean {
  return patchText === undefined || hashText(patchText) !== draft.provenance.old_patch_hash || (referenceText !== undefined && hashText(referenceText) !== draft.provenance.reference_hash);
}

/** One line describing a draft: tier, how, verification. */
export function describeDraft(provenance: DraftProvenance): string {
  const renamed = provenance.renamed && Object.keys(provenance.renamed).length ? ` (${Object.entries(provenance.renamed).map(([a, b]) => `${a}→${b}`).join(', ')})` : '';
  const how =
    provenance.tier === 'reanchor'
      ? `re-anchored up to ${provenance.how === 'renaming' ? `renamed locals${renamed}` : 'formatting'}`
      : `re-authored by ${provenance.model ?? 'the LLM'}`;
  const v = provenance.verification;
  const verdict =
    v.status === 'exact'
      ? `${v.generator ?? 'compiles'} exact${v.transfer ? `, transfer ${v.transfer.exact}/${v.transfer.total}` : ''}${v.referenceBound?.length ? `, reference-bound: ${v.referenceBound.join(', ')}` : ''}`
      : `patch-only candidate${v.reason ? ` (${v.reason})` : ''}`;
  return `${how}; ${verdict}`;
}

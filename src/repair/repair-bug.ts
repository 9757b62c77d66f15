import type { BuildEnvironment } from '../compile/build-environment.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { workingTreeFiles } from '../files/project-files.js';
import { readPatchAndReference } from '../inputs/read-patch-and-reference.js';
import { readTextFile } from '../inputs/read-text-file.js';
import { packageVersion } from '../package-root.js';
import { namedScope } from '../patch/apply-file-patch.js';
import { hunkLinesOf } from '../patch/hunk-lines.js';
import type { FilePatch } from '../patch/parse-unified-diff.js';
import { reanchorPatch, type ReferenceScope } from '../patch/reanchor-patch.js';
import { refreshPatchText } from '../patch/refresh-patch.js';
import { hashText, writePatchDraft, type DraftProvenance, type DraftTier, type PatchDraft } from '../drafts/patch-drafts.js';
import { namesOnlyAdded } from '../prepare/lenient-placement.js';
import { referenceLayout } from './reference-scopes.js';
import type { PatchReauthor } from '../contracts.js';
import { verifyDraftPatch, verifyModelPatch, type DraftVerdict } from './verify-draft.js';

/** What repairing one stale bug came to. */
export type RepairOutcome =
  | { status: 'drafted'; draft: PatchDraft }
  /** No tier could make a verified draft; `reasons` says why, tier by tier; `reauthorable`: a function it changes still exists, so the LLM tier has something to re-author. */
  | { status: 'failed'; reasons: string[]; reauthorable?: boolean };

/** A stale bug as the repair tiers see it: its patch, its reference today, and why the patch no longer applies. */
export interface StaleBug {
  bug: BugRef;
  patchText: string;
  patch: FilePatch;
  referenceFile: string;
  referenceText: string;
  symptom?: string;
  /** Why the patch does not apply (the build's error). */
  why: string;
}

/** Reads what repairing needs; undefined when the patch's reference cannot be found (nothing to repair against). */
export async function readStaleBug(bug: BugRef, env: Pick<BuildEnvironment, 'config'>, why: string): Promise<StaleBug | undefined> {
  const { patchText, patch, reference } = await readPatchAndReference(bug, env.config, workingTreeFiles, 'recount');
  if (!reference.found) return undefined;
  let symptom: string | undefined;
  for (const candidate of bug.symptomCandidates) {
    if (await workingTreeFiles.isFile(candidate)) {
      symptom = await readTextFile(candidate, 'symptom', workingTreeFiles).catch(() => undefined);
      break;
    }
  }
  return { bug, patchText, patch, referenceFile: reference.file, referenceText: reference.text, ...(symptom !== undefined ? { symptom } : {}), why };
}

/**
 * The repair tiers in order, until one yields a verified draft: deterministic re-anchoring, then
 * (given a re-author, not skipped by --no-llm) re-authoring by the LLM. Drafts go under
 * `.bug-author/drafts/`, never over the author's patch.
 */
export async function repairBug(stale: StaleBug, env: BuildEnvironment, reauthor?: PatchReauthor): Promise<RepairOutcome> {
  const reasons: string[] = [];
  const layout = await referenceLayout(env.python, stale.referenceText, stale.referenceFile);
  const { scopes } = layout;
  const anchored = reanchorPatch(stale.referenceText, stale.patch, layout);
  if (anchored.ok) {
    const text = refreshPatchText(stale.patchText, stale.patch, stale.referenceText, anchored.text);
    const verdict = await verifyDraftPatch(stale.bug, text, env, anchored.functions, namesOnlyAdded(stale.patch));
    if (verdict.ok) {
      const draft = await saveDraft(stale, env, text, verdict, { tier: 'reanchor', how: anchored.tier, renamed: anchored.renamed, notes: anchored.notes });
      return { status: 'drafted', draft };
    }
    reasons.push(`re-anchoring: found the same edit (${anchored.notes.join('; ')}), but ${verdict.reason}`);
  } else reasons.push(`re-anchoring: ${anchored.reason}`);

  const functions = oldFunctions(stale.patch).filter((name) => scopes.some((s) => s.name === name));
  if (!reauthor) return { status: 'failed', reasons, reauthorable: functions.length > 0 };
  if (functions.length === 0) {
    reasons.push(`${reauthor.name}: the function${oldFunctions(stale.patch).length > 1 ? 's' : ''} the patch changes (${oldFunctions(stale.patch).map((f) => `\`${f}\``).join(', ') || 'none named'}) no longer exist${oldFunctions(stale.patch).length > 1 ? '' : 's'} in ${relativeToRoot(env.config, stale.referenceFile)}; re-author the bug by hand`);
    return { status: 'failed', reasons };
  }
  const allowed = functionsInside(functions, scopes);
  const sources = functions.map((name) => functionSource(stale.referenceText, scopes.find((s) => s.name === name)!));
  const result = await reauthor.reauthor(
    {
      bug: stale.bug.id,
      patchFile: relativeToRoot(env.config, stale.bug.patchFile),
      referenceFile: relativeToRoot(env.config, stale.referenceFile),
      ...(stale.symptom !== undefined ? { symptom: stale.symptom } : {}),
      oldPatch: stale.patchText,
      functions: sources,
      why: stale.why,
      header: { oldName: stale.patch.oldName || stale.patch.targetPath, newName: stale.patch.newName || stale.patch.targetPath },
    },
    { verify: (text) => verifyModelPatch(stale.bug, text, env, allowed, stale.referenceFile, namesOnlyAdded(stale.patch)), cacheDir: env.config.cacheDir, ...(env.signal ? { signal: env.signal } : {}) },
  );
  if (result.status === 'drafted') {
    const draft = await saveDraft(stale, env, result.text, result.verdict, { tier: 'reauthor', how: 'llm', model: result.model, notes: result.notes });
    return { status: 'drafted', draft };
  }
  reasons.push(`${reauthor.name}: ${result.reason}`);
  return { status: 'failed', reasons };
}

async function saveDraft(
  stale: StaleBug,
  env: BuildEnvironment,
  text: string,
  verdict: Extract<DraftVerdict, { ok: true }>,
  made: { tier: DraftTier; how: string; model?: string; renamed?: Record<string, string>; notes: string[] },
): Promise<PatchDraft> {
  const { root } = env.config;
  const provenance: DraftProvenance = {
    bug: stale.bug.id,
    patch: relativeToRoot(env.config, stale.bug.patchFile),
    tier: made.tier,
    how: made.how,
    ...(made.model ? { model: made.model } : {}),
    old_patch_hash: hashText(stale.patchText),
    reference: relativeToRoot(env.config, stale.referenceFile),
    reference_hash: hashText(stale.referenceText),
    ...(made.renamed && Object.keys(made.renamed).length ? { renamed: made.renamed } : {}),
    functions: verdict.functions,
    notes: made.notes,
    verification: verdict.verification,
    tool_version: packageVersion,
    created: new Date().toISOString(),
  };
  const file = await writePatchDraft(root, stale.bug, text, provenance);
  return { file, text, provenance };
}

/** The functions (or classes) the old patch's hunks name, in order, without repeats. */
export function oldFunctions(patch: FilePatch): string[] {
  const names = patch.structured.hunks.map((h, i) => namedScope({ lines: hunkLinesOf(h), source: patch.hunks[i] }));
  return [...new Set(names.filter((n): n is string => n !== undefined))];
}

/** The named scopes and every function inside them (a class's methods): what a re-authored patch may change. */
function functionsInside(names: readonly string[], scopes: readonly ReferenceScope[]): string[] {
  const out = new Set<string>(names);
  for (const name of names) {
    for (const outer of scopes.filter((s) => s.name === name)) for (const s of scopes) if (s.start >= outer.start && s.end <= outer.end) out.add(s.name);
  }
  return [...out];
}

function functionSource(reference: string, scope: { name: string; start: number; end: number }): { name: string; firstLine: number; text: string } {
  const lines = reference.split('\n');
  return { name: scope.name, firstLine: scope.start, text: lines.slice(scope.start - 1, scope.end).join('\n') };
}

/** Whether an input error is the kind repairing can help with: a patch that no longer applies to a reference that exists. */
export function isRepairable(err: unknown): err is InputError {
  return err instanceof InputError && err.kind === 'does-not-apply';
}

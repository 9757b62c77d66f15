import path from 'node:path';
import { readFile } from 'node:fs/promises';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { draftIsStale, listPatchDrafts, type PatchDraft } from './patch-drafts.js';

export interface DraftStatus {
  draft: PatchDraft;
  /** The author's patch as it is now (undefined when it is gone). */
  oldText: string | undefined;
  /** The patch or its reference changed since the draft was made. */
  stale: boolean;
}

/** The project's drafts (only those of `patches`, absolute, when given), each with whether it is still current. */
export async function draftStatuses(config: ResolvedConfig, patches?: readonly string[]): Promise<DraftStatus[]> {
  const wanted = patches ? new Set(patches.map((p) => path.resolve(p))) : undefined;
  const drafts = (await listPatchDrafts(config.root)).filter((d) => !wanted || wanted.has(path.resolve(config.root, d.provenance.patch)));
  const read = (file: string) => readFile(path.resolve(config.root, file), 'utf8').catch(() => undefined);
  return Promise.all(
    drafts.map(async (draft) => {
      const [oldText, reference] = await Promise.all([read(draft.provenance.patch), read(draft.provenance.reference)]);
      return { draft, oldText, stale: draftIsStale(draft, oldText, reference) };
    }),
  );
}

/** The draft `name` means: its patch (relative to `cwd`), its bug as the draft records it, or the id of the bug whose patch it replaces. */
export function draftNamed(drafts: readonly PatchDraft[], name: string, cwd: string, config: Pick<ResolvedConfig, 'root'>, bugs: readonly BugRef[]): PatchDraft | undefined {
  const byPath = relativeToRoot(config, path.resolve(cwd, name));
  return drafts.find((d) => d.provenance.patch === byPath || d.provenance.bug === name || bugs.some((b) => b.id === name && relativeToRoot(config, b.patchFile) === d.provenance.patch));
}

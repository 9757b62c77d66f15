import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot } from '../discover/bug-ref.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { readTextFile } from '../inputs/read-text-file.js';
import { draftIsStale, removePatchDraft, type PatchDraft } from './patch-drafts.js';

export type AcceptOutcome = { accepted: true; patch: string } | { accepted: false; patch: string; reason: string };

/**
 * Moves a draft over its patch (atomically), keeping the old text in git history: refused when
 * the patch has edits git has not committed (or git does not track it), unless `force`; refused
 * when the patch or its reference changed since the draft was made (it is stale: make it again).
 */
export async function acceptDraft(config: ResolvedConfig, draft: PatchDraft, options: { force: boolean }): Promise<AcceptOutcome> {
  const patchFile = path.resolve(config.root, draft.provenance.patch);
  const patch = relativeToRoot(config, patchFile);
  const current = await readTextFile(patchFile, 'patch').catch(() => undefined);
  const reference = await readTextFile(path.resolve(config.root, draft.provenance.reference), 'reference').catch(() => undefined);
  if (draftIsStale(draft, current, reference)) {
    return { accepted: false, patch, reason: `the patch or its reference changed since the draft was made; make it again: bug-author refresh-patch ${patch}` };
  }
  if (!options.force) {
    const state = await gitState(config.root, patchFile);
    if (state !== 'committed') {
      const why = state === 'no-git' ? 'the project is not in a git repository' : state === 'untracked' ? 'git does not track the patch' : 'the patch has edits git has not committed';
      return { accepted: false, patch, reason: `${why}, so its old text would be lost; commit it first, or accept with --force` };
    }
  }
  await writeFileAtomic(patchFile, draft.text);
  await removePatchDraft(draft);
  return { accepted: true, patch };
}

/** Whether git holds the file's current text in a commit. */
async function gitState(root: string, file: string): Promise<'committed' | 'modified' | 'untracked' | 'no-git'> {
  const { simpleGit } = await import('simple-git');
  const git = simpleGit({ baseDir: root });
  try {
    if (!(await git.checkIsRepo())) return 'no-git';
    const status = await git.raw(['status', '--porcelain', '--ignored', '-z', '--', file]);
    if (status.length === 0) return 'committed';
    return status.startsWith('??') || status.startsWith('!!') ? 'untracked' : 'modified';
  } catch {
    return 'no-git';
  }
}

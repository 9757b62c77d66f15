import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { describeWriteError } from '../write/describe-write-error.js';
import { readTextFile } from '../inputs/read-text-file.js';
import { judgeOldJson, restoreJson, retireJson, type VerifySources } from './old-json.js';
import { draftIsStale, removePatchDraft, type PatchDraft } from '../drafts/patch-drafts.js';
import type { Verification } from '../verify/verify-definition.js';

/** What became of the JSON beside an accepted patch. */
export type SettledJson =
  | { state: 'none' }
  | { state: 'kept'; json: string; verification: Verification }
  /** Moved to `to` (relative to the root); `why` is its verdict against the accepted patch. */
  | { state: 'retired'; json: string; to: string; why: string };

export type AcceptOutcome = { accepted: true; patch: string; json: SettledJson } | { accepted: false; patch: string; reason: string };

/**
 * Moves a draft over its patch (atomically), keeping the old text in git history: refused when
 * the patch has edits git has not committed (or git does not track it), unless `force`; refused
 * when the patch or its reference changed since the draft was made (it is stale: make it again).
 *
 * Accepting says the draft is now the bug, so the hand-written JSON made for the old patch is
 * settled with it: kept when it still injects the draft exactly (and nothing else into
 * student-style code), else retired to `.bug-author/retired/` so that build compiles the draft —
 * under the same rule (git holds its text, unless `force`), and moved back if the patch cannot be written.
 */
export async function acceptDraft(
  config: ResolvedConfig,
  draft: PatchDraft,
  options: { force: boolean; bug: BugRef; sources: VerifySources },
): Promise<AcceptOutcome> {
  const patchFile = path.resolve(config.root, draft.provenance.patch);
  const patch = relativeToRoot(config, patchFile);
  const current = await readTextFile(patchFile, 'patch').catch(() => undefined);
  const reference = await readTextFile(path.resolve(config.root, draft.provenance.reference), 'reference').catch(() => undefined);
  if (draftIsStale(draft, current, reference)) {
    return { accepted: false, patch, reason: `the patch or its reference changed since the draft was made; make it again: bug-author refresh-patch ${patch}` };
  }
  if (!options.force) {
    const unsafe = await notInGit(config.root, patchFile, 'the patch');
    if (unsafe) return { accepted: false, patch, reason: `${unsafe}, so its old text would be lost; commit it first, or accept with --force` };
  }

  const old = await judgeOldJson(options.bug, draft.text, config, options.sources);
  const json = old.state === 'none' ? '' : relativeToRoot(config, old.file);
  if (old.state === 'unjudged') return { accepted: false, patch, reason: `its JSON ${json} was left as it is: ${old.reason}` };
  if (old.state === 'retire' && !options.force) {
    const unsafe = await notInGit(config.root, old.file, 'its JSON');
    if (unsafe) {
      return {
        accepted: false,
        patch,
        reason: `its hand-written JSON ${json} was made for the old patch (against the accepted one: ${old.why}) and would be retired, but ${unsafe}; commit it first, or accept with --force (it is then moved under .bug-author/retired/, not deleted)`,
      };
    }
  }

  let retiredTo: string | undefined;
  try {
    if (old.state === 'retire') retiredTo = await retireJson(config, old.file);
  } catch (err) {
    return { accepted: false, patch, reason: `its hand-written JSON ${json} could not be moved under .bug-author/retired/: ${describeWriteError(err)}; nothing was changed` };
  }
  try {
    await writeFileAtomic(patchFile, draft.text);
  } catch (err) {
    if (retiredTo && old.state === 'retire') await restoreJson(old.file, retiredTo);
    return { accepted: false, patch, reason: `the patch could not be written: ${describeWriteError(err)}; nothing was changed` };
  }
  await removePatchDraft(draft);
  const settled: SettledJson =
    old.state === 'kept' ? { state: 'kept', json, verification: old.verification } : old.state === 'retire' ? { state: 'retired', json, to: relativeToRoot(config, retiredTo!), why: old.why } : { state: 'none' };
  return { accepted: true, patch, json: settled };
}

/** Why git does not hold the file's current text in a commit (undefined when it does). */
async function notInGit(root: string, file: string, what: string): Promise<string | undefined> {
  const state = await gitState(root, file);
  if (state === 'committed') return undefined;
  if (state === 'no-git') return 'the project is not in a git repository';
  return state === 'untracked' ? `git does not track ${what}` : `${what} has edits git has not committed`;
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

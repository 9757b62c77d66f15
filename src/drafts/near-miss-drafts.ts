import { lstat, mkdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { draftsDir } from './patch-drafts.js';

/**
 * Where the best non-exact candidate of a failed bug waits for review:
 * `.bug-author/drafts/<output path without .json>.near-miss.json`. Never beside the output: the
 * engine picks every `*.json` of a bugs folder as a bug. A repair draft of the same bug is
 * `<patch path>` and `<patch path>.json` there, so the two never collide.
 */
export function nearMissDraftFileOf(root: string, outputFile: string): string {
  return path.join(draftsDir(root), `${relativeToRoot({ root }, outputFile).replace(/\.json$/, '')}.near-miss.json`);
}

/** Where older bug-authors wrote it: `<name>_draft.json` beside the output, in the engine's bugs folder. */
export function legacyNearMissDraftFileOf(bug: Pick<BugRef, 'outputFile' | 'name'>): string {
  return path.join(path.dirname(bug.outputFile), `${bug.name}_draft.json`);
}

/** Whether a parsed JSON carries the stamp bug-author puts on a near-miss draft (`metadata.draft`). */
export function isNearMissDraft(definition: unknown): boolean {
  const draft = (definition as { metadata?: { draft?: unknown } } | null)?.metadata?.draft;
  if (typeof draft !== 'object' || draft === null) return false;
  const { status, generator, verdict } = draft as Record<string, unknown>;
  return typeof status === 'string' && status.startsWith('DRAFT') && typeof generator === 'string' && typeof verdict === 'string';
}

/**
 * A near-miss draft an older bug-author left beside the output is moved to where drafts live
 * now, only when it carries bug-author's own stamp: an author's own `<name>_draft.json` is never
 * touched. When a newer draft is already there, the old one (ours, superseded) is removed.
 * Returns where it went, or undefined when there was nothing of ours to move.
 */
export async function moveLegacyNearMissDraft(root: string, bug: Pick<BugRef, 'outputFile' | 'name'>): Promise<{ from: string; to: string; superseded: boolean } | undefined> {
  const from = legacyNearMissDraftFileOf(bug);
  // A regular file only: a link is not followed (it could lead anywhere), nor moved.
  const stat = await lstat(from).catch(() => undefined);
  if (!stat?.isFile()) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(from, 'utf8'));
  } catch {
    return undefined;
  }
  if (!isNearMissDraft(parsed)) return undefined;
  const to = nearMissDraftFileOf(root, bug.outputFile);
  if (await lstat(to).catch(() => undefined)) {
    await rm(from, { force: true });
    return { from, to, superseded: true };
  }
  await mkdir(path.dirname(to), { recursive: true });
  await rename(from, to);
  return { from, to, superseded: false };
}

/** moveLegacyNearMissDraft for every bug, each move said in one line (relative to the root); a move that fails is said too, and the run goes on. */
export async function moveLegacyNearMissDrafts(root: string, bugs: readonly BugRef[]): Promise<string[]> {
  const rel = (file: string) => relativeToRoot({ root }, file);
  const lines = await Promise.all(
    bugs.map(async (bug) => {
      try {
        const moved = await moveLegacyNearMissDraft(root, bug);
        if (!moved) return undefined;
        return moved.superseded
          ? `removed ${rel(moved.from)}, a near-miss draft an older bug-author wrote into the engine's bugs folder (the engine would pick it as a bug); the newer draft is ${rel(moved.to)}`
          : `moved ${rel(moved.from)}, a near-miss draft an older bug-author wrote into the engine's bugs folder (the engine would pick it as a bug), to ${rel(moved.to)}`;
      } catch (err) {
        return `could not move the near-miss draft ${rel(legacyNearMissDraftFileOf(bug))} out of the engine's bugs folder: ${(err as Error).message}`;
      }
    }),
  );
  return lines.filter((line): line is string => line !== undefined);
}

import path from 'node:path';
import { createContentCache } from '../cache/content-cache.js';
import { bugRefFor } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { draftNamed, draftStatuses, type DraftStatus } from '../drafts/current-drafts.js';
import { listPatchDrafts, type DraftProvenance } from '../drafts/patch-drafts.js';
import { UsageError } from '../errors.js';
import { loadProject } from '../project/load-project.js';
import { acceptDraft as moveDraftOverPatch, type AcceptOutcome } from '../repair/accept-draft.js';
import { createVariantSource } from '../transfer/student-variants.js';
import type { ProjectRunOptions } from './run-options.js';

type ProjectOptions = Pick<ProjectRunOptions, 'cwd' | 'configFile' | 'env'>;

/**
 * The verified drafts of rotted patches waiting under `.bug-author/drafts/` (only those of
 * `patches`, relative to `cwd`, when given): each with the author's patch as it is now and
 * whether the draft is stale (its patch or reference changed since it was made).
 */
export async function listDrafts(options: ProjectOptions & { patches?: readonly string[] } = {}): Promise<DraftStatus[]> {
  const { config, cwd } = await loadProject({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env }, { config: options.configFile });
  return draftStatuses(config, options.patches?.map((p) => path.resolve(cwd, p)));
}

export interface AcceptDraftOptions extends ProjectOptions {
  /** The bug whose draft to accept: its patch file (relative to `cwd`) or id (`<module>/<name>`). */
  bug: string;
  /** Accept even when git does not hold the patch's (or a JSON to retire's) current text. */
  force?: boolean;
}

/** What accepting did (or why it was refused), with the draft's provenance. */
export type AcceptDraftResult = AcceptOutcome & { provenance: DraftProvenance };

/**
 * What `bug-author refresh-patch --accept <bug>` does for one bug: the draft moves over its patch
 * atomically, and the hand-written JSON made for the old patch is kept or retired. Refused
 * (`accepted: false` and the reason) when git does not hold the patch's current text, unless
 * `force`, or when the draft is stale. A bug without a draft is a UsageError.
 */
export async function acceptDraft(options: AcceptDraftOptions): Promise<AcceptDraftResult> {
  const project = await loadProject({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env }, { config: options.configFile });
  const { config, cwd } = project;
  const [bugs, drafts] = await Promise.all([discoverBugs(config), listPatchDrafts(config.root)]);
  const draft = draftNamed(drafts, options.bug, cwd, config, bugs);
  if (!draft) throw new UsageError(`no draft for ${options.bug} (drafts: ${drafts.map((d) => d.provenance.bug).join(', ') || 'none'}); make one with \`bug-author refresh-patch\``);
  const patchFile = path.resolve(config.root, draft.provenance.patch);
  const bug = bugs.find((b) => b.patchFile === patchFile) ?? bugRefFor(patchFile, config);
  // Python starts only if a hand-written JSON has to be verified against the draft.
  const sources = {
    python: project.python,
    variants: createVariantSource(project.python),
    cache: createContentCache(config.cacheDir),
    ...('judge' in project.engine ? { judge: project.engine.judge } : {}),
  };
  const outcome = await moveDraftOverPatch(config, draft, { force: options.force === true, bug, sources });
  return { ...outcome, provenance: draft.provenance };
}

import path from 'node:path';
import { untilAborted } from '../process/until-aborted.js';
import pLimit from 'p-limit';
import type { ContentCache } from '../cache/content-cache.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { discoverBugsByGlob } from '../discover/discover-bugs.js';
import { assertGlobsMatch } from '../discover/unmatched-globs.js';
import { UsageError } from '../errors.js';
import { openGitIndexFiles, type GitIndexFiles } from '../git/git-index-files.js';
import { filesChangedSince, openGitRepository, resolveCommit, trackedFiles, type GitRepository } from '../git/git-repository.js';
import { workingTreeForOneRun } from '../files/project-files.js';
import { projectTempDirs } from '../project/project-temp-dirs.js';
import { removeStaleTempFiles } from '../write/temp-sweep.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { EngineJudge } from '../verify/engine-judge.js';
import { checkBug } from './check-bug.js';
import type { CheckEnvironment } from './check-environment.js';
import { discoverInFileList, discoverOnDisk } from './discover-snapshot.js';
import type { Finding } from './finding.js';
import { orphanFinding, type OrphanFacts } from './orphan-finding.js';
import { draftStatuses, type DraftStatus } from '../drafts/current-drafts.js';
import { describeDraft } from '../drafts/patch-drafts.js';
import { shellQuote } from './shell-quote.js';
import { readExistingOutput } from '../outputs/existing-output.js';
import type { ManifestProblem } from '../discover/curriculum-manifests.js';
import { engineSymptomOf, type EnginePicks } from '../discover/engine-picks.js';
import { isNearMissDraft, legacyNearMissDraftFileOf } from '../drafts/near-miss-drafts.js';
import { engineLoadProblems } from '../schema/engine-dialect.js';
import { formatSchemaProblems } from '../schema/validate-definition.js';
import { trackPythonUse } from './python-use.js';
import { createVariantSource } from '../transfer/student-variants.js';
import { enginePickFinding, patchOnlyRuleFinding, strayPatchFinding, type EnginePickFacts } from './engine-pick-finding.js';
import { isScratchJson, unmatchedPatchOnlyRules } from '../discover/bug-ref.js';
import { describeBackend } from '../report/format-python-report.js';
import type { CheckReport } from '../contracts.js';

export interface CheckOptions {
  /** Judge the git index instead of the working tree. */
  staged: boolean;
  /** Only bugs whose inputs or outputs changed since this ref. */
  since?: string;
  /** Running in CI: outputs git does not track are findings. */
  ci: boolean;
  /** Unreviewed and review-stale JSON are errors (`--require-review`, config `requireReview`). */
  requireReview?: boolean;
}

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { BugTransfer, CheckReport } from '../contracts.js';

/** Told about the bugs as they are found and checked (reporters). */
export interface CheckObserver {
  onStart?(bugs: readonly BugRef[]): void;
  /** A bug `--since` left out is not reported. */
  onBug?(bug: BugRef, findings: readonly Finding[]): void;
}

/** Runs every check over the chosen snapshot and returns the findings, in bug order, orphans last. */
export async function collectFindings(
  config: ResolvedConfig,
  options: CheckOptions,
  deps: { python: PythonRuntime; cache: ContentCache; judge?: EngineJudge | undefined; signal?: AbortSignal | undefined },
  observer: CheckObserver = {},
): Promise<CheckReport> {
  const started = performance.now();
  const needsGit = options.staged ? '--staged' : options.since !== undefined ? '--since' : undefined;
  let repository: Promise<GitRepository | undefined> | undefined;
  const repo = () => (repository ??= openGitRepository(config.root));
  if (needsGit && !(await repo())) throw new UsageError(`check: ${needsGit} needs a git repository, and ${config.root} is not in one`);

  let index: GitIndexFiles | undefined;
  try {
    index = options.staged ? await openGitIndexFiles((await repo())!) : undefined;
    const { bugs, orphans, unmatched, manifestProblems, enginePicks } = index ? await discoverInFileList(config, index.paths.keys(), index) : await discoverOnDisk(config);
    // A glob with nothing staged is no typo when it matches on disk (patches not added yet).
    if (unmatched.length) await assertGlobsMatch(config, index ? await discoverBugsByGlob(config) : { bugs, unmatched });
    const tempFilesRemoved = removeStaleTempFiles(projectTempDirs(config, bugs));
    const changed = options.since !== undefined ? await changedFiles(config, (await repo())!, options.since, options.staged) : undefined;

    // What the engine picks that is no bug of bug-author's: patches the config leaves out, scratch JSON.
    const claimed = new Set(bugs.flatMap((b) => [b.patchFile, b.outputFile]));
    const strays = enginePicks.files.filter((f) => !claimed.has(f) && (f.endsWith('.patch') || isScratchJson(f)));
    // git is asked only when its answer matters: --staged/--since, CI (untracked outputs), orphans and strays (git rm/mv or rm/mv).
    const git = needsGit || options.ci || orphans.length > 0 || strays.length > 0 ? await repo() : undefined;
    let tracked: Promise<ReadonlySet<string>> | undefined;
    const gitTracks = (r: GitRepository) => () => (tracked ??= index ? Promise.resolve(new Set(index.paths.keys())) : trackedFiles(r));
    const python = trackPythonUse(deps.python);
    const env: CheckEnvironment = {
      config,
      files: index ?? workingTreeForOneRun(),
      staged: options.staged,
      requireTracked: options.ci && git !== undefined,
      python,
      ...(deps.judge ? { judge: deps.judge } : {}),
      cache: deps.cache,
      variants: createVariantSource(python),
      ...(git ? { tracked: gitTracks(git) } : {}),
      ...(changed ? { changed } : {}),
      ...(options.requireReview || config.requireReview ? { requireReview: true } : {}),
      engineFolders: new Set(enginePicks.folders),
    };

    observer.onStart?.(bugs);
    // One bug per slot, from its inputs to its findings: memory is bounded by the concurrency.
    const limit = pLimit(config.concurrency);
    const all = Promise.all(
      bugs.map((bug) =>
        limit(async () => {
          deps.signal?.throwIfAborted();
          const result = await checkBug(bug, env);
          // Stopped meanwhile: nothing more is reported (the check's caller has moved on).
          if (result.checked && deps.signal?.aborted !== true) observer.onBug?.(bug, result.findings);
          return result;
        }),
      ),
    );
    // Stopped: the bugs being judged are not waited for (a verification may take its time).
    const results = deps.signal ? await untilAborted(all, deps.signal) : await all;
    const findings = results.flatMap((r) => r.findings);
    const beside = bugs.filter((_, i) => results[i]!.patchBesideJson);
    if (config.enginePickWarning && beside.length > 0) findings.push(enginePickFinding(beside, config));
    if (!changed) findings.push(...unmatchedPatchOnlyRules(config, bugs).map((rule) => patchOnlyRuleFinding(rule, config)));
    const picks = enginePickFacts(config, enginePicks, env);
    const legacyDrafts = new Set(bugs.map(legacyNearMissDraftFileOf));
    for (const file of [...orphans, ...strays].sort()) {
      if (changed && !changed.has(file) && ![...changed].some((f) => path.dirname(f) === path.dirname(file))) continue;
      const isTracked = env.tracked !== undefined && (await env.tracked()).has(file);
      const picked = await picks(file);
      if (file.endsWith('.patch')) {
        findings.push(strayPatchFinding(file, { root: config.root, tracked: isTracked, ...picked! }));
        continue;
      }
      const facts = await orphanFacts(file, env, picked);
      const ours = isScratchJson(file) && legacyDrafts.has(file) && facts.definition !== undefined && isNearMissDraft(facts.definition);
      findings.push(orphanFinding(file, { root: config.root, tracked: isTracked, ...facts.facts, ...(isScratchJson(file) ? { scratch: true } : {}), ...(ours ? { ourDraft: true } : {}) }));
    }
    if (!changed) findings.push(...manifestProblems.map(manifestProblemFinding));
    if (!options.staged) findings.push(...(await draftStatuses(config, bugs.map((b) => b.patchFile))).filter((d) => !changed || changed.has(path.resolve(config.root, d.draft.provenance.patch))).map((d) => draftFinding(d, config)));
    const transfer = results.flatMap((r, i) => {
      if (!r.transfer) return [];
      const bug = bugs[i]!;
      const { exact, total, worst, variants, referenceBound } = r.transfer;
      return [{ bug: bug.id, file: path.relative(config.root, bug.outputFile), exact, total, worst, variants, ...(referenceBound ? { referenceBound } : {}) }];
    });
    return {
      findings,
      transfer,
      bugs: bugs.length,
      checked: results.filter((r) => r.checked).length,
      pythonLoaded: python.used,
      ...(python.used && python.backend ? { python: describeBackend(python.backend) } : {}),
      staged: options.staged,
      ...(options.since !== undefined ? { since: options.since } : {}),
      ...removedPart(await tempFilesRemoved, config),
      ms: Math.round(performance.now() - started),
    };
  } finally {
    index?.close();
  }
}

/**
 * Whether a JSON no patch claims has its patch beside it after all, or is hand-written; and, when
 * the engine picks it, whether the engine could load it at all (what it parsed to comes along).
 */
async function orphanFacts(
  file: string,
  env: CheckEnvironment,
  picked: EnginePickFacts | undefined,
): Promise<{ facts: Omit<OrphanFacts, 'root' | 'tracked'>; definition?: unknown }> {
  const patch = file.replace(/\.json$/, '.patch');
  if (!isScratchJson(file) && (await env.files.isFile(patch))) return { facts: { patchBeside: relativeToRoot(env.config, patch) } };
  const existing = await readExistingOutput(file, env.files);
  if (existing.state === 'missing') return { facts: {} };
  if (existing.state === 'unreadable') {
    const why = existing.text.trim() === '' ? 'it is empty' : `it is ${existing.reason}`;
    return { facts: picked ? { picked: { ...picked, loadProblem: why } } : {} };
  }
  const loadProblems = engineLoadProblems(existing.definition);
  const loadProblem = loadProblems.length ? { loadProblem: formatSchemaProblems(loadProblems) } : {};
  return {
    facts: { ...(existing.state === 'manual' ? { handWritten: true } : {}), ...(picked ? { picked: { ...picked, ...loadProblem } } : {}) },
    definition: existing.definition,
  };
}

/** For a file of an engine bugs folder: what the engine does when it picks it (undefined elsewhere). */
function enginePickFacts(config: ResolvedConfig, picks: EnginePicks, env: CheckEnvironment): (file: string) => Promise<EnginePickFacts | undefined> {
  const folders = new Set(picks.folders);
  const among = new Map<string, number>();
  for (const file of picks.files) among.set(path.dirname(file), (among.get(path.dirname(file)) ?? 0) + 1);
  return async (file) => {
    const folder = path.dirname(file);
    if (!folders.has(folder)) return undefined;
    const symptom = engineSymptomOf(file);
    return {
      folder: relativeToRoot(config, folder),
      among: among.get(folder) ?? 1,
      symptom: relativeToRoot(config, symptom),
      symptomExists: await env.files.isFile(symptom),
      moveTo: relativeToRoot(config, path.dirname(folder)),
    };
  };
}

/** A manifest the engine cannot load (or a path in it bug-author refuses): its bugs may be missed. */
function manifestProblemFinding(problem: ManifestProblem): Finding {
  return { kind: 'config', severity: 'warning', file: problem.file, message: `${problem.file}: ${problem.reason}`, fix: `fix ${problem.file}` };
}

/** A verified draft of a rotted patch waits for review: a hint, never a failure. */
function draftFinding({ draft, stale }: DraftStatus, config: ResolvedConfig): Finding {
  const p = draft.provenance;
  return {
    kind: 'draft',
    severity: 'warning',
    bug: p.bug,
    file: p.patch,
    message: `${p.patch} has a draft waiting for review (${relativeToRoot(config, draft.file)}): ${describeDraft(p)}${stale ? '; the draft is stale (its patch or reference changed since)' : ''}`,
    fix: stale ? `bug-author refresh-patch ${shellQuote(p.patch)}` : `review it (bug-author build --review review.md shows old and new), then: bug-author refresh-patch --accept ${shellQuote(p.patch)}`,
  };
}

function removedPart(files: string[], config: ResolvedConfig): { tempFilesRemoved?: string[] } {
  return files.length ? { tempFilesRemoved: files.map((f) => relativeToRoot(config, f)) } : {};
}

/** Files changed since the ref; a changed config file means every bug is in scope (undefined). */
async function changedFiles(config: ResolvedConfig, repo: GitRepository, ref: string, staged: boolean): Promise<ReadonlySet<string> | undefined> {
  if (/\.\.\.?/.test(ref)) {
    const base = ref.split(/\.\.\.?/)[0] || 'HEAD';
    throw new UsageError(`check: --since takes one commit, what the working tree (or index) is compared with, not a range like ${ref}; e.g. --since ${base}`);
  }
  const commit = await resolveCommit(repo, ref);
  if (!commit) throw new UsageError(`check: --since ${ref}: no such commit in ${repo.topLevel}`);
  const changed = await filesChangedSince(repo, commit, staged);
  return config.file && changed.has(config.file) ? undefined : changed;
}


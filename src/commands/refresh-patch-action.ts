import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { createBuildEnvironment, type BuildEnvironment } from '../compile/build-environment.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { bugsForNamedPatches } from '../discover/named-patches.js';
import { InputError, UsageError } from '../errors.js';
import { readBugInputs } from '../inputs/read-bug-inputs.js';
import { applyLikeEngine } from '../patch/apply-file-patch.js';
import { parseUnifiedDiff } from '../patch/parse-unified-diff.js';
import { describePatchNote } from '../patch/patch-notes.js';
import { isFreshPatch, refreshPatchText } from '../patch/refresh-patch.js';
import { acceptDraft } from '../api/drafts.js';
import { draftNamed } from '../drafts/current-drafts.js';
import { builtInGenerators } from '../api/built-in-generators.js';
import { loadPatchReauthor } from '../api/load-reauthor.js';
import { describeDraft, listPatchDrafts, type PatchDraft } from '../drafts/patch-drafts.js';
import type { PatchReauthor } from '../contracts.js';
import { isRepairable, readStaleBug, repairBug } from '../repair/repair-bug.js';
import { UnsoundPlacementError, unsoundLenientPlacement } from '../prepare/lenient-placement.js';
import { describeSettledJson, formatLlmUsage } from '../repair/format-drafts.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { EXIT_FINDINGS, EXIT_OK, EXIT_USAGE, type CommandIO } from './command.js';
import { loadProject, type Project } from '../project/load-project.js';

import type { RefreshPatchArgs } from './refresh-patch-command.js';

export async function runRefreshPatchCommand({ options, positionals }: RefreshPatchArgs, io: CommandIO): Promise<number> {
  const project = await loadProject(io, { config: options.config, cwd: options.cwd });
  const { config, cwd } = project;
  const known = await discoverBugs(config);
  if (options.accept?.length || options['accept-all']) {
    if (positionals.length) throw new UsageError('refresh-patch: --accept and --accept-all take bugs, not patch files to refresh');
    return acceptDrafts(project, known, options.accept ?? [], options['accept-all'] === true, options.force === true, io);
  }
  if (options.force) throw new UsageError('refresh-patch: --force goes with --accept or --accept-all');
  const bugs = positionals.length ? bugsForNamedPatches('refresh-patch', positionals, cwd, known, config) : known;
  if (bugs.length === 0) throw new UsageError(`refresh-patch: no patch found under ${config.root}`);

  let environment: Promise<BuildEnvironment> | undefined;
  const buildEnvironment = () =>
    (environment ??= createBuildEnvironment(config, {
      python: project.python,
      ...('judge' in project.engine ? { judge: project.engine.judge } : {}),
      env: project.env,
      bugs: known,
      noLlm: true,
      ...(io.signal ? { signal: io.signal } : {}),
      builtInGenerators,
    }));
  let reauthor: PatchReauthor | undefined;
  if (options.reauthor) {
    reauthor = await loadPatchReauthor(config, project.env);
    const availability = reauthor.available();
    if (!availability.ok) {
      io.stderr(`refresh-patch --reauthor: ${availability.reason}${availability.hint ? ` (${availability.hint})` : ''}\n`);
      return EXIT_USAGE;
    }
  }

  let failed = 0;
  let refreshed = 0;
  const unrepaired: string[] = [];
  /** Rotted patches changing no function today's reference defines: the LLM gets today's function, and there is none. */
  const noFunction: string[] = [];
  const drafted: PatchDraft[] = [];
  try {
    for (const bug of bugs) {
      if (io.signal?.aborted) break;
      const result = await refreshOne(bug, project, options, io, buildEnvironment, reauthor);
      if (result === 'failed') failed++;
      else if (result === 'unrepaired' || result === 'unrepaired-no-function') {
        failed++;
        (result === 'unrepaired' ? unrepaired : noFunction).push(relativeToRoot(config, bug.patchFile));
      } else if (result === 'refreshed') refreshed++;
      else if (result !== 'fresh') drafted.push(result);
    }
  } finally {
    if (environment) await (await environment).runner.close();
  }
  if (reauthor) io.stdout(`${formatLlmUsage(reauthor.usage())}\n`);
  if (refreshed > 0) io.stdout(`Run \`bug-author build\` to refresh the provenance of ${refreshed === 1 ? 'its JSON' : 'their JSON'} (the edit is unchanged).\n`);
  if (drafted.length > 0) {
    io.stdout(
      `${drafted.length} draft${drafted.length === 1 ? '' : 's'} written under ${relativeToRoot(config, path.join(config.root, '.bug-author', 'drafts'))}/ for review; ` +
        `accept one with \`bug-author refresh-patch --accept <bug>\` (or all with --accept-all), then run \`bug-author build\`.\n`,
    );
  }
  if (noFunction.length > 0) {
    const these = noFunction.length === 1 ? '1 rotted patch changes no function' : `${noFunction.length} rotted patches change no function`;
    io.stderr(`${these} today's reference defines (none named, or gone): correct the patch header if the code is in another file, else re-author ${noFunction.length === 1 ? 'it' : 'them'} by hand against today's reference:\n${noFunction.map((f) => `    ${f}\n`).join('')}`);
  }
  if (unrepaired.length > 0) {
    const these = unrepaired.length === 1 ? '1 rotted patch' : `${unrepaired.length} rotted patches`;
    io.stderr(
      reauthor
        ? `${these} could not be repaired (re-anchored or re-authored by the LLM): re-author ${unrepaired.length === 1 ? 'it' : 'them'} by hand against today's reference.\n`
        : `${these} could not be repaired offline: re-author ${unrepaired.length === 1 ? 'it' : 'them'} against today's reference, by hand or by the LLM (OPENAI_API_KEY set):\n    bug-author refresh-patch --reauthor ${unrepaired.join(' ')}\n`,
    );
  }
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

/** `unrepaired`: a rotted patch (its code gone verbatim) that no tier could draft a repair of; `-no-function`: the function it names is gone too. */
type RefreshResult = 'fresh' | 'refreshed' | 'failed' | 'unrepaired' | 'unrepaired-no-function' | PatchDraft;

async function refreshOne(
  bug: BugRef,
  project: Project,
  options: RefreshPatchArgs['options'],
  io: CommandIO,
  buildEnvironment: () => Promise<BuildEnvironment>,
  reauthor: PatchReauthor | undefined,
): Promise<RefreshResult> {
  const { config } = project;
  const file = bug.patchFile;
  const label = relativeToRoot(config, file);
  try {
    const inputs = await readBugInputs(bug, config);
    if (!inputs.referenceFile && inputs.patchNotes.length === 0) {
      // Snippet mode with nothing read leniently: there is nothing to refresh, and nothing to refresh it against.
      io.stdout(`= ${label}: nothing to refresh (no reference file: verified against its hunks alone); left alone\n`);
      return 'fresh';
    }
    if (!inputs.referenceFile) {
      throw new InputError('reference-missing', file, `${inputs.snippetReason ?? 'its reference file was not found'}; a patch can only be refreshed against its reference`);
    }
    if (isFreshPatch(inputs.patchText, inputs.referenceText, file)) {
      io.stdout(`= ${label}: already applies exactly; left alone\n`);
      return 'fresh';
    }
    const patch = parseUnifiedDiff(inputs.patchText, file);
    const unsound = await unsoundLenientPlacement(inputs, patch, await buildEnvironment());
    if (unsound) throw unsound;
    const text = refreshPatchText(inputs.patchText, patch, inputs.referenceText, inputs.patchedText);
    // The new patch must make exactly the same program, the way the engine would apply it.
    const check = applyLikeEngine(inputs.referenceText, parseUnifiedDiff(text, file, 'patch'), file, relativeToRoot(config, inputs.referenceFile));
    if (check.text !== inputs.patchedText) throw new Error(`refresh-patch: the refreshed ${label} does not reproduce the same edit (a bug-author defect); nothing written`);
    const why = inputs.patchNotes.map(describePatchNote);
    if (options['dry-run']) {
      io.stdout(`~ ${label} would be refreshed${why.length ? ` (${why.join('; ')})` : ''}:\n${text}\n`);
      return 'fresh';
    }
    if (options.backup) await copyFile(file, `${file}.orig`);
    await writeFileAtomic(file, text);
    io.stdout(`✔ ${label}: refreshed${why.length ? ` (${why.join('; ')})` : ' (offsets or fuzz)'}${options.backup ? `; the old one is ${label}.orig` : ''}\n`);
    return 'refreshed';
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    const where = relativeToRoot(config, path.resolve(config.root, err.file));
    const failure = (reasons: readonly string[] = [], result: 'failed' | 'unrepaired' | 'unrepaired-no-function' = 'failed') => {
      io.stderr(`✖ ${label}: ${where === label ? '' : `${where}: `}${err.line ? `line ${err.line}: ` : ''}${err.reason}\n`);
      for (const reason of reasons) io.stderr(`    ${reason}\n`);
      return result;
    };
    if (!isRepairable(err) || options['dry-run']) return failure();
    const env = await buildEnvironment();
    const stale = await readStaleBug(bug, env, err.reason);
    if (!stale) return failure();
    const repaired = await repairBug(stale, env, reauthor).catch((e: unknown) => {
      if (e instanceof InputError) return { status: 'failed' as const, reasons: [e.reason], reauthorable: undefined };
      throw e;
    });
    if (repaired.status === 'failed') return failure(repaired.reasons, repaired.reauthorable === false ? 'unrepaired-no-function' : 'unrepaired');
    const { draft } = repaired;
    const why = err instanceof UnsoundPlacementError ? 'applied as it is, its new code would read names today’s code renamed' : 'its removed code is gone verbatim';
    io.stdout(`✎ ${label}: ${why}; draft ${relativeToRoot(config, draft.file)}: ${describeDraft(draft.provenance)}\n`);
    for (const note of draft.provenance.notes) io.stdout(`    ${note}\n`);
    return draft;
  }
}

/** `--accept <bug>…` / `--accept-all`: each draft over its patch (its old hand-written JSON kept or retired), or the reason it was refused. */
async function acceptDrafts(project: Project, known: readonly BugRef[], names: readonly string[], all: boolean, force: boolean, io: CommandIO): Promise<number> {
  const { config, cwd } = project;
  const drafts = await listPatchDrafts(config.root);
  const chosen: PatchDraft[] = [];
  if (all) chosen.push(...drafts);
  for (const name of names) {
    const draft = draftNamed(drafts, name, cwd, config, known);
    if (!draft) throw new UsageError(`refresh-patch --accept ${name}: no draft for that bug (drafts: ${drafts.map((d) => d.provenance.bug).join(', ') || 'none'}); make one with \`bug-author refresh-patch\``);
    if (!chosen.includes(draft)) chosen.push(draft);
  }
  if (chosen.length === 0) {
    io.stdout('No drafts to accept.\n');
    return EXIT_OK;
  }
  let refused = 0;
  for (const draft of chosen) {
    const outcome = await acceptDraft({ cwd, env: io.env, ...(config.file ? { configFile: config.file } : {}), bug: path.resolve(config.root, draft.provenance.patch), force });
    if (outcome.accepted) {
      io.stdout(`✔ ${outcome.patch}: replaced by its draft (${describeDraft(draft.provenance)})\n`);
      const settled = describeSettledJson(outcome.json);
      if (settled) io.stdout(`    ${settled}\n`);
    } else {
      refused++;
      io.stderr(`✖ ${outcome.patch}: not accepted: ${outcome.reason}\n`);
    }
  }
  if (chosen.length > refused) io.stdout('Run `bug-author build` to compile the accepted patches.\n');
  return refused > 0 ? EXIT_FINDINGS : EXIT_OK;
}

import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import path from 'node:path';
import { lastBuildFailure } from '../cache/failure-record.js';
import { createContentCache } from '../cache/content-cache.js';
import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { readBugInputs } from '../inputs/read-bug-inputs.js';
import { configWithPatchOnly, lineToAdd, patchOnlyEntry } from '../layout/patch-only-config.js';
import { loadProject } from '../project/load-project.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { describeWriteError } from '../write/describe-write-error.js';
import { bugNamed } from './bug-details.js';
import type { ProjectRunOptions } from './run-options.js';

export interface AcceptPatchOnlyOptions extends Pick<ProjectRunOptions, 'cwd' | 'configFile' | 'env'> {
  /** The bug, by id (`<module>/<name>`) or patch file (relative to `cwd`). */
  bug: string;
  /** Why it is patch-only (default: why the last build could not express it in v2.1). */
  reason?: string;
}

export type AcceptPatchOnlyResult =
  /** `configFile` (absolute) now lists the patch in `patchOnly`; `created` when there was no config before. */
  | { accepted: true; bug: string; patch: string; configFile: string; created: boolean; entry: string }
  /** Nothing was changed: why, and (when the config is the obstacle) the exact line to add by hand. */
  | { accepted: false; bug: string; patch: string; reason: string; configFile?: string; line?: string };

/**
 * Accepts a bug as patch-only (served by the engine from its patch, not compiled): adds
 * `{ patch, reason }` to the config's `patchOnly`, or writes `bug-author.config.mjs` when the
 * project has no config. Written atomically, then loaded again: unless the bug is then
 * patch-only, the old text is put back. A config that cannot be edited safely (its patchOnly is
 * computed, there is no object literal to add to) is left alone, and the result says the line
 * to add. Refused too for a bug that has a JSON (the engine would pick either).
 */
export async function acceptPatchOnly(options: AcceptPatchOnlyOptions): Promise<AcceptPatchOnlyResult> {
  const location = { cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env };
  const { config, cwd } = await loadProject(location, { config: options.configFile });
  const bug = bugNamed(await discoverBugs(config), options.bug, cwd, config.root);
  const patch = relativeToRoot(config, bug.patchFile);
  const about = { bug: bug.id, patch };
  if (bug.patchOnly) return { accepted: false, ...about, reason: `${patch} is patch-only already` };
  if (existsSync(bug.outputFile)) {
    return { accepted: false, ...about, reason: `${relativeToRoot(config, bug.outputFile)} exists: beside a patch-only patch the engine would pick either at random; delete it (or move it away) first` };
  }
  const reason = options.reason?.trim() || (await lastInexpressibleReason(bug, config));
  const entry = patchOnlyEntry(patch, reason);
  const configFile = config.file ?? path.join(config.root, 'bug-author.config.mjs');
  const label = relativeToRoot(config, configFile);
  const before = config.file ? await readFile(config.file, 'utf8') : undefined;
  const byHand = (why: string) => ({ accepted: false as const, ...about, configFile, line: lineToAdd(before, entry), reason: `${label} ${why}; add this line to it by hand: ${lineToAdd(before, entry)}` });
  const planned = configWithPatchOnly(before, entry);
  if ('refused' in planned) return byHand(`cannot be edited safely (${planned.refused})`);
  try {
    await writeFileAtomic(configFile, planned.text);
  } catch (err) {
    return byHand(`cannot be written (${describeWriteError(err)})`);
  }
  const after = await patchOnlyAfterEdit(location.cwd, options.configFile, bug);
  if (after !== true) {
    if (before === undefined) await rm(configFile, { force: true });
    else await writeFileAtomic(configFile, before);
    return byHand(`was put back as it was: edited, it ${after}`);
  }
  return { accepted: true, ...about, configFile, created: before === undefined, entry };
}

/** Whether the config as it is now makes the bug patch-only: `true`, or what went wrong. */
async function patchOnlyAfterEdit(cwd: string, configFile: string | undefined, bug: BugRef): Promise<true | string> {
  try {
    const config = await loadConfig({ cwd, ...(configFile ? { configFile } : {}) });
    const again = (await discoverBugs(config)).find((b) => b.patchFile === bug.patchFile);
    return again?.patchOnly ? true : 'did not make the bug patch-only';
  } catch (err) {
    return `could not be loaded (${err instanceof Error ? err.message : String(err)})`;
  }
}

/** Why the last build of the bug's current inputs found v2.1 cannot express it, without the generator's name. */
async function lastInexpressibleReason(bug: BugRef, config: ResolvedConfig): Promise<string | undefined> {
  try {
    const inputs = await readBugInputs(bug, config);
    const failure = await lastBuildFailure(createContentCache(config.cacheDir), inputs.inputHash);
    return failure?.inexpressible ? failure.reason.replace(/^[\w.@/-]+: /, '') : undefined;
  } catch {
    return undefined;
  }
}

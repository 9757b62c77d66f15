import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { workingTreeFiles } from '../inputs/project-files.js';
import { applyPatchOnlyBug } from '../inputs/read-patch-only.js';
import type { BugOutcome } from './bug-outcome.js';
import { inputFailure } from './input-failure.js';

/**
 * A patch-only bug is not compiled: the build only proves the engine can serve it (its patch
 * applies to the reference as GNU patch applies it) and that no JSON competes with it.
 */
export async function patchOnlyOutcome(bug: BugRef, config: ResolvedConfig): Promise<Omit<BugOutcome, 'bug' | 'ms'>> {
  try {
    const result = await applyPatchOnlyBug(bug, config);
    if (await workingTreeFiles.isFile(bug.outputFile)) {
      const json = relativeToRoot(config, bug.outputFile);
      return {
        status: 'failed',
        written: false,
        reason: `patch-only, yet ${json} exists too: the engine picks either file at random`,
        hint: `delete ${json}, or take ${relativeToRoot(config, bug.patchFile)} out of patchOnly`,
        inputFile: bug.outputFile,
        needsAuthoring: false,
      };
    }
    const fuzz = Math.max(0, ...result.fuzz);
    const notes = [...result.notes, ...(fuzz > 0 ? [`patch needs fuzz ${fuzz} (context lines differ); refresh it with \`bug-author refresh-patch\``] : [])];
    return { status: 'patch-only', generator: 'patch', written: false, ...(bug.patchOnly?.reason ? { reason: bug.patchOnly.reason } : {}), ...(notes.length ? { patchNotes: notes } : {}) };
  } catch (err) {
    if (err instanceof InputError) return inputFailure(err, { config });
    throw err;
  }
}

import type { BuildEnvironment } from '../compile/build-environment.js';
import { InputError } from '../errors.js';
import type { BugInputs } from '../inputs/read-bug-inputs.js';
import type { FilePatch } from '../patch/parse-unified-diff.js';
import { describePatchNote, isStale } from '../patch/patch-notes.js';
import { prepareBugContext } from '../prepare/prepare-bug-context.js';
import { introducedUndefinedNames } from '../transfer/python-names.js';
import { namesOnlyAdded } from './repair-bug.js';

/** A leniently placed patch whose new code reads names today's code renamed: repaired like a rotted one. */
export class UnsoundPlacementError extends InputError {}

/**
 * A patch placed leniently (fuzz, whitespace, by its code) whose new code then reads a name nothing
 * defines today: the context lines that changed were its locals renamed, so refreshing it as it is
 * would write down another bug (a NameError). It is a rotted patch instead — re-anchoring renames
 * its new code — and this says why; undefined when the lenient placement is sound.
 */
export async function unsoundLenientPlacement(inputs: BugInputs, patch: FilePatch, env: Pick<BuildEnvironment, 'config' | 'python'>): Promise<UnsoundPlacementError | undefined> {
  if (!inputs.referenceFile || !isStale(inputs.patchNotes)) return undefined;
  const context = await prepareBugContext(inputs, env.config, env.python);
  const own = namesOnlyAdded(patch);
  const gone = introducedUndefinedNames(context.afterTree, context.beforeTree).filter((name) => !own.has(name));
  if (gone.length === 0) return undefined;
  const how = inputs.patchNotes.filter((n) => n.kind !== 'recounted').map(describePatchNote).join('; ');
  const names = gone.map((n) => `\`${n}\``).join(', ');
  return new UnsoundPlacementError(
    'does-not-apply',
    inputs.ref.patchFile,
    `it applies only leniently (${how}), and its new code then reads ${names}, which nothing defines in today's code: the context that changed renamed ${gone.length === 1 ? 'it' : 'them'}, so refreshing it as it is would make another bug`,
  );
}

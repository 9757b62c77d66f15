import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugContext } from '../contracts.js';
import { InputError } from '../errors.js';
import type { BugInputs } from '../inputs/read-bug-inputs.js';
import { hunkLinesOf } from '../patch/hunk-lines.js';
import type { FilePatch } from '../patch/parse-unified-diff.js';
import { describePatchNote, isStale } from '../patch/patch-notes.js';
import { tokenizeLines } from '../patch/python-tokens.js';
import type { PythonRuntime } from '../python/runtime.js';
import { introducedUndefinedNames } from '../transfer/python-names.js';
import { prepareBugContext } from './prepare-bug-context.js';

/** A leniently placed patch whose new code reads names today's code renamed: repaired like a rotted one. */
export class UnsoundPlacementError extends InputError {}

/**
 * A patch placed leniently (fuzz, whitespace, by its code) whose new code then reads a name nothing
 * defines today: the context lines that changed were its locals renamed, so refreshing it as it is
 * would write down another bug (a NameError). It is a rotted patch instead — re-anchoring renames
 * its new code — and this says why; undefined when the lenient placement is sound.
 */
export async function unsoundLenientPlacement(
  inputs: BugInputs,
  patch: FilePatch,
  env: { config: ResolvedConfig; python: PythonRuntime },
  bugContext: () => Promise<BugContext> = () => prepareBugContext(inputs, env.config, env.python),
): Promise<UnsoundPlacementError | undefined> {
  if (!inputs.referenceFile || !isStale(inputs.patchNotes)) return undefined;
  const context = await bugContext();
  const own = namesOnlyAdded(patch);
  const gone = introducedUndefinedNames(context.afterTree, context.beforeTree).filter((name) => !own.has(name));
  if (gone.length === 0) return undefined;
  const how = inputs.patchNotes.filter((n) => n.kind !== 'recounted').map(describePatchNote).join('; ');
  const names = gone.map((n) => `\`${n}\``).join(', ');
  return new UnsoundPlacementError(
    'does-not-apply',
    inputs.ref.patchFile,
    `it applies only leniently (${how}), and its new code then reads ${names}, which nothing defines in today's code: the context that changed renamed ${gone.length === 1 ? 'it' : 'them'}, so as it is the patch would make another bug (a NameError)`,
  );
}

/**
 * Names the old patch's added lines read that its removed and context lines (and hunk headings)
 * never do: names it brings in itself, such as the misspelling that is the bug. Any other name it
 * reads was the old code's, so it must still mean something in a draft.
 */
export function namesOnlyAdded(patch: FilePatch): Set<string> {
  const names = (texts: string[]) => new Set(tokenizeLines(texts).flatMap((line) => line.tokens.filter((t) => t.kind === 'name').map((t) => t.text)));
  const hunks = patch.structured.hunks.map((h, i) => ({ lines: hunkLinesOf(h), heading: patch.hunks[i]?.header ?? '' }));
  const added = names(hunks.flatMap((h) => h.lines.filter((l) => l.op === '+').map((l) => l.text)));
  const old = names(hunks.flatMap((h) => [h.heading.replace(/^@@.*?@@/, ''), ...h.lines.filter((l) => l.op !== '+').map((l) => l.text)]));
  return new Set([...added].filter((name) => !old.has(name)));
}

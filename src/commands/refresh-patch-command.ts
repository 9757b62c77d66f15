import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { projectOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  backup: { type: 'boolean', description: 'keep the old patch as <patch>.orig' },
  'dry-run': { type: 'boolean', description: 'print the refreshed patches instead of writing them' },
  reauthor: { type: 'boolean', description: 'when re-anchoring finds nothing, ask the LLM to re-author the patch (needs OPENAI_API_KEY; verified, cached)' },
  accept: { type: 'string', valueHint: 'bug', multiple: true, description: 'move the draft of this bug (its patch path, or <module>/<name>) over its patch' },
  'accept-all': { type: 'boolean', description: 'move every current draft over its patch' },
  force: { type: 'boolean', description: 'with --accept: replace a patch (and retire its old hand-written JSON) even when git does not hold its current text' },
  ...projectOptions,
} as const satisfies OptionSpecs;

export type RefreshPatchArgs = ParsedArgs<typeof options>;

export const refreshPatchCommand = defineCommand({
  name: 'refresh-patch',
  summary: 'rewrite stale patches against the current reference; draft repairs of rotted ones (--reauthor, --accept)',
  description: `Rewrites each patch (every patch of the project when none is named) against its current
reference: the same edit, with fresh context lines, line numbers and hunk counts, so it applies
exactly again (also with GNU patch, as the engine's legacy path applies it). A patch that already
applies exactly is left alone. Each file is written atomically; the old one is kept only with --backup.

When the code a patch removes no longer exists verbatim, the patch has rotted, and repairs are
proposed as drafts under .bug-author/drafts/ (never written over the patch):
  1. re-anchoring (offline): the removed code is looked for in the function the hunk names (else in
     the file) up to formatting (quotes, line breaks, comments, docstring context) and then up to a
     consistent renaming of that function's locals and arguments; the same edit is made there;
  2. with --reauthor, re-authoring by the LLM from the symptom, the old patch and today's function.
A draft is offered only verified: it applies cleanly, changes only the old patch's functions, is
not a no-op, and compiles to an exact definition (transfer measured) or is a patch-only candidate.
\`--accept <bug>\` / \`--accept-all\` then move drafts over their patches (refused when git does not
hold the patch's current text, unless --force); the next \`bug-author build\` compiles them.
A hand-written JSON beside the patch, made for the old one, is kept if it still injects the
accepted patch exactly (and nothing else into student-style code), else retired: moved to
.bug-author/retired/ (under the same rule as the patch: git holds its text, unless --force).

A refreshed patch makes its JSON stale in name only: run \`bug-author build\` to refresh the
JSON's provenance (the edit is the same, so it still verifies).`,
  positionals: [{ name: 'patch', variadic: true, description: 'the patch files to refresh (default: every patch)' }],
  options,
  exitCodes: { 0: 'every patch fresh, refreshed, drafted or accepted', 1: 'some patch could not be refreshed, repaired or accepted', 2: 'usage or configuration error' },
  run: async (args, io) => (await import('./refresh-patch-action.js')).runRefreshPatchCommand(args, io),
});

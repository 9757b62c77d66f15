import type { OptionSpecs, ParsedArgs } from './command-spec.js';
import { projectOptions } from './common-options.js';
import { defineCommand } from './define-command.js';

const options = {
  port: { type: 'string', valueHint: 'n', description: 'listen on this port (default: a free one)' },
  ...projectOptions,
} as const satisfies OptionSpecs;

export type ReviewArgs = ParsedArgs<typeof options>;

export const reviewCommand = defineCommand({
  name: 'review',
  summary: 'review every definition in a local web page, and record the reviews in the JSON',
  description: `Serves the review studio on 127.0.0.1 and prints its URL (with a random token) as the first
line: per bug the verdict, transfer to student-style code, the patch, the symptom, the JSON and
what it injects into the reference and into any student-style variant; filters, keyboard
navigation (j/k, enter, a to approve) and a try-it box for real student files. A review (the
migration guide's four questions and a note) is recorded in the JSON's provenance with the
output hash it applies to and the reviewer (git user.name); \`check --require-review\` then
fails on anything unreviewed or changed since. The page follows every save live. Without the
token every request is refused. \`bug-author watch --ui\` serves the same page while it builds.
Ctrl-C (or SIGTERM) stops it.`,
  options,
  exitCodes: { 0: 'stopped cleanly', 2: 'usage or configuration error, or the port is taken' },
  run: async (args, io) => (await import('./review-action.js')).runReviewCommand(args, io),
});

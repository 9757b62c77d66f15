import path from 'node:path';
import { build } from '../api/build.js';
import { formatRunNotice } from '../report/format-notices.js';
import { formatReviewReport } from '../report/format-review-report.js';
import { terminalReporter } from './terminal-reporter.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { formatDraftList, formatDraftReview } from '../repair/format-drafts.js';
import type { BuildArgs } from './build-command.js';
import { commandCwd, type CommandIO } from './command.js';
import { cliReporters, concurrencyOption, llmTimeoutMs } from './run-options.js';

/** `bug-author build`: the public build() with the terminal reporter (and --reporter's), then the drafts and the review document. */
export async function runBuildCommand({ options, positionals }: BuildArgs, io: CommandIO): Promise<number> {
  const extraReporters = await cliReporters('build', options, io);
  const concurrency = concurrencyOption('build', options.concurrency);
  const timeoutMs = llmTimeoutMs('build', options['llm-timeout']);
  const verbose = options.verbose === true;
  const noLlm = options.llm === false;
  const base = commandCwd(io, options.cwd);
  const result = await build({
    cwd: base,
    ...(options.config ? { configFile: options.config } : {}),
    env: io.env,
    ...(io.signal ? { signal: io.signal } : {}),
    reporters: [terminalReporter({ stdout: io.stdout, stderr: io.stderr, cwd: io.cwd, quiet: options.quiet === true, verbose, noLlm }), ...extraReporters],
    // Repair's progress lines belong with the build's lines; everything else is a notice on stderr.
    onNotice: (notice) => (notice.kind === 'repair' ? io.stdout : io.stderr)(`${formatRunNotice(notice, 'build')}\n`),
    patches: positionals,
    force: options.force === true,
    noLlm,
    ...(concurrency !== undefined ? { concurrency } : {}),
    ...(timeoutMs !== undefined ? { llmTimeoutMs: timeoutMs } : {}),
    verbose,
  });
  if (result.outcomes.length === 0) return result.exitCode;
  if (verbose) io.stderr(`${result.pythonReport.join('\n')}\n`);
  const draftLines = formatDraftList(result.drafts.map((d) => d.draft), new Set(result.drafts.filter((d) => d.stale).map((d) => d.draft)));
  if (draftLines.length && options.quiet !== true) io.stdout(`${draftLines.join('\n')}\n`);
  if (options.review) {
    const reviewFile = path.resolve(base, options.review);
    await writeFileAtomic(reviewFile, (await formatReviewReport(result, result.root)) + formatDraftReview(result.drafts));
    io.stdout(`Review document: ${path.relative(io.cwd, reviewFile) || reviewFile}\n`);
  }
  return result.exitCode;
}

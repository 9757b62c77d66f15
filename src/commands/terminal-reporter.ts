import path from 'node:path';
import { formatGithub, formatJson, formatText } from '../check/format-findings.js';
import { formatNotice, formatReadyLines, formatWatchOutcome } from '../watch/format-watch-report.js';
import type { Reporter } from '../contracts.js';
import { formatBuildSummary, formatOutcomeLine } from '../report/format-build-report.js';

export type CheckFormat = 'text' | 'github' | 'json';

export interface TerminalOptions {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Paths in notices are shown relative to this directory. */
  cwd: string;
  /** Only failures and the summary (build), only changes and failures (watch). */
  quiet?: boolean;
  /** Stacks of what plugins threw, under the bug's line. */
  verbose?: boolean;
  /** `--no-llm` was given: the summary says the LLM was skipped. */
  noLlm?: boolean;
  /** check's `--format`. */
  format?: CheckFormat;
  /** check `--format github`: annotation paths are relative to the workspace. */
  workspace?: string;
}

/** The CLI's own output, as a reporter: one line per bug, the summary, watch notices, check's report. */
export function terminalReporter(options: TerminalOptions): Reporter {
  const { stdout, stderr } = options;
  let total = 0;
  let finished = 0;
  let root = options.cwd;
  const withStack = (line: string, stack: string | undefined) => (options.verbose && stack ? `${line}\n${indent(stack)}` : line);
  return {
    name: 'terminal',
    onRunStart(run) {
      total = run.bugs.length;
      finished = 0;
      root = run.root;
      if (run.command === 'build') {
        const config = run.configFile ? ` (config ${path.relative(run.root, run.configFile)})` : '';
        stdout(`Building ${total} bug${total === 1 ? '' : 's'} in ${run.root}${config}\n`);
      }
    },
    onBugDone(done) {
      if (done.command === 'build') {
        finished++;
        if (options.quiet && done.outcome.status !== 'failed') return;
        stdout(`[${String(finished).padStart(String(total).length)}/${total}] ${withStack(formatOutcomeLine(done.outcome), done.outcome.stack)}\n`);
      } else if (done.command === 'watch') {
        const line = formatWatchOutcome(done, { quiet: options.quiet === true });
        if (line) stdout(`${withStack(line, done.outcome.stack)}\n`);
      }
    },
    onWatchEvent(event) {
      if (event.kind === 'ready') {
        if (!event.cancelled) stdout(`${formatReadyLines(event)}\n`);
        return;
      }
      // Which Python started, and why, and JSON changed by someone else are for --verbose.
      if ((event.kind === 'python-started' || event.kind === 'output-changed') && !options.verbose) return;
      const { text, error } = formatNotice(event, options.cwd);
      (error ? stderr : stdout)(`${text}\n`);
    },
    onRunEnd(end) {
      if (end.command === 'build') {
        stdout(`${formatBuildSummary(end.run, { llmSkipped: options.noLlm === true, root })}\n`);
        if (end.interrupted) stderr('Interrupted: bugs still in progress were not written; finished ones were.\n');
      } else if (end.command === 'check') {
        const format = options.format ?? 'text';
        stdout(
          format === 'json'
            ? formatJson(end.report)
            : format === 'github'
              ? formatGithub(end.report, { root, workspace: options.workspace ?? options.cwd })
              : formatText(end.report),
        );
      } else {
        stdout('bug-author watch: stopped\n');
      }
    },
  };
}

function indent(text: string): string {
  return text
    .trimEnd()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

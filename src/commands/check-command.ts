import path from 'node:path';
import { createContentCache } from '../cache/content-cache.js';
import { collectFindings } from '../check/collect-findings.js';
import { countBySeverity } from '../check/finding.js';
import { formatGithub, formatJson, formatText } from '../check/format-findings.js';
import { UsageError } from '../errors.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { EXIT_FINDINGS, EXIT_OK, type Command } from './command.js';
import { parseCommandArgs } from './parse-command-args.js';
import { loadProject } from './project-context.js';

const FORMATS = ['text', 'github', 'json'];

export const checkCommand: Command = {
  name: 'check',
  summary: 'fail when any JSON is missing, stale, invalid or does not verify (CI, pre-commit)',
  usage: `Usage: bug-author check [options]

Checks every bug's JSON without writing anything: missing, stale (inputs changed since it was
generated), hand-edited, schema-invalid, not verifying against the reference and patch,
orphan JSON, JSON git does not track (with --staged, or when CI=true), and broken inputs.
Unchanged bugs cost a hash: verdicts are cached, so a check with nothing new needs no Python.

Options:
  --staged            judge the staged versions (the git index): for a pre-commit hook
  --since <ref>       only bugs whose patch, symptom, reference or JSON changed since <ref>
  --format <f>        text (default), github (workflow annotations) or json
  --config <file>     use this config file instead of searching upwards
  --cwd <dir>         run as if started in <dir>
  --verbose           also say which Python served (CPython or pyodide, and why) and what the engine judge did
  -h, --help          show this help

Exit codes: 0 no errors (warnings allowed), 1 errors found, 2 usage or configuration error.`,
  async run(args, io) {
    const { values } = parseCommandArgs(
      'check',
      args,
      {
        staged: { type: 'boolean' },
        since: { type: 'string' },
        format: { type: 'string', default: 'text' },
        config: { type: 'string' },
        cwd: { type: 'string' },
        verbose: { type: 'boolean' },
      },
      false,
    );
    if (values.help) {
      io.stdout(`${this.usage}\n`);
      return EXIT_OK;
    }
    const format = values.format ?? 'text';
    if (!FORMATS.includes(format)) throw new UsageError(`check: --format must be one of ${FORMATS.join(', ')} (got ${format})`);
    if (values.since === '') throw new UsageError('check: --since needs a git ref, e.g. --since origin/main');

    const { config, python, engine } = await loadProject(io, { config: values.config, cwd: values.cwd });
    const report = await collectFindings(
      config,
      { staged: values.staged === true, ...(values.since !== undefined ? { since: values.since } : {}), ci: isCi(io.env) },
      { python, cache: createContentCache(config.cacheDir), ...('judge' in engine ? { judge: engine.judge } : {}) },
    );
    const text =
      format === 'json'
        ? formatJson(report)
        : format === 'github'
          ? formatGithub(report, { root: config.root, workspace: io.env.GITHUB_WORKSPACE ?? path.resolve(io.cwd) })
          : formatText(report);
    io.stdout(text);
    if (values.verbose) io.stderr(`${formatPythonVerbose(python, engine).join('\n')}\n`);
    return countBySeverity(report.findings).errors > 0 ? EXIT_FINDINGS : EXIT_OK;
  },
};

function isCi(env: NodeJS.ProcessEnv): boolean {
  const value = env.CI?.toLowerCase();
  return value !== undefined && value !== '' && value !== 'false' && value !== '0';
}

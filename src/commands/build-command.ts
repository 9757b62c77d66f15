import { existsSync } from 'node:fs';
import path from 'node:path';
import { runBuild } from '../build/run-build.js';
import { createBuildEnvironment } from '../build/build-environment.js';
import { bugRefFor } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { UsageError } from '../errors.js';
import { formatBuildSummary, formatOutcomeLine } from '../report/format-build-report.js';
import { formatPythonVerbose } from '../report/format-python-report.js';
import { formatReviewReport } from '../report/format-review-report.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { EXIT_FINDINGS, EXIT_INTERRUPTED, EXIT_OK, type Command } from './command.js';
import { parseCommandArgs } from './parse-command-args.js';
import { loadProject } from './project-context.js';

export const buildCommand: Command = {
  name: 'build',
  summary: 'compile patches into verified v2.1 JSON bug definitions',
  usage: `Usage: bug-author build [patch ...] [options]

Compiles every patch the config finds (or only the patches named) into <bug>.json,
verified against the patched reference. Unchanged inputs are not rebuilt.

Options:
  --force             overwrite hand-written or hand-edited JSON
  --no-llm            do not use the LLM generator (synthesis only)
  --concurrency <n>   bugs processed at once (default: config, 4)
  --config <file>     use this config file instead of searching upwards
  --cwd <dir>         run as if started in <dir>
  --review <file.md>  also write the migration guide's review document (summary + one entry per bug)
  -q, --quiet         print only failures and the summary
  --verbose           also say which Python served (CPython or pyodide, and why) and what the engine judge did
  -h, --help          show this help

Exit codes: 0 all built, 1 some bugs failed, 2 usage or configuration error.`,
  async run(args, io) {
    const { values, positionals } = parseCommandArgs('build', args, {
      force: { type: 'boolean' },
      llm: { type: 'boolean', default: true },
      concurrency: { type: 'string' },
      config: { type: 'string' },
      cwd: { type: 'string' },
      quiet: { type: 'boolean', short: 'q' },
      review: { type: 'string' },
      verbose: { type: 'boolean' },
    });
    if (values.help) {
      io.stdout(`${this.usage}\n`);
      return EXIT_OK;
    }
    const { config: loaded, env, python, engine } = await loadProject(io, { config: values.config, cwd: values.cwd });
    let config = loaded;
    if (values.concurrency !== undefined) {
      const n = Number(values.concurrency);
      if (!Number.isInteger(n) || n < 1) throw new UsageError(`build: --concurrency must be a positive integer (got ${values.concurrency})`);
      config = { ...config, concurrency: n };
    }
    const base = path.resolve(io.cwd, values.cwd ?? '.');
    const allBugs = await discoverBugs(config);
    const bugs = positionals.length
      ? positionals.map((p) => {
          const file = path.resolve(base, p);
          if (!existsSync(file)) throw new UsageError(`build: ${p}: no such patch file`);
          return allBugs.find((b) => b.patchFile === file) ?? bugRefFor(file, config);
        })
      : allBugs;
    if (bugs.length === 0) {
      io.stderr(`No patches found under ${config.root} matching ${config.bugs.join(', ')}.\n`);
      return EXIT_OK;
    }
    const noLlm = values.llm === false;
    const buildEnvironment = await createBuildEnvironment(config, {
      python,
      ...('judge' in engine ? { judge: engine.judge } : {}),
      env,
      bugs: allBugs,
      noLlm,
      force: values.force === true,
      ...(io.signal ? { signal: io.signal } : {}),
    });
    io.stdout(`Building ${bugs.length} bug${bugs.length === 1 ? '' : 's'} in ${config.root}${config.file ? ` (config ${path.relative(config.root, config.file)})` : ''}\n`);
    let finished = 0;
    const run = await runBuild(bugs, buildEnvironment, (outcome) => {
      finished++;
      if (!values.quiet || outcome.status === 'failed') {
        io.stdout(`[${String(finished).padStart(String(bugs.length).length)}/${bugs.length}] ${formatOutcomeLine(outcome)}\n`);
      }
    });
    io.stdout(`${formatBuildSummary(run, { llmSkipped: noLlm })}\n`);
    if (values.verbose) io.stderr(`${formatPythonVerbose(python, engine).join('\n')}\n`);
    if (values.review) {
      const reviewFile = path.resolve(base, values.review);
      await writeFileAtomic(reviewFile, await formatReviewReport(run, config.root));
      io.stdout(`Review document: ${path.relative(io.cwd, reviewFile) || reviewFile}\n`);
    }
    if (io.signal?.aborted) {
      io.stderr('Interrupted: bugs still in progress were not written; finished ones were.\n');
      return EXIT_INTERRUPTED;
    }
    return run.outcomes.some((o) => o.status === 'failed') ? EXIT_FINDINGS : EXIT_OK;
  },
};

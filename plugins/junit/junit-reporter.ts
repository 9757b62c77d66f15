import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Builder } from 'junit-report-builder';
import type { BugDone, Reporter, ReportingCommand } from '../../src/plugin-kit.js';
import { writeFileAtomic } from '../../src/plugin-kit.js';
import { describeReviewState, reviewStateOf } from '../../src/plugin-kit.js';

export interface JUnitReporterOptions {
  /** Where the XML goes; relative paths resolve against the project root. */
  outputFile: string;
  /** The test suite's name (default `bug-author <command>`). */
  suiteName?: string;
}

/**
 * JUnit XML, as GitLab, Jenkins and GitHub test-report actions read it: one test case per bug
 * (class name: the bug's course and module folder), a failure carrying the reason. In `watch`
 * the file is rewritten after the initial pass and after every rebuilt bug.
 */
export function junitReporter(options: JUnitReporterOptions): Reporter {
  if (!options || typeof options.outputFile !== 'string' || !options.outputFile) throw new TypeError('junitReporter: outputFile is required');
  let command: ReportingCommand = 'build';
  let root = process.cwd();
  let verbose = false;
  let started = new Date();
  let watching = false;
  const latest = new Map<string, { done: BugDone; review: string | undefined }>();
  const file = () => path.resolve(root, options.outputFile);
  const write = () => writeFileAtomic(file(), renderXml([...latest.values()], { name: options.suiteName ?? `bug-author ${command}`, root, verbose, started }));
  return {
    name: 'junit',
    onRunStart(run) {
      ({ command, root, verbose } = run);
      started = new Date();
      watching = false;
      latest.clear();
    },
    async onBugDone(done) {
      latest.set(done.bug.patchFile, { done, review: await reviewOf(done) });
      if (watching) await write();
    },
    async onWatchEvent(event) {
      if (event.kind === 'ready') {
        watching = true;
        await write();
      } else if (event.kind === 'orphan') {
        latest.delete(event.patchFile);
        await write();
      }
    },
    async onRunEnd() {
      await write();
    },
  };
}

function renderXml(results: ReadonlyArray<{ done: BugDone; review: string | undefined }>, suite: { name: string; root: string; verbose: boolean; started: Date }): string {
  // A CommonJS module whose export *is* the default builder (its typings say otherwise).
  const builder = (createRequire(import.meta.url)('junit-report-builder') as Builder).newBuilder();
  const testSuite = builder.testSuite().name(suite.name).timestamp(suite.started);
  for (const { done, review } of [...results].sort((a, b) => a.done.bug.id.localeCompare(b.done.bug.id) || a.done.bug.patchFile.localeCompare(b.done.bug.patchFile))) {
    const patch = path.relative(suite.root, done.bug.patchFile).split(path.sep).join('/');
    const testCase = testSuite.testCase().className(classNameOf(patch)).name(done.bug.id).file(patch);
    if (review) testCase.property('review', review);
    if (done.command === 'check') {
      const errors = done.findings.filter((f) => f.severity === 'error');
      if (errors.length) testCase.failure(errors.map((f) => `${f.kind}: ${f.message}`).join('; '), errors[0]!.kind).stacktrace(errors.map((f) => `${f.kind}: ${f.message}\nfix: ${f.fix}${f.detail ? `\n${f.detail}` : ''}`).join('\n\n'));
      const warnings = done.findings.filter((f) => f.severity === 'warning');
      const lines = [...warnings.map((f) => `warning ${f.kind}: ${f.message}`), ...(review ? [`review: ${review}`] : [])];
      if (lines.length) testCase.standardOutput(lines.join('\n'));
      continue;
    }
    const { outcome } = done;
    testCase.time(outcome.ms / 1000);
    if (outcome.status === 'failed') {
      const reason = outcome.reason ?? 'failed';
      const details = [reason, ...(outcome.hint ? [`hint: ${outcome.hint}`] : []), ...(outcome.diff ? [outcome.diff] : []), ...(suite.verbose && outcome.stack ? [outcome.stack] : [])];
      testCase.failure(reason, outcome.verdict ?? 'failed').stacktrace(details.join('\n'));
    } else {
      const notes = [outcome.status, outcome.generator, outcome.verdict, outcome.reason, review ? `review: ${review}` : ''].filter(Boolean);
      testCase.standardOutput(notes.join(' · '));
    }
  }
  return builder.build();
}

/**
 * The JSON's review (`approved by Ada on 2025-01-02`, `unreviewed`, `review stale (…)`) when the bug
 * is done; none without a readable JSON. check's own review finding says it best: it compared the
 * review with the bug's current inputs, which the JSON alone does not know.
 */
async function reviewOf(done: BugDone): Promise<string | undefined> {
  const checked = done.command === 'check' ? done.findings.find((f) => f.review !== undefined) : undefined;
  if (checked) return checked.review;
  try {
    return describeReviewState(reviewStateOf(JSON.parse(await readFile(done.bug.outputFile, 'utf8'))));
  } catch {
    return undefined;
  }
}

/** `curricula/cs336_a1/modules/softmax/bugs/x.patch` → `cs336_a1.softmax`: what test viewers group by. */
function classNameOf(patch: string): string {
  const parts = patch.split('/');
  const bugs = parts.lastIndexOf('bugs');
  const module = bugs > 0 ? parts[bugs - 1]! : parts.at(-2) ?? 'bugs';
  const course = parts[0] === 'curricula' && parts.length > 2 ? `${parts[1]}.` : '';
  return `${course}${module}`;
}

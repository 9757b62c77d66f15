import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { parse, type TestCase, type TestSuites } from 'junit2json';
import { exampleCurriculum, runInProcess, sharedCorpus, writableCopy } from '../../support/cli-run.js';

// The JUnit XML is read back with junit2json (xml2js underneath), as a CI test-report viewer would.

const failuresOf = (cases: TestCase[]) => cases.filter((c) => c.failure?.length);

test('build --reporter junit --output-file: one test case per bug of the shared corpus, failures with the reason', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = writableCopy(sharedCorpus);
  const result = await runInProcess(['build', '--reporter', 'junit', '--output-file', 'r.xml'], root);
  assert.equal(result.code, 1, 'bugs needing the LLM fail without a key');
  assert.match(result.stdout, /BUILD SUMMARY/, 'the terminal output still runs');
  const report = (await parse(readFileSync(path.join(root, 'r.xml'), 'utf8'))) as TestSuites;
  const suite = report.testsuite![0]!;
  const cases = suite.testcase ?? [];
  assert.equal(cases.length, 21);
  assert.equal(suite.tests, 21);
  assert.equal(new Set(cases.map((c) => c.name)).size, 21);
  const failedLines = (result.stdout.match(/^\[[ \d]+\/21\] ✖ (\S+)/gm) ?? []).map((l) => l.split(' ').at(-1));
  const failed = failuresOf(cases);
  assert.ok(failed.length >= 1);
  assert.equal(suite.failures, failed.length);
  assert.deepEqual(failed.map((c) => c.name).sort(), failedLines.sort());
  for (const c of failed) {
    assert.match(c.failure![0]!.message ?? '', /OPENAI_API_KEY is not set/, `${c.name} carries its reason`);
    assert.match(result.stdout, new RegExp(`${c.name!.replace('/', '\\/')}: .*OPENAI_API_KEY is not set`));
  }
  const linear = cases.find((c) => c.name === 'linear/missing_transpose')!;
  assert.equal(linear.classname, 'cs336_a1.linear');
  assert.ok((linear.time ?? -1) >= 0);
});

test('check --reporter junit: one test case per bug, error findings as failures', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = writableCopy(sharedCorpus);
  const result = await runInProcess(['check', '--reporter', 'junit', '--output-file', 'reports/check.xml'], root);
  assert.equal(result.code, 1, result.stdout);
  const report = (await parse(readFileSync(path.join(root, 'reports', 'check.xml'), 'utf8'))) as TestSuites;
  const cases = report.testsuite![0]!.testcase ?? [];
  assert.equal(cases.length, 21);
  const missing = failuresOf(cases).filter((c) => /^missing: /.test(c.failure![0]!.message ?? ''));
  assert.ok(missing.length >= 17, `every bug without JSON is a failure (${missing.length})`);
});

test('--reporter junit needs --output-file, and --output-file needs a file reporter (exit 2)', async () => {
  const root = writableCopy(exampleCurriculum);
  const noFile = await runInProcess(['build', '--reporter', 'junit'], root);
  assert.equal(noFile.code, 2);
  assert.match(noFile.stderr, /--reporter junit needs --output-file <file>/);
  const noReporter = await runInProcess(['check', '--output-file', 'x.xml'], root);
  assert.equal(noReporter.code, 2);
  const unknown = await runInProcess(['build', '--reporter', 'tap'], root);
  assert.equal(unknown.code, 2);
  assert.match(unknown.stderr, /--reporter must be one of default, junit \(got tap\)/);
});

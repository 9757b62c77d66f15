import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { exampleCurriculum, runChild, runInProcess, sharedCorpus, writableCopy } from '../support/cli-run.js';

// Plugins as a third party writes them, loaded from a user's config: whatever they do, the
// run goes on, and what they are (kind) decides how the run treats them.

const synthModule = JSON.stringify(pathToFileURL(path.join(packageRoot, 'plugins', 'synth', 'index.ts')).href);

/** The config: one generator, throwing for the linear bug. */
const FLAKY_CONFIG = `export default { generators: [{ name: 'flaky', async generate(bug) {
  if (bug.id.includes('linear')) throw new Error('boom');
  return { status: 'unsupported', reason: 'not mine' }; } }] };
`;

const lineOf = (stdout: string, bugId: string) => {
  const start = stdout.indexOf(` ${bugId} `);
  assert.ok(start >= 0, `no line for ${bugId}:\n${stdout}`);
  const lineStart = stdout.lastIndexOf('\n', start) + 1;
  const next = stdout.slice(start).search(/\n(?! {4})/);
  return stdout.slice(lineStart, next < 0 ? undefined : start + next);
};

const patchesOf = (root: string) => readdirSync(root, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.patch'));

test('a generator that throws fails only its bug, labelled with its name; the run goes on; the stack only with --verbose', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = writableCopy(sharedCorpus);
  writeFileSync(path.join(root, 'bug-author.config.mjs'), FLAKY_CONFIG);
  const result = await runInProcess(['build'], root);
  assert.equal(result.code, 1);
  assert.match(lineOf(result.stdout, 'linear/missing_transpose'), /✖ linear\/missing_transpose .*\n {4}flaky: boom$/);
  for (const patch of patchesOf(root)) {
    const id = `${patch.split(path.sep).at(-3)}/${path.basename(patch, '.patch')}`;
    if (id !== 'linear/missing_transpose') assert.doesNotMatch(lineOf(result.stdout, id), /boom/);
  }
  assert.match(result.stdout, /Total patches:  21/);
  assert.match(result.stdout, /✔ silu\/missing_multiply +manual +exact/, 'hand-written JSON is still verified and kept');
  assert.doesNotMatch(result.stdout + result.stderr, /^\s+at /m, 'no stack trace without --verbose');

  const verbose = await runInProcess(['build', '--verbose', 'curricula/cs336_a1/modules/linear/bugs/missing_transpose.patch'], root);
  assert.equal(verbose.code, 1);
  assert.match(verbose.stdout, /flaky: boom\n +Error: boom\n +at Object\.generate .*bug-author\.config\.mjs/);
});

test('kind decides, not the name: --no-llm skips every kind: llm generator and keeps a deterministic one named openai', async () => {
  const root = writableCopy(exampleCurriculum);
  const log = path.join(root, 'calls.log');
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { appendFileSync } from 'node:fs';
import { synthGenerator } from ${synthModule};
const note = (line) => appendFileSync(${JSON.stringify(log)}, line + '\\n');
export default { generators: [
  { name: 'my-gpt', kind: 'llm', async generate(bug) { note('my-gpt ' + bug.id); return { status: 'unsupported', reason: 'asked' }; } },
  { name: 'openai', kind: 'deterministic', async generate(bug) { note('openai ' + bug.id); return { status: 'unsupported', reason: 'not really an LLM' }; } },
  synthGenerator(),
] };
`,
  );
  const offline = await runInProcess(['build', '--no-llm'], root);
  assert.equal(offline.code, 0, offline.stdout);
  const calls = readFileSync(log, 'utf8');
  assert.doesNotMatch(calls, /my-gpt/);
  assert.equal((calls.match(/^openai /gm) ?? []).length, patchesOf(root).length);

  rmSync(log);
  for (const patch of patchesOf(root)) rmSync(path.join(root, patch.replace(/\.patch$/, '.json')));
  const online = await runInProcess(['build', '--force'], root);
  assert.equal(online.code, 0, online.stdout);
  assert.equal((readFileSync(log, 'utf8').match(/^my-gpt /gm) ?? []).length, patchesOf(root).length);
});

test('a generator that hangs is stopped by its time limit, the next generator builds the bug, and the CLI exits', async () => {
  const root = writableCopy(exampleCurriculum);
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { synthGenerator } from ${synthModule};
export default {
  generators: [
    // Never answers, ignores its signal, and leaves a timer behind; its own time limit stops it.
    { name: 'stuck', timeoutMs: 300, generate: () => new Promise(() => { setInterval(() => {}, 1000); }) },
    synthGenerator(),
  ],
};
`,
  );
  const started = Date.now();
  const result = await runChild(['build', 'curricula/tinystats_101/modules/correlation/bugs/missing_sqrt.patch'], root);
  assert.equal(result.code, 0, result.stdout + result.stderr);
  assert.match(result.stdout, /✔ correlation\/missing_sqrt +synth +exact/);
  assert.ok(Date.now() - started < 30_000, 'the process ended although the plugin left a timer running');

  writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { generatorTimeoutMs: 200, generators: [{ name: 'stuck', generate: () => new Promise(() => {}) }] };\n`);
  const alone = await runInProcess(['build', 'curricula/tinystats_101/modules/zscores/bugs/no_constant_guard.patch'], root);
  assert.equal(alone.code, 1);
  assert.match(alone.stdout, /stuck: gave no result within 200 ms/);
});

test('a generator that throws before a later one succeeds leaves a trace on the bug\'s line, and its stack with --verbose', async () => {
  const root = writableCopy(exampleCurriculum);
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { synthGenerator } from ${synthModule};
export default { generators: [{ name: 'flaky', async generate() { throw new Error('boom'); } }, synthGenerator()] };
`,
  );
  const patch = 'curricula/tinystats_101/modules/correlation/bugs/missing_sqrt.patch';
  const result = await runInProcess(['build', patch], root);
  assert.equal(result.code, 0, result.stdout);
  assert.match(lineOf(result.stdout, 'correlation/missing_sqrt'), /✔ correlation\/missing_sqrt +synth +exact .*\n {4}flaky: boom; built by synth instead$/);
  assert.doesNotMatch(result.stdout + result.stderr, /^\s+at /m, 'no stack trace without --verbose');
  const verbose = await runInProcess(['build', '--verbose', '--force', patch], root);
  assert.equal(verbose.code, 0, verbose.stdout);
  assert.match(verbose.stdout, /flaky: boom; built by synth instead\n +Error: boom\n +at Object\.generate .*bug-author\.config\.mjs/);
});

test('cached results are re-validated: a tampered entry is never written out; --force bypasses the results cache', async () => {
  const root = writableCopy(exampleCurriculum);
  const log = path.join(root, 'calls.log');
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { appendFileSync } from 'node:fs';
import { synthGenerator } from ${synthModule};
const synth = synthGenerator();
export default { generators: [{ ...synth, name: 'counted', async generate(bug, context) { appendFileSync(${JSON.stringify(log)}, bug.id + '\\n'); return synth.generate(bug, context); } }] };
`,
  );
  const bug = 'curricula/tinystats_101/modules/correlation/bugs/missing_sqrt';
  assert.equal((await runInProcess(['build', `${bug}.patch`], root)).code, 0);
  const good = JSON.parse(readFileSync(path.join(root, `${bug}.json`), 'utf8'));
  const calls = () => readFileSync(log, 'utf8').trim().split('\n').length;
  assert.equal(calls(), 1);

  // A results entry with the right key but a wrong (schema-valid) definition, then a schema-invalid one.
  const resultsDir = path.join(root, '.bug-author', 'cache', 'results');
  const entries = readdirSync(resultsDir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.json')).map((f) => path.join(resultsDir, f));
  assert.equal(entries.length, 1);
  const tamper = (edit: (definition: Record<string, unknown>) => void) => {
    const entry = JSON.parse(readFileSync(entries[0]!, 'utf8'));
    edit(entry.value.definition);
    writeFileSync(entries[0]!, JSON.stringify(entry));
    rmSync(path.join(root, `${bug}.json`));
  };
  tamper((d) => {
    (d.logic as { pattern: object }[]).at(-1)!.pattern = { node_type: 'Name', id: 'nowhere_in_the_file' };
  });
  const wrong = await runInProcess(['build', `${bug}.patch`], root);
  assert.equal(wrong.code, 0, wrong.stdout);
  assert.deepEqual(JSON.parse(readFileSync(path.join(root, `${bug}.json`), 'utf8')).logic, good.logic, 'regenerated, not the tampered entry');
  assert.equal(calls(), 2);
  tamper((d) => {
    d.logic = 'not a list';
  });
  assert.equal((await runInProcess(['build', `${bug}.patch`], root)).code, 0);
  assert.equal(calls(), 3);
  assert.equal((await runInProcess(['check'], root)).code, 1, 'the other bugs were never built');

  rmSync(path.join(root, `${bug}.json`));
  assert.equal((await runInProcess(['build', `${bug}.patch`], root)).code, 0);
  assert.equal(calls(), 3, 'a sound cached result is reused');
  assert.equal((await runInProcess(['build', '--force', `${bug}.patch`], root)).code, 0);
  assert.equal(calls(), 4, '--force regenerates');
});

test('a plugin that proves its definition through verify() but reports a bare `exact` cannot hide a wrong transfer', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = writableCopy(sharedCorpus);
  const bug = 'curricula/cs336_a1/modules/silu/bugs/missing_multiply';
  // The hand-written silu definition is exact on the reference but rewrites a look-alike in student code.
  const answer = path.join(root, 'answer.json');
  writeFileSync(answer, readFileSync(path.join(root, `${bug}.json`), 'utf8'));
  rmSync(path.join(root, `${bug}.json`));
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { readFileSync } from 'node:fs';
export default { generators: [{ name: 'claims-exact', async generate(bug, context) {
  const definition = JSON.parse(readFileSync(${JSON.stringify(answer)}, 'utf8'));
  await context.verify(definition);
  return { status: 'generated', definition, verification: { verdict: 'exact' } };
} }] };
`,
  );
  const result = await runInProcess(['build', `${bug}.patch`], root);
  assert.equal(result.code, 1, result.stdout + result.stderr);
  assert.match(lineOf(result.stdout, 'silu/missing_multiply'), /✖ silu\/missing_multiply[^\n]*\n {4}claims-exact: its definition injects something else into student-style code \(lookalike variant/);
  assert.ok(!existsSync(path.join(root, `${bug}.json`)), 'nothing written');
});

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { copyTree, exampleCurriculum, runInProcess } from '../support/cli-run.js';
import { chatCompletion, startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { UNCONFINED_VARIANCE_ANSWER as unconfinedAnswer, VARIANCE_ANSWER as answer } from '../support/variance-answer.js';

// `build` with the LLM generator only (synthesis left out by the config), the real openai SDK,
// and a loopback fake server: retries with feedback, usage in the summary, a free re-run.

const bugDir = 'curricula/tinystats_101/modules/variance/bugs';

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAI();
});
after(() => server.close());

function llmOnlyProject(): string {
  const root = copyTree(exampleCurriculum, 'bug-author-llm-');
  for (const module of ['correlation', 'linear_regression', 'robust_spread', 'word_counts', 'zscores']) {
    rmSync(path.join(root, 'curricula/tinystats_101/modules', module), { recursive: true, force: true });
  }
  const plugin = pathToFileURL(path.join(packageRoot, 'plugins', 'openai', 'index.ts')).href;
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { openaiGenerator } from ${JSON.stringify(plugin)};\nexport default { generators: [openaiGenerator({ model: 'gpt-4o-mini', maxRetries: 0, timeoutMs: 10000 })] };\n`,
  );
  mkdirSync(path.join(root, '.git'));
  return root;
}

test('the LLM generator retries with feedback, writes exact JSON, reports usage, and re-runs for free', async () => {
  const root = llmOnlyProject();
  const start = server.requests.length;
  server.enqueue(
    { body: chatCompletion('Sure! Here is the definition: {"id": oops') },
    { body: chatCompletion(JSON.stringify(unconfinedAnswer)) },
    { body: chatCompletion(`\`\`\`json\n${JSON.stringify(answer)}\n\`\`\``) },
  );
  const env = { OPENAI_API_KEY: 'sk-test-secret-0123456789', OPENAI_BASE_URL: server.baseURL };
  const first = await runInProcess(['build'], root, env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.equal(server.requests.length - start, 3);
  const retry = JSON.stringify(server.requests[start + 1]!.body);
  assert.match(retry, /not valid JSON|could not parse|JSON/i, 'the second request carries the parse diagnostic');
  const transferFeedback = JSON.stringify(server.requests[start + 2]!.body);
  assert.match(transferFeedback, /student-style/, 'the third request says the second answer injects something else into student-style code');
  assert.match(transferFeedback, /lookalike variant/);
  const json = JSON.parse(readFileSync(path.join(root, bugDir, 'sample_uses_population.json'), 'utf8'));
  assert.equal(json.metadata.bug_author.generator, 'openai');
  assert.equal(json.metadata.bug_author.model, 'gpt-4o-mini');
  assert.deepEqual(json.logic, answer.logic);
  assert.match(first.stdout, /✔ variance\/sample_uses_population +openai +exact/);
  assert.match(first.stdout, /LLM: +3 calls \(0 from cache\), 3600 tokens, est\. \$0\.\d+/);
  assert.match(first.stdout, /transfer \d\/\d/);
  assert.doesNotMatch(first.stdout + first.stderr, /sk-test-secret/);

  const again = await runInProcess(['build'], root, env);
  assert.equal(again.code, 0);
  assert.equal(server.requests.length - start, 3, 'an unchanged re-run makes no request');

  rmSync(path.join(root, bugDir, 'sample_uses_population.json'));
  rmSync(path.join(root, '.bug-author', 'cache', 'results'), { recursive: true });
  const replay = await runInProcess(['build'], root, env);
  assert.equal(replay.code, 0, replay.stdout);
  assert.equal(server.requests.length - start, 3, 'answers come from the response cache');
  assert.deepEqual(JSON.parse(readFileSync(path.join(root, bugDir, 'sample_uses_population.json'), 'utf8')).logic, answer.logic);
});

test('without a key the bug is listed for the LLM generator or manual authoring, with a hint; exit 1', async () => {
  const root = llmOnlyProject();
  const start = server.requests.length;
  const result = await runInProcess(['build'], root, {});
  assert.equal(result.code, 1);
  assert.equal(server.requests.length, start);
  assert.match(result.stdout, /Bugs needing the LLM generator or manual authoring \(1\)/);
  assert.match(result.stdout, /OPENAI_API_KEY is not set/);
  assert.match(result.stdout, /hint: .*--no-llm/);
});

test('the key and server come from .env in the project root', async () => {
  const root = llmOnlyProject();
  writeFileSync(path.join(root, '.env'), `OPENAI_API_KEY=sk-from-dotenv\nOPENAI_BASE_URL=${server.baseURL}\n`);
  const start = server.requests.length;
  server.enqueue({ body: chatCompletion(JSON.stringify(answer)) });
  const result = await runInProcess(['build'], root, {});
  assert.equal(result.code, 0, result.stdout);
  assert.equal(server.requests.length - start, 1);
  assert.equal(server.requests[start]!.headers.authorization, 'Bearer sk-from-dotenv');
});

test('llm.baseURL in the config; a near miss is written only as a marked draft', async () => {
  const root = copyTree(exampleCurriculum, 'bug-author-draft-');
  rmSync(path.join(root, 'curricula'), { recursive: true });
  mkdirSync(path.join(root, 'modes', 'developer', 'calc'), { recursive: true });
  writeFileSync(path.join(root, 'modes', 'developer', 'calc', 'ops.py'), 'def scale(xs, k):\n    out = [x * k for x in xs]\n    return out\n');
  const bugs = path.join(root, 'curricula', 'c', 'modules', 'scale', 'bugs');
  mkdirSync(bugs, { recursive: true });
  // Inserting a statement: synthesis cannot express it, so the LLM gets it.
  writeFileSync(
    path.join(bugs, 'clamps.patch'),
    '--- a/calc/ops.py\n+++ b/calc/ops.py\n@@ -1,3 +1,4 @@\n def scale(xs, k):\n+    k = max(k, 0)\n     out = [x * k for x in xs]\n     return out\n',
  );
  writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { llm: { baseURL: ${JSON.stringify(server.baseURL)}, maxAttempts: 2 } };\n`);
  const nearMiss = {
    id: 'scale-clamps',
    description: 'near miss',
    injection_type: 'ast',
    engine_version: '2.1',
    target_function: 'scale',
    logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Name', id: 'k', ctx: { node_type: 'Load' } }, replacement: { type: 'replace_value_with', source: 'max(k, 0)' } }],
  };
  const differsAnswer = { ...nearMiss, logic: [{ pass: 1, type: 'find_and_replace', description: 'd', pattern: { node_type: 'Return' }, replacement: { type: 'replace_value_with', source: '[x * max(k, 0) for x in xs]' } }] };
  const start = server.requests.length;
  server.enqueue({ body: chatCompletion(JSON.stringify(nearMiss)) }, { body: chatCompletion(JSON.stringify(differsAnswer)) });
  const result = await runInProcess(['build'], root, { OPENAI_API_KEY: 'sk-test' });
  assert.equal(result.code, 1, result.stdout);
  assert.equal(server.requests.length - start, 2);
  assert.match(result.stdout, /synth: inserts `k = max\(k, 0\)`/);
  // Not beside the output: the engine picks every *.json of a bugs folder as a bug.
  assert.match(result.stdout, /draft for review: \.bug-author\/drafts\/curricula\/c\/modules\/scale\/bugs\/clamps\.near-miss\.json/);
  assert.ok(!existsSync(path.join(bugs, 'clamps.json')), 'a near miss is never the output');
  assert.deepEqual(readdirSync(bugs).sort(), ['clamps.patch'], 'nothing new in the engine\'s bugs folder');
  const draft = JSON.parse(readFileSync(path.join(root, '.bug-author/drafts/curricula/c/modules/scale/bugs/clamps.near-miss.json'), 'utf8'));
  assert.match(draft.metadata.draft.status, /DRAFT/);
  assert.equal(draft.metadata.draft.verdict, 'differs');
  assert.match(draft.metadata.draft.diff, /max\(k, 0\)/);
  // check points at it too, and --review.
  const check = await runInProcess(['check', '--format', 'json'], root);
  const missing = (JSON.parse(check.stdout) as { findings: { kind: string; fix: string }[] }).findings.find((f) => f.kind === 'missing');
  assert.match(missing?.fix ?? '', /start from the draft \.bug-author\/drafts\/curricula\/c\/modules\/scale\/bugs\/clamps\.near-miss\.json/, check.stdout);
  server.enqueue({ body: chatCompletion(JSON.stringify(nearMiss)) }, { body: chatCompletion(JSON.stringify(differsAnswer)) });
  await runInProcess(['build', '--review', 'review.md'], root, { OPENAI_API_KEY: 'sk-test' });
  assert.match(readFileSync(path.join(root, 'review.md'), 'utf8'), /Draft for review: \.bug-author\/drafts\/curricula\/c\/modules\/scale\/bugs\/clamps\.near-miss\.json/);
});

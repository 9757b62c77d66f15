// Cost per bug: the LLM usage of the generation that produced a JSON, recorded in its provenance
// (the real openai SDK against the loopback fake server), outside what makes the JSON stale or
// hand-edited; shown by `build --review` and by the review page (headless chromium).
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, test } from 'node:test';
import { outputHash } from '../../src/outputs/provenance.js';
import { packageRoot } from '../../src/package-root.js';
import { chromiumMissing, launchChromium, startStudioCli } from '../support/browser.js';
import { copyTree, exampleCurriculum, runInProcess } from '../support/cli-run.js';
import { chatCompletion, startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { VARIANCE_ANSWER as answer } from '../support/variance-answer.js';

const bugDir = 'curricula/tinystats_101/modules/variance/bugs';
const jsonFile = `${bugDir}/sample_uses_population.json`;
// $1 per million prompt tokens, $10 per million completion tokens: 1000 + 200 tokens cost $0.003.
const PRICES = "{ 'gpt-4o-mini': { inputPerMTok: 1, outputPerMTok: 10 } }";

let server: FakeOpenAIServer;
let root: string;
before(async () => {
  server = await startFakeOpenAI();
  root = copyTree(exampleCurriculum, 'bug-author-cost-');
  for (const module of ['correlation', 'linear_regression', 'robust_spread', 'word_counts', 'zscores']) rmSync(path.join(root, 'curricula/tinystats_101/modules', module), { recursive: true, force: true });
  const plugin = pathToFileURL(path.join(packageRoot, 'plugins', 'openai', 'index.ts')).href;
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { openaiGenerator } from ${JSON.stringify(plugin)};\nexport default { generators: [openaiGenerator({ model: 'gpt-4o-mini', maxRetries: 0, timeoutMs: 10000, prices: ${PRICES} })] };\n`,
  );
  mkdirSync(path.join(root, '.git'));
});
after(() => {
  server.close();
  rmSync(root, { recursive: true, force: true });
});

const env = () => ({ OPENAI_API_KEY: 'sk-test-secret-0123456789', OPENAI_BASE_URL: server.baseURL });
const readJson = () => JSON.parse(readFileSync(path.join(root, jsonFile), 'utf8')) as { logic: unknown; metadata: { bug_author: Record<string, unknown> & { output_hash: string } } };

test('the JSON records what its generation used; a re-run keeps it and writes nothing; build --review shows it', async () => {
  server.enqueue({ body: chatCompletion(JSON.stringify(answer)) });
  const first = await runInProcess(['build', '--review', 'review.md'], root, env());
  assert.equal(first.code, 0, first.stdout + first.stderr);
  const json = readJson();
  assert.deepEqual(json.metadata.bug_author.usage, { calls: 1, prompt_tokens: 1000, completion_tokens: 200, cost_usd: 0.003 });
  assert.equal(json.metadata.bug_author.output_hash, outputHash(json as never), 'the usage is outside the output hash');
  assert.match(readFileSync(path.join(root, 'review.md'), 'utf8'), /## variance - sample_uses_population[\s\S]*- Cost: \$0\.0030 \(1 LLM call, 1200 tokens\)\./);

  const text = readFileSync(path.join(root, jsonFile), 'utf8');
  const again = await runInProcess(['build'], root, env());
  assert.match(again.stdout, /variance\/sample_uses_population +openai +exact .*\(up to date, gpt-4o-mini\)/);
  assert.equal(readFileSync(path.join(root, jsonFile), 'utf8'), text, 'an unchanged re-run writes nothing');
});

test('editing the recorded usage makes the JSON neither hand-edited nor stale, and needs no new verdict', async () => {
  const json = readJson();
  const checked = await runInProcess(['check', '--format', 'json'], root);
  assert.equal(checked.code, 0, checked.stdout);
  (json.metadata.bug_author.usage as { cost_usd: number }).cost_usd = 12.5;
  writeFileSync(path.join(root, jsonFile), `${JSON.stringify(json, null, 2)}\n`);
  const after = await runInProcess(['check', '--format', 'json'], root);
  const report = JSON.parse(after.stdout) as { findings: Array<{ kind: string }>; pythonLoaded: boolean };
  assert.equal(after.code, 0, after.stdout);
  assert.deepEqual(report.findings.filter((f) => ['hand-edited', 'stale', 'does-not-verify'].includes(f.kind)), []);
  assert.equal(report.pythonLoaded, false, 'its cached verdict still holds');
});

test('the review page shows the cost per bug', { skip: chromiumMissing }, async () => {
  const json = readJson();
  (json.metadata.bug_author.usage as { cost_usd: number }).cost_usd = 0.003;
  writeFileSync(path.join(root, jsonFile), `${JSON.stringify(json, null, 2)}\n`);
  const studio = await startStudioCli(['review'], root);
  const chromium = await launchChromium();
  try {
    const page = await chromium.browser.newPage();
    await page.goto(studio.url);
    await page.click(`#rows tr[data-key="${bugDir}/sample_uses_population.patch"]`);
    await page.waitForSelector('#detail:not([data-loading]) dl');
    const cost = await page.$eval('#detail dl', (dl) => [...dl.querySelectorAll('dt')].find((dt) => dt.textContent === 'cost')?.nextElementSibling?.textContent);
    assert.equal(cost, '$0.0030 — 1 LLM call, 1200 tokens (1000 prompt, 200 completion)');
    assert.match((await page.textContent(`#rows tr[data-key="${bugDir}/sample_uses_population.patch"]`))!, /openai \(gpt-4o-mini\) · \$0\.0030/);
  } finally {
    await studio.stop();
    await chromium.close();
  }
});

test('a JSON whose provenance is refreshed (its symptom changed, the definition still exact) keeps the usage of the generation that produced it', async () => {
  const requests = server.requests.length;
  const symptom = path.join(root, bugDir, 'sample_uses_population_symptom.txt');
  writeFileSync(symptom, `${readFileSync(symptom, 'utf8')}Reworded.\n`);
  const before = readJson();
  const rebuilt = await runInProcess(['build'], root, env());
  assert.equal(rebuilt.code, 0, rebuilt.stdout + rebuilt.stderr);
  assert.match(rebuilt.stdout, /provenance refreshed/);
  assert.equal(server.requests.length, requests, 'no request');
  const after = readJson();
  assert.notEqual(after.metadata.bug_author.input_hash, before.metadata.bug_author.input_hash);
  assert.deepEqual(after.metadata.bug_author.usage, { calls: 1, prompt_tokens: 1000, completion_tokens: 200, cost_usd: 0.003 });
});

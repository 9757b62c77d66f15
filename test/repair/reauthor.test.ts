import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runInProcess } from '../support/cli-run.js';
import { chatCompletion, startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';

// `refresh-patch --reauthor` with the real openai SDK against a loopback fake server: a rotted
// patch whose code changed shape (not only its formatting or names) is re-authored by the model,
// each answer verified; a bad answer is fed back; the answers are cached.

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAI();
});
after(() => server.close());

const REFERENCE = `def variance(values):
    n = len(values)
    mean = sum(values) / n
    return sum((v - mean) * (v - mean) for v in values) / (n - 1)


def mean_of(values):
    return sum(values) / len(values)
`;

// Written when the square was `** 2`: its removed line is gone, in tokens, not only in formatting.
const OLD_PATCH = `--- a/stats/core.py
+++ b/stats/core.py
@@ -1,4 +1,4 @@ def variance(values):
 def variance(values):
     n = len(values)
     mean = sum(values) / n
-    return sum((v - mean) ** 2 for v in values) / (n - 1)
+    return sum((v - mean) ** 2 for v in values) / n
`;

const PATCH = 'curricula/c/modules/variance/bugs/population.patch';

/** The model's good answer: the same bug against today's line (its hunk counts off by one, as models write them). */
const GOOD = `--- a/stats/core.py
+++ b/stats/core.py
@@ -2,3 +2,3 @@
     mean = sum(values) / n
-    return sum((v - mean) * (v - mean) for v in values) / (n - 1)
+    return sum((v - mean) * (v - mean) for v in values) / n
 
`;

const DOES_NOT_APPLY = `--- a/stats/core.py
+++ b/stats/core.py
@@ -3,2 +3,2 @@
     mean = sum(values) / n
-    return sum((v - mean) ** 2 for v in values) / (n - 1)
+    return sum((v - mean) ** 2 for v in values) / n
`;

const OTHER_FUNCTION = `--- a/stats/core.py
+++ b/stats/core.py
@@ -7,2 +7,2 @@
 def mean_of(values):
-    return sum(values) / len(values)
+    return sum(values) / (len(values) - 1)
`;

const NO_OP = `--- a/stats/core.py
+++ b/stats/core.py
@@ -3,2 +3,2 @@
     mean = sum(values) / n
-    return sum((v - mean) * (v - mean) for v in values) / (n - 1)
+    return sum((v - mean) * (v - mean) for v in values) / (n - 1)  # BUG: population variance
`;

function project(): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-reauthor-'));
  const files: Record<string, string> = {
    'modes/developer/stats/core.py': REFERENCE,
    [PATCH]: OLD_PATCH,
    'curricula/c/modules/variance/bugs/population_symptom.txt': 'The sample variance of [1, 2, 3, 4] comes out as 1.25 instead of 1.667.\n',
    'bug-author.config.mjs': `export default { llm: { model: 'gpt-4o-mini', timeoutMs: 10000 } };\n`,
  };
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  mkdirSync(path.join(root, '.git'));
  return root;
}

const draftFile = (root: string) => path.join(root, '.bug-author/drafts', PATCH);
const answer = (patch: string) => ({ body: chatCompletion(JSON.stringify({ patch })) });

test('a rotted bug gets a verified draft from the model (never over the patch); a rerun makes no request', async () => {
  const root = project();
  const env = { OPENAI_API_KEY: 'sk-test-secret-0123456789', OPENAI_BASE_URL: server.baseURL };
  const start = server.requests.length;
  server.enqueue(answer(GOOD));
  const first = await runInProcess(['refresh-patch', '--reauthor', PATCH], root, env);
  assert.equal(first.code, 0, first.stdout + first.stderr);
  assert.equal(server.requests.length - start, 1);
  const asked = JSON.stringify(server.requests[start]!.body);
  assert.match(asked, /1\.25 instead of 1\.667/, 'the symptom is in the prompt');
  assert.match(asked, /\*\* 2 for v in values/, 'the old patch is in the prompt');
  assert.match(asked, /\(v - mean\) \* \(v - mean\)/, "today's function is in the prompt");
  assert.match(asked, /no longer exists/, 'why the patch no longer applies is in the prompt');
  assert.equal(readFileSync(path.join(root, PATCH), 'utf8'), OLD_PATCH, 'the author\'s patch is untouched');
  const draft = readFileSync(draftFile(root), 'utf8');
  assert.match(draft, /^-    return sum\(\(v - mean\) \* \(v - mean\) for v in values\) \/ \(n - 1\)$/m);
  assert.match(draft, /^\+    return sum\(\(v - mean\) \* \(v - mean\) for v in values\) \/ n$/m);
  assert.match(draft, /^@@ -1,7 \+1,7 @@/m, 'written afresh with exact counts and context');
  const provenance = JSON.parse(readFileSync(`${draftFile(root)}.json`, 'utf8'));
  assert.equal(provenance.tier, 'reauthor');
  assert.equal(provenance.model, 'gpt-4o-mini');
  assert.equal(provenance.verification.status, 'exact');
  assert.equal(typeof provenance.old_patch_hash, 'string');
  assert.equal(typeof provenance.reference_hash, 'string');
  assert.match(first.stdout, /✎ .*population\.patch: .*re-authored by gpt-4o-mini; synth exact, transfer \d+\/\d+/);
  assert.match(first.stdout, /LLM: 1 calls \(0 from cache\)/);
  assert.doesNotMatch(first.stdout + first.stderr, /sk-test-secret/);

  const again = await runInProcess(['refresh-patch', '--reauthor', PATCH], root, env);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(server.requests.length - start, 1, 'a rerun is answered from the cache');
  assert.match(again.stdout, /LLM: 0 calls \(1 from cache\)/);

  // Accepting needs git to hold the old text; --force overrides. The next build compiles it.
  const refused = await runInProcess(['refresh-patch', '--accept', 'variance/population'], root);
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /old text would be lost; commit it first, or accept with --force/);
  const accepted = await runInProcess(['refresh-patch', '--accept', 'variance/population', '--force'], root);
  assert.equal(accepted.code, 0, accepted.stderr);
  assert.equal(readFileSync(path.join(root, PATCH), 'utf8'), draft);
  assert.ok(!existsSync(draftFile(root)), 'an accepted draft is gone');
  const build = await runInProcess(['build', '--no-llm'], root);
  assert.equal(build.code, 0, build.stdout + build.stderr);
  assert.match(build.stdout, /✔ variance\/population +synth +exact +transfer \d+\/\d+/);
});

test('answers that do not apply, change another function or change nothing are fed back; after the retries no draft is written', async () => {
  const root = project();
  const env = { OPENAI_API_KEY: 'sk-test-secret-0123456789', OPENAI_BASE_URL: server.baseURL };
  const start = server.requests.length;
  server.enqueue(answer(DOES_NOT_APPLY), answer(OTHER_FUNCTION), answer(NO_OP));
  const first = await runInProcess(['refresh-patch', '--reauthor', PATCH], root, env);
  assert.equal(first.code, 1);
  assert.equal(server.requests.length - start, 3);
  const second = JSON.stringify(server.requests[start + 1]!.body);
  assert.match(second, /rejected: it does not apply cleanly/);
  const third = JSON.stringify(server.requests[start + 2]!.body);
  assert.match(third, /rejected: it changes `mean_of`, but the old patch changed only `variance`/);
  assert.match(first.stderr, /no verified patch after 3 attempts .*changes nothing in the program \(a no-op\).*; no draft written/);
  assert.ok(!existsSync(draftFile(root)));
  assert.equal(readFileSync(path.join(root, PATCH), 'utf8'), OLD_PATCH);

  const again = await runInProcess(['refresh-patch', '--reauthor', PATCH], root, env);
  assert.equal(again.code, 1);
  assert.equal(server.requests.length - start, 3, 'a rerun makes 0 requests');
  assert.ok(!existsSync(draftFile(root)));
});

test('--reauthor without a key is a usage error; without --reauthor no request is made', async () => {
  const root = project();
  const start = server.requests.length;
  const noKey = await runInProcess(['refresh-patch', '--reauthor', PATCH], root, { OPENAI_API_KEY: '' });
  assert.equal(noKey.code, 2);
  assert.match(noKey.stderr, /OPENAI_API_KEY is not set/);
  const offline = await runInProcess(['refresh-patch', PATCH], root, { OPENAI_API_KEY: 'sk-test-secret-0123456789', OPENAI_BASE_URL: server.baseURL });
  assert.equal(offline.code, 1);
  assert.match(offline.stderr, /re-anchoring: hunk 1: its removed code .* is not there/);
  assert.equal(server.requests.length, start);
});

import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../../src/cli.js';
import { exampleCurriculum, pythonChoiceEnv, runInProcess, writableCopy } from '../support/cli-run.js';
import { apiError, chatCompletion, startFakeOpenAI, type FakeOpenAIServer } from '../support/fake-openai-server.js';
import { VARIANCE_ANSWER as answer } from '../support/variance-answer.js';

// The LLM generator against a loopback server that misbehaves: failures the server causes are
// counted, never cached, retried by the next run; a hung server holds no deterministic work.

let server: FakeOpenAIServer;
before(async () => {
  server = await startFakeOpenAI();
});
after(() => server.close());

/** The example curriculum with only the variance bug and the built-in chain reduced to the LLM. */
function llmProject(llm: Record<string, unknown> = {}): string {
  const root = writableCopy(exampleCurriculum, 'bug-author-llm-faults-');
  for (const module of readdirSync(path.join(root, 'curricula/tinystats_101/modules'))) {
    if (module !== 'variance') rmSync(path.join(root, 'curricula/tinystats_101/modules', module), { recursive: true });
  }
  const plugin = JSON.stringify(new URL('../../plugins/openai/index.ts', import.meta.url).href);
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { openaiGenerator } from ${plugin};\nexport default { generators: [openaiGenerator(${JSON.stringify({ baseURL: server.baseURL, maxRetries: 2, timeoutMs: 5000, ...llm })})] };\n`,
  );
  mkdirSync(path.join(root, '.git'));
  return root;
}

const KEY = { OPENAI_API_KEY: 'sk-test-0123456789' };

test('requests that fail are counted: 5xx with the SDK’s retries is 3 calls, all failed; not cached, the next run asks again', async () => {
  const root = llmProject();
  server.fallback(() => ({ status: 503, body: apiError('overloaded', 'server_error') }));
  const start = server.requests.length;
  const failed = await runInProcess(['build'], root, KEY);
  assert.equal(failed.code, 1);
  assert.equal(server.requests.length - start, 3);
  assert.match(failed.stdout, /LLM: +3 calls \(3 failed, 0 from cache\)/);
  assert.match(failed.stdout, /openai: OpenAI request failed \(after 3 tries\)/);

  server.fallback(() => ({ body: chatCompletion(JSON.stringify(answer)) }));
  const recovered = await runInProcess(['build'], root, KEY);
  assert.equal(recovered.code, 0, recovered.stdout);
  assert.equal(server.requests.length - start, 4, 'the server’s failure was not cached');
  assert.match(recovered.stdout, /LLM: +1 calls \(0 from cache\)/);
});

test('garbage from the server (not a chat completion) is not cached: a later run reaches another server', async () => {
  const root = llmProject({ maxRetries: 0, maxAttempts: 2 });
  server.fallback(() => ({ body: '<html>502 bad gateway</html>', headers: { 'content-type': 'text/html' } }));
  const start = server.requests.length;
  const garbage = await runInProcess(['build'], root, KEY);
  assert.equal(garbage.code, 1);
  assert.equal(server.requests.length - start, 2);
  assert.match(garbage.stdout, /LLM: +2 calls \(2 failed, 0 from cache\)/);

  const other = await startFakeOpenAI();
  try {
    other.fallback(() => ({ body: chatCompletion(JSON.stringify(answer)) }));
    const configFile = path.join(root, 'bug-author.config.mjs');
    writeFileSync(configFile, readFileSync(configFile, 'utf8').replace(server.baseURL, other.baseURL));
    const next = await runInProcess(['build'], root, KEY);
    assert.equal(next.code, 0, next.stdout);
    assert.equal(other.requests.length, 1);
  } finally {
    await other.close();
  }
});

test('an unreadable or schema-invalid answer is a failure the next run asks again about, and says so; only a verified answer is cached', async () => {
  const root = llmProject({ maxAttempts: 1 });
  const start = server.requests.length;
  const sent = () => server.requests.length - start;
  server.fallback(() => ({ body: chatCompletion('I cannot help with that.') }));
  const first = await runInProcess(['build'], root, KEY);
  assert.equal(first.code, 1);
  assert.equal(sent(), 1);
  assert.match(first.stdout, /openai: no exact definition after 1 attempt \(last: unreadable answer/);

  const again = await runInProcess(['build'], root, KEY);
  assert.equal(again.code, 1);
  assert.equal(sent(), 2, 'the unreadable answer was not reused');
  assert.match(again.stdout, /LLM: +1 calls \(0 from cache\)/);
  assert.match(again.stdout, /\(asked again: last time no exact definition after 1 attempt \(last: unreadable answer/);

  server.fallback(() => ({ body: chatCompletion(JSON.stringify({ id: 'x', logic: 'not a list' })) }));
  const invalid = await runInProcess(['build'], root, KEY);
  assert.equal(invalid.code, 1);
  assert.equal(sent(), 3);
  assert.match(invalid.stdout, /schema-invalid/);

  server.fallback(() => ({ body: chatCompletion(JSON.stringify(answer)) }));
  const good = await runInProcess(['build'], root, KEY);
  assert.equal(good.code, 0, good.stdout);
  assert.equal(sent(), 4);
  assert.match(good.stdout, /✔ variance\/.* openai .*\n {4}openai: last time no exact definition after 1 attempt \(last: schema-invalid[^\n]*; asked again/);

  // Only now is anything final: re-runs send nothing, even with the results cache gone (the answer is replayed).
  const rerun = await runInProcess(['build'], root, KEY);
  assert.equal(rerun.code, 0);
  assert.equal(sent(), 4);
  rmSync(path.join(root, '.bug-author', 'cache', 'results'), { recursive: true });
  rmSync(path.join(root, 'curricula/tinystats_101/modules/variance/bugs', readdirSync(path.join(root, 'curricula/tinystats_101/modules/variance/bugs')).find((f) => f.endsWith('.json'))!));
  const replayed = await runInProcess(['build'], root, KEY);
  assert.equal(replayed.code, 0, replayed.stdout);
  assert.equal(sent(), 4, 'the verified conversation was replayed from the answers cache');
  assert.match(replayed.stdout, /LLM: +0 calls \(1 from cache\)/);

  const forced = await runInProcess(['build', '--force'], root, KEY);
  assert.equal(forced.code, 0, forced.stdout);
  assert.equal(sent(), 5, '--force sent the request again');
});

test('a hung LLM server holds no deterministic slot: with concurrency 1 every synthesised bug finishes first', async () => {
  const root = writableCopy(exampleCurriculum, 'bug-author-hung-');
  mkdirSync(path.join(root, 'modes', 'developer', 'calc'), { recursive: true });
  writeFileSync(path.join(root, 'modes', 'developer', 'calc', 'ops.py'), 'def scale(xs, k):\n    out = [x * k for x in xs]\n    return out\n');
  const bugs = path.join(root, 'curricula', 'a_first', 'modules', 'scale', 'bugs');
  mkdirSync(bugs, { recursive: true });
  // Inserting a statement: synthesis cannot express it, so this bug goes to the LLM — first in line.
  writeFileSync(path.join(bugs, 'clamps.patch'), '--- a/calc/ops.py\n+++ b/calc/ops.py\n@@ -1,3 +1,4 @@\n def scale(xs, k):\n+    k = max(k, 0)\n     out = [x * k for x in xs]\n     return out\n');
  writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { concurrency: 1, llm: { baseURL: ${JSON.stringify(server.baseURL)}, maxAttempts: 1 } };\n`);

  // The server answers only once every synthesised bug has been reported: were the LLM bug
  // holding the one slot, none would be, and the run would never end. No clock decides.
  let stdout = '';
  let synthesised!: () => void;
  const allSynthesised = new Promise<void>((resolve) => (synthesised = resolve));
  server.fallback(async () => {
    await allSynthesised;
    return { body: chatCompletion('I cannot help with that.') };
  });
  const code = await runCli(['build', '--llm-timeout', '600'], {
    cwd: root,
    env: { ...pythonChoiceEnv(), ...KEY },
    stdout: (text) => {
      stdout += text;
      if ((stdout.match(/✔ .* synth +exact/g) ?? []).length === 6) synthesised();
    },
    stderr: () => {},
  });
  assert.equal(code, 1, stdout);
  const lines = stdout.split('\n').filter((l) => /^\[[ \d]+\/\d+\]/.test(l));
  assert.equal(lines.length, 7, stdout);
  assert.match(lines.at(-1)!, /✖ scale\/clamps/, 'the LLM bug finished last: nothing waited behind it');
  for (const line of lines.slice(0, -1)) assert.match(line, /✔ .* synth +exact/);

  // A server that never answers (--force: not the answer cached above): each request gives up after --llm-timeout, three times.
  server.fallback(() => ({ hang: true }));
  const hung = await runInProcess(['build', '--force', '--llm-timeout', '0.5', path.join(bugs, 'clamps.patch')], root, KEY);
  assert.equal(hung.code, 1, hung.stdout);
  assert.match(hung.stdout, /OpenAI request timed out after 500 ms \(after 3 tries\)/);
  assert.match(hung.stdout, /LLM: +3 calls \(3 failed, 0 from cache\)/);
});

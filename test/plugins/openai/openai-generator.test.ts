import assert from 'node:assert/strict';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, test } from 'node:test';
import type { GeneratorResult } from '../../../src/generate/generator.js';
import { openaiGenerator, type OpenAIGeneratorOptions } from '../../../plugins/openai/index.js';
import { apiError, chatCompletion, startFakeOpenAI, type FakeOpenAIServer } from '../../support/fake-openai-server.js';
import {
  DIFFERS_DEFINITION,
  DUMMY_KEY,
  EXACT_DEFINITION,
  NO_MATCH_DEFINITION,
  generatorContext,
  json,
  lastUserMessage,
  siluBug,
  type TestContext,
} from './helpers.js';

let server: FakeOpenAIServer;
const contexts: TestContext[] = [];

before(async () => {
  await siluBug(); // load pyodide once, outside the timed scenarios
});

after(async () => {
  await Promise.all(contexts.map((c) => c.cleanup()));
});

async function setup(options: OpenAIGeneratorOptions = {}, contextOptions: Parameters<typeof generatorContext>[0] = {}) {
  server = await startFakeOpenAI();
  const context = await generatorContext(contextOptions);
  contexts.push(context);
  const plugin = openaiGenerator({ apiKey: DUMMY_KEY, baseURL: server.baseURL, maxRetries: 0, timeoutMs: 5_000, env: {}, ...options });
  return { plugin, context, server };
}

const ok = (definition: unknown) => ({ body: chatCompletion(json(definition)) });

function assertNoKey(result: GeneratorResult) {
  assert.ok(!JSON.stringify(result).includes(DUMMY_KEY), 'the API key leaked into the result');
}

test('success on the first try: one request, structured output, usage and cost', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  server.enqueue(ok(EXACT_DEFINITION));
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'generated');
  assert.equal(result.status === 'generated' && result.verification.verdict, 'exact');
  assert.equal(result.status === 'generated' && result.model, 'gpt-4o-mini');
  assert.deepEqual(result.usage, { calls: 1, failedCalls: 0, cachedCalls: 0, promptTokens: 1000, completionTokens: 200, costUsd: (1000 * 0.15 + 200 * 0.6) / 1e6 });
  assert.deepEqual(plugin.usage(), result.usage);

  assert.equal(server.requests.length, 1);
  const request = server.requests[0]!;
  assert.equal(request.url, '/v1/chat/completions');
  assert.equal(request.headers.authorization, `Bearer ${DUMMY_KEY}`);
  assert.equal(request.body.model, 'gpt-4o-mini');
  assert.equal(request.body.temperature, 0.3);
  assert.equal(request.body.response_format.type, 'json_schema');
  assert.equal(request.body.response_format.json_schema.name, 'bug_definition');
  assert.equal(request.body.response_format.json_schema.strict, false);
  assert.deepEqual(request.body.response_format.json_schema.schema.required, ['id', 'description', 'injection_type', 'engine_version', 'target_function', 'logic']);
  assert.deepEqual(request.body.messages.map((m: { role: string }) => m.role), ['system', 'user']);
  assert.match(request.body.messages[0].content, /golden\/silu\.json/);
  assert.match(request.body.messages[1].content, /def silu/);
});

test('invalid JSON, then success: the parse error is fed back with the previous answer', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  server.enqueue({ body: chatCompletion('Sure! ```json\n{"id": "x", "logic": [\n```') }, ok(EXACT_DEFINITION));
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'generated');
  assert.equal(server.requests.length, 2);
  const second = server.requests[1]!.body;
  assert.deepEqual(second.messages.map((m: { role: string }) => m.role), ['system', 'user', 'assistant', 'user']);
  assert.match(second.messages[2].content, /Sure!/);
  assert.match(lastUserMessage(second), /Attempt 1 was rejected[\s\S]*could not be read as a JSON object: the JSON object is not closed/);
});

test('schema-invalid, then success: the ajv paths are fed back', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  const broken = { ...EXACT_DEFINITION, engine_version: '3', logic: [{ ...EXACT_DEFINITION.logic[0]!, replacement: { type: 'swap' } }] };
  server.enqueue(ok(broken), ok(EXACT_DEFINITION));
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'generated');
  const feedback = lastUserMessage(server.requests[1]!.body);
  assert.match(feedback, /does not match the v2\.1 schema/);
  assert.match(feedback, /at \/engine_version: must match pattern/);
  assert.match(feedback, /at \/logic\/0\/replacement\/type: must be one of/);
});

test('a pattern that matches nothing, then success: the diagnostic names the pass and the nearest nodes', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  server.enqueue(ok(NO_MATCH_DEFINITION), ok(EXACT_DEFINITION));
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'generated');
  const feedback = lastUserMessage(server.requests[1]!.body);
  assert.match(feedback, /pass 1 \(find_and_replace\) matched nothing/);
  assert.match(feedback, /The 3 closest BinOp nodes in the reference file \(of 3\)/);
  assert.match(feedback, /- line 6: \{"node_type":"BinOp","left":\{"node_type":"Name","id":"x"\},"op":"Mult"/);
  assert.match(feedback, /differs from your pattern at: op is Mult, not Add/);
  assert.equal(server.requests[1]!.body.messages[2].content, json(NO_MATCH_DEFINITION));
});

test('a definition that differs every time: failed, the best differs candidate comes back as a draft', async (t) => {
  const { plugin, context } = await setup({ maxAttempts: 2 });
  t.after(() => server.close());
  server.enqueue(ok(DIFFERS_DEFINITION), ok(DIFFERS_DEFINITION));
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'failed');
  if (result.status !== 'failed') return;
  assert.match(result.reason, /no exact definition after 2 attempts \(last: differs/);
  assert.equal(result.fatal, undefined);
  assert.equal(result.retryable, true, 'only a verified answer is final: the next run asks again');
  assert.deepEqual(result.draft?.definition, DIFFERS_DEFINITION);
  assert.equal(result.draft?.verification.verdict, 'differs');
  const feedback = lastUserMessage(server.requests[1]!.body);
  assert.match(feedback, /```diff[\s\S]*-    return x \* torch\.sigmoid\(1\.702 \* x\)\n\+    return torch\.sigmoid\(1\.702 \* x\)/);
});

test('429 with retry-after: the SDK waits and retries, then succeeds', async (t) => {
  const { plugin, context } = await setup({ maxRetries: 2 });
  t.after(() => server.close());
  server.enqueue({ status: 429, headers: { 'retry-after': '0.3' }, body: apiError('Rate limit reached', 'requests') }, ok(EXACT_DEFINITION));
  const started = Date.now();
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'generated');
  assert.equal(server.requests.length, 2);
  assert.ok(Date.now() - started >= 280, 'retry-after was honoured');
  // Every request sent is a call, the refused one included.
  assert.equal(result.usage?.calls, 2);
  assert.equal(result.usage?.failedCalls, 1);
});

test('500s until the retries run out: this bug fails (not fatal), the next one still works', async (t) => {
  const { plugin, context } = await setup({ maxRetries: 1 });
  t.after(() => server.close());
  const fail = { status: 500, headers: { 'retry-after-ms': '10' }, body: apiError('The server had an error', 'server_error') };
  server.enqueue(fail, fail);
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'failed');
  if (result.status !== 'failed') return;
  assert.equal(result.fatal, undefined);
  assert.match(result.reason, /OpenAI request failed \(after 2 tries\): 500/);
  assert.equal(result.retryable, true, 'a server error is not cached as a verdict on the bug');
  assert.equal(server.requests.length, 2);
  server.enqueue(ok(EXACT_DEFINITION));
  assert.equal((await plugin.generate(await siluBug('act/other'), context)).status, 'generated');
});

test('401 stops all LLM work of the instance at once, without leaking the key', async (t) => {
  const { plugin, context } = await setup({ concurrency: 2 });
  t.after(() => server.close());
  // The first request hangs; the second is rejected: the hanging one must be aborted, queued ones never sent.
  server.enqueue(
    { hang: true },
    { status: 401, delayMs: 50, body: apiError(`Incorrect API key provided: ${DUMMY_KEY}.`, 'invalid_request_error', { code: 'invalid_api_key' }) },
  );
  const bugs = await Promise.all(['m/a', 'm/b', 'm/c', 'm/d'].map((id) => siluBug(id)));
  const started = Date.now();
  const results = await Promise.all(bugs.map((bug) => plugin.generate(bug, context)));
  assert.ok(Date.now() - started < 3_000, 'the hanging request was aborted, not waited for');
  assert.equal(server.requests.length, 2);
  for (const result of results) {
    assert.equal(result.status, 'failed');
    assert.equal(result.status === 'failed' && result.fatal, true);
    assert.equal(result.status === 'failed' && result.reason, 'OpenAI rejected the API key (401): LLM generation stopped');
    assertNoKey(result);
  }
  const later = await plugin.generate(await siluBug('m/e'), context);
  assert.equal(later.status === 'failed' && later.fatal, true);
  assert.equal(server.requests.length, 2, 'no request after the key was rejected');
});

test('403 is fatal too', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  server.enqueue({ status: 403, body: apiError('Project does not have access', 'permission_error') });
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status === 'failed' && result.reason, 'OpenAI rejected the API key (403): LLM generation stopped');
});

test('a hanging response hits the timeout', async (t) => {
  const { plugin, context } = await setup({ timeoutMs: 300, maxRetries: 0 });
  t.after(() => server.close());
  server.enqueue({ hang: true });
  const started = Date.now();
  const result = await plugin.generate(await siluBug(), context);
  assert.ok(Date.now() - started < 3_000);
  assert.equal(result.status, 'failed');
  assert.equal(result.status === 'failed' && result.fatal, undefined);
  assert.match(result.status === 'failed' ? result.reason : '', /timed out after 300 ms/);
  assert.equal(result.status === 'failed' && result.retryable, true);
});

test('an enormous answer is an invalid answer, not a crash, and is not echoed back', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  const garbage = 'x'.repeat(5 * 1024 * 1024);
  server.enqueue({ body: chatCompletion(`{"id": "${garbage}`) }, ok(EXACT_DEFINITION));
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'generated');
  const second = server.requests[1]!;
  assert.ok(second.rawLength < 100_000, `second request is ${second.rawLength} bytes`);
  assert.match(lastUserMessage(second.body), /the answer was 5242888 characters long/);
});

test('a 5 MB non-JSON body is an unreadable response, retried as the next attempt', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  const garbage = { body: Buffer.alloc(5 * 1024 * 1024, '#'), headers: { 'content-type': 'application/json' } };
  server.enqueue(garbage, ok(EXACT_DEFINITION));
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status, 'generated');
  assert.equal(server.requests.length, 2);

  server.enqueue(garbage);
  const once = openaiGenerator({ apiKey: DUMMY_KEY, baseURL: server.baseURL, maxRetries: 0, maxAttempts: 1, env: {} });
  const failed = await once.generate(await siluBug('act/garbage'), context);
  assert.equal(failed.status, 'failed');
  assert.match(failed.status === 'failed' ? failed.reason : '', /last: the server's response is not valid JSON/);
  assert.equal(failed.status === 'failed' && failed.retryable, true);
});

test('the server never sees more than `concurrency` requests at once', async (t) => {
  const { plugin, context } = await setup({ concurrency: 2 });
  t.after(() => server.close());
  server.fallback(() => ({ delayMs: 80, ...ok(EXACT_DEFINITION) }));
  const bugs = await Promise.all(['m/a', 'm/b', 'm/c', 'm/d', 'm/e', 'm/f'].map((id) => siluBug(id)));
  const results = await Promise.all(bugs.map((bug) => plugin.generate(bug, context)));
  assert.deepEqual(results.map((r) => r.status), Array(6).fill('generated'));
  assert.equal(server.requests.length, 6);
  assert.equal(server.maxInFlight, 2);
  assert.equal(plugin.usage().calls, 6);
});

test('a re-run with unchanged inputs makes zero requests; corrupt cache entries are misses', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  server.enqueue(ok(NO_MATCH_DEFINITION), ok(EXACT_DEFINITION));
  const bug = await siluBug();
  assert.equal((await plugin.generate(bug, context)).status, 'generated');
  assert.equal(server.requests.length, 2);

  const rerun = openaiGenerator({ apiKey: DUMMY_KEY, baseURL: server.baseURL, maxRetries: 0, env: {} });
  const again = await rerun.generate(bug, context);
  assert.equal(again.status, 'generated');
  assert.deepEqual(again.usage, { calls: 0, failedCalls: 0, cachedCalls: 2, promptTokens: 0, completionTokens: 0, costUsd: 0 });
  assert.equal(server.requests.length, 2, 'no HTTP request on the re-run');

  const files = await cacheFiles(context.cacheDir);
  assert.equal(files.length, 2);
  for (const file of files) assert.ok(!(await readFile(file, 'utf8')).includes(DUMMY_KEY), 'the key is not stored');
  await Promise.all(files.map((file) => writeFile(file, '{"key": "trunc')));
  server.enqueue(ok(EXACT_DEFINITION));
  const third = await openaiGenerator({ apiKey: DUMMY_KEY, baseURL: server.baseURL, maxRetries: 0, env: {} }).generate(bug, context);
  assert.equal(third.status, 'generated');
  assert.equal(server.requests.length, 3);
});

test('a server without json_schema support: fall back to json_object for the rest of the run', async (t) => {
  const { plugin, context } = await setup();
  t.after(() => server.close());
  server.enqueue(
    { status: 400, body: apiError("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.", 'invalid_request_error', { param: 'response_format' }) },
    ok(EXACT_DEFINITION),
    ok(EXACT_DEFINITION),
  );
  assert.equal((await plugin.generate(await siluBug(), context)).status, 'generated');
  assert.equal((await plugin.generate(await siluBug('act/second'), context)).status, 'generated');
  assert.deepEqual(server.requests.map((r) => r.body.response_format.type), ['json_schema', 'json_object', 'json_object']);
  // A re-run finds the json_object answers in the cache without asking again.
  const rerun = openaiGenerator({ apiKey: DUMMY_KEY, baseURL: server.baseURL, maxRetries: 0, env: {} });
  assert.equal((await rerun.generate(await siluBug(), context)).status, 'generated');
  assert.equal(server.requests.length, 3);
});

test('the AbortSignal cancels an in-flight request and stops further attempts', async (t) => {
  const controller = new AbortController();
  const { plugin, context } = await setup({ timeoutMs: 10_000 }, { signal: controller.signal });
  t.after(() => server.close());
  server.enqueue({ hang: true });
  setTimeout(() => controller.abort(), 100);
  const started = Date.now();
  const result = await plugin.generate(await siluBug(), context);
  assert.ok(Date.now() - started < 2_000);
  assert.deepEqual(result, { status: 'failed', reason: 'cancelled', retryable: true, usage: { calls: 1, failedCalls: 1, cachedCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 } });
  assert.equal(server.requests.length, 1);
});

test('without a key generate() fails fatally and makes no request', async (t) => {
  const { context } = await setup();
  t.after(() => server.close());
  const plugin = openaiGenerator({ baseURL: server.baseURL, env: {} });
  const result = await plugin.generate(await siluBug(), context);
  assert.equal(result.status === 'failed' && result.fatal, true);
  assert.equal(result.status === 'failed' && result.reason, 'OPENAI_API_KEY is not set');
  assert.equal(server.requests.length, 0);
});

async function cacheFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { recursive: true, withFileTypes: true })) {
    if (entry.isFile() && entry.name.endsWith('.json')) out.push(path.join(entry.parentPath ?? entry.path, entry.name));
  }
  return out;
}

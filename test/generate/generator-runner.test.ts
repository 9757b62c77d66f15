import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { BugContext, GeneratorContext, GeneratorPlugin } from '../../src/generate/generator.js';
import { createGeneratorRunner } from '../../src/generate/generator-runner.js';
import type { BugDefinition } from '../../src/injector/definition.js';
import type { Verification } from '../../src/verify/verify-definition.js';

// The runner is the only caller of plugin code: whatever a plugin does, it returns a result.

const bug = { id: 'linear/missing_transpose', name: 'missing_transpose', module: 'linear' } as BugContext;
const definition = { id: 'x', description: 'd', injection_type: 'ast', engine_version: '2.1', target_function: 'f', logic: [] } as unknown as BugDefinition;

function contextWith(verify: (d: unknown) => Verification = () => ({ verdict: 'exact' }), signal?: AbortSignal): GeneratorContext & { verified: unknown[] } {
  const verified: unknown[] = [];
  return {
    python: undefined as never,
    root: '/project',
    cacheDir: '/project/.cache',
    goldenExamples: [],
    env: {},
    ...(signal ? { signal } : {}),
    verified,
    verify: async (d) => {
      verified.push(d);
      return verify(d);
    },
  };
}

const runnerFor = (plugins: GeneratorPlugin[], timeoutMs?: number) => createGeneratorRunner(plugins, { setup: { root: '/project', cacheDir: '/c', env: { KEY: 'k' } }, ...(timeoutMs ? { timeoutMs } : {}) });

test('a throw, a rejection and a non-Error throw become that bug’s failure, with the stack kept for --verbose', async () => {
  const throws: GeneratorPlugin = { name: 'flaky', generate: () => { throw new Error('boom'); } };
  const rejects: GeneratorPlugin = { name: 'async-flaky', generate: async () => Promise.reject(new TypeError('kaput')) };
  const weird: GeneratorPlugin = { name: 'weird', generate: async () => { throw { code: 42 }; } };
  const runner = runnerFor([throws, rejects, weird]);
  const a = await runner.generate(throws, bug, contextWith());
  assert.deepEqual([a.status, a.status === 'failed' && a.reason, a.status === 'failed' && a.retryable], ['failed', 'boom', true]);
  assert.match((a as { stack?: string }).stack ?? '', /Error: boom\n\s+at /);
  const b = await runner.generate(rejects, bug, contextWith());
  assert.equal(b.status === 'failed' && b.reason, 'kaput');
  const c = await runner.generate(weird, bug, contextWith());
  assert.equal(c.status === 'failed' && c.reason, 'threw a non-Error value: {"code":42}');
});

test('a plugin that never answers is stopped by its time limit (its signal fires), or by the run’s signal', async () => {
  let sawAbort = false;
  const hangs: GeneratorPlugin = {
    name: 'hangs',
    generate: (_bug, context) =>
      new Promise(() => {
        context.signal?.addEventListener('abort', () => (sawAbort = true));
      }),
  };
  const runner = runnerFor([hangs], 150);
  const started = Date.now();
  const timedOut = await runner.generate(hangs, bug, contextWith());
  assert.ok(Date.now() - started < 2000);
  assert.equal(timedOut.status, 'failed');
  assert.match(timedOut.status === 'failed' ? timedOut.reason : '', /gave no result within 150 ms/);
  assert.ok(sawAbort, 'the plugin’s signal fired');

  const own = { ...hangs, name: 'own-limit', timeoutMs: 60_000 };
  const run = new AbortController();
  setTimeout(() => run.abort(), 100);
  const cancelled = await runnerFor([own], 150).generate(own, bug, contextWith(undefined, run.signal));
  assert.deepEqual(cancelled, { status: 'failed', reason: 'cancelled', retryable: true });
});

test('setup runs once, lazily, before the first bug; close only for plugins that were set up; a failing setup makes the plugin unavailable', async () => {
  const calls: string[] = [];
  const used: GeneratorPlugin = {
    name: 'used',
    setup: async (ctx) => void calls.push(`setup ${ctx.env.KEY}`),
    available: () => ({ ok: true }),
    generate: async () => ({ status: 'unsupported', reason: 'no' }),
    close: () => void calls.push('close used'),
  };
  const unused: GeneratorPlugin = { name: 'unused', setup: () => void calls.push('setup unused'), generate: async () => ({ status: 'unsupported', reason: 'no' }), close: () => void calls.push('close unused') };
  const broken: GeneratorPlugin = { name: 'broken', setup: () => { throw new Error('no server'); }, generate: async () => ({ status: 'unsupported', reason: 'no' }) };
  const warnings: string[] = [];
  const runner = createGeneratorRunner([used, unused, broken], { setup: { root: '/p', cacheDir: '/c', env: { KEY: 'k' } }, warn: (m) => warnings.push(m) });
  assert.deepEqual(calls, []);
  assert.deepEqual(await Promise.all([runner.prepare(used), runner.prepare(used)]), [{ ok: true }, { ok: true }]);
  assert.deepEqual(await runner.prepare(broken), { ok: false, reason: 'setup failed: no server' });
  await runner.close();
  assert.deepEqual(calls, ['setup k', 'close used']);
  assert.deepEqual(warnings, []);
});

test('a malformed result is a failure; a definition the plugin did not verify is verified before it is trusted', async () => {
  const nothing: GeneratorPlugin = { name: 'nothing', generate: async () => undefined as never };
  const unknown: GeneratorPlugin = { name: 'unknown', generate: async () => ({ status: 'done' }) as never };
  const claims: GeneratorPlugin = { name: 'claims', generate: async () => ({ status: 'generated', definition, verification: { verdict: 'exact' } }) };
  const proves: GeneratorPlugin = {
    name: 'proves',
    generate: async (_bug, context) => ({ status: 'generated', definition, verification: await context.verify(definition) }),
  };
  const runner = runnerFor([nothing, unknown, claims, proves]);
  assert.match(JSON.stringify(await runner.generate(nothing, bug, contextWith())), /returned an invalid result: expected an object with a status, got nothing/);
  assert.match(JSON.stringify(await runner.generate(unknown, bug, contextWith())), /unknown status \\"done\\"/);

  const liar = contextWith(() => ({ verdict: 'no-match', reason: 'pass 1 matched nothing' }));
  const lied = await runner.generate(claims, bug, liar);
  assert.equal(lied.status, 'failed');
  assert.match(lied.status === 'failed' ? lied.reason : '', /verifies as no-match: pass 1 matched nothing/);
  assert.equal(liar.verified.length, 1);

  const honest = contextWith();
  assert.equal((await runner.generate(proves, bug, honest)).status, 'generated');
  assert.equal(honest.verified.length, 1, 'a definition the plugin proved exact is not verified twice');
});

test('LLM usage sums only kind: llm plugins, whatever their names', () => {
  const usage = { calls: 3, failedCalls: 3, cachedCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
  const llm: GeneratorPlugin = { name: 'my-provider', kind: 'llm', generate: async () => ({ status: 'unsupported', reason: '' }), usage: () => usage };
  const other: GeneratorPlugin = { name: 'openai', kind: 'deterministic', generate: async () => ({ status: 'unsupported', reason: '' }), usage: () => ({ ...usage, calls: 100 }) };
  assert.equal(runnerFor([llm, other]).llmUsage().calls, 3);
});

test('a definition the plugin proved through verify() carries that verification, not the one the plugin returns (transfer kept)', async () => {
  const transfer = { exact: 5, total: 6, worst: 'wrong' as const, variants: [{ kind: 'lookalike' as const, outcome: 'wrong' as const, reason: 'changes `g` differently from the patch' }] };
  const dropsTransfer: GeneratorPlugin = {
    name: 'drops-transfer',
    generate: async (_bug, context) => {
      await context.verify(definition);
      return { status: 'generated', definition, verification: { verdict: 'exact' } };
    },
  };
  const context = contextWith(() => ({ verdict: 'exact', transfer, judgedBy: 'engine-1' }));
  const result = await runnerFor([dropsTransfer]).generate(dropsTransfer, bug, context);
  assert.equal(result.status, 'generated');
  assert.deepEqual(result.status === 'generated' && result.verification, { verdict: 'exact', transfer, judgedBy: 'engine-1' });
  assert.equal(context.verified.length, 1, 'not verified twice');
});

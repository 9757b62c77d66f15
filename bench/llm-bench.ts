import { rmSync } from 'node:fs';
import path from 'node:path';
import { createBuildEnvironment } from '../src/compile/build-environment.js';
import { runBuild, type BuildRun } from '../src/compile/run-build.js';
import { loadConfig } from '../src/config/load-config.js';
import { discoverBugs } from '../src/discover/discover-bugs.js';
import type { BugDefinition } from '../src/injector/definition.js';
import { sharedPythonRuntime } from '../src/python/runtime.js';
import { openaiGenerator } from '../plugins/openai/index.js';
import { chatCompletion, startFakeOpenAI } from '../test/support/fake-openai-server.js';
import { printTable } from './bench-table.js';
import { copyCorpus } from './bench-project.js';

const DELAY_MS = 300;

/**
 * The LLM generator alone (synthesis disabled) against a loopback fake server that takes 300 ms
 * per answer: concurrency 1 vs 4, then re-runs that must make no requests.
 */
export async function benchLlm(answers: Map<string, BugDefinition>): Promise<void> {
  const server = await startFakeOpenAI();
  server.fallback((request) => {
    const text = JSON.stringify(request.body?.messages ?? []);
    const id = /# Bug ([^\s]+) /.exec(text)?.[1] ?? '';
    const definition = answers.get(id) ?? { id, description: 'guess', injection_type: 'ast', engine_version: '2.1', target_function: 'f', logic: [] };
    return { delayMs: DELAY_MS, body: chatCompletion(JSON.stringify(definition)) };
  });
  try {
    const rows: (string | number)[][] = [];
    const walls: Record<number, number> = {};
    for (const concurrency of [1, 4]) {
      const { root } = copyCorpus('bug-author-bench-llm-');
      const run = await buildWithLlm(root, concurrency, server.baseURL);
      const before = server.requests.length;
      walls[concurrency] = run.ms;
      rows.push([`concurrency ${concurrency}`, run.outcomes.filter((o) => o.generator === 'openai').length, `${(run.ms / 1000).toFixed(2)} s`, run.usage.calls, server.maxInFlight]);
      if (concurrency === 4) {
        const rerun = await buildWithLlm(root, concurrency, server.baseURL);
        rows.push(['re-run (unchanged)', '-', `${(rerun.ms / 1000).toFixed(2)} s`, server.requests.length - before, '-']);
        for (const o of run.outcomes) if (o.generator === 'openai') rmSync(o.bug.outputFile, { force: true });
        rmSync(path.join(root, '.bug-author', 'cache', 'results'), { recursive: true, force: true });
        const replay = await buildWithLlm(root, concurrency, server.baseURL);
        rows.push(['re-run (JSON + per-bug cache deleted)', replay.outcomes.filter((o) => o.generator === 'openai').length, `${(replay.ms / 1000).toFixed(2)} s`, server.requests.length - before, '-']);
      }
    }
    printTable(`LLM generator only, fake server +${DELAY_MS} ms per answer (${rowsNote(answers)})`, ['run', 'bugs exact via LLM', 'wall', 'HTTP requests', 'max in flight'], rows);
    console.log(`speed-up concurrency 4 vs 1: ${(walls[1]! / walls[4]!).toFixed(2)}×`);
  } finally {
    await server.close();
  }
}

function rowsNote(answers: Map<string, BugDefinition>): string {
  return `the fake answers synthesis's definition for ${answers.size} bugs, a wrong one for the rest`;
}

async function buildWithLlm(root: string, concurrency: number, baseURL: string): Promise<BuildRun> {
  const loaded = await loadConfig({ cwd: root });
  const config = { ...loaded, concurrency };
  const bugs = await discoverBugs(config);
  const generators = [openaiGenerator({ baseURL, apiKey: 'sk-bench-not-a-real-key', concurrency, maxRetries: 0, env: {} })];
  const env = await createBuildEnvironment({ ...config, generators }, { python: sharedPythonRuntime(), env: {}, bugs, noLlm: false });
  try {
    return await runBuild(bugs, env);
  } finally {
    await env.runner.close();
  }
}

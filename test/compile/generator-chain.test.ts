import assert from 'node:assert/strict';
import { test } from 'node:test';
import { createBuildEnvironment } from '../../src/compile/build-environment.js';
import { runGeneratorChain } from '../../src/compile/generator-chain.js';
import { discoverBugs } from '../../src/discover/discover-bugs.js';
import { readBugInputs } from '../../src/inputs/read-bug-inputs.js';
import { prepareBugContext } from '../../src/prepare/prepare-bug-context.js';
import { loadProject } from '../../src/project/load-project.js';
import { verifyTargetOf } from '../../src/verify/cached-verdict.js';
import type { GeneratorPlugin } from '../../src/contracts.js';
import { pythonChoiceEnv } from '../support/cli-run.js';
import { disposableProjects } from '../watch/support/watch-fixture.js';

const project = disposableProjects();

test('a bug handing its work slot over keeps only what its draft file shows, not the injected program', async () => {
  const p = project();
  const { config, env, python } = await loadProject({ cwd: p.root, env: pythonChoiceEnv() }, {});
  const injected = 'x = 1\n'.repeat(100_000);
  const nearMiss: GeneratorPlugin = {
    name: 'near-miss',
    generate: async () => ({
      status: 'failed',
      reason: 'close, not exact',
      draft: { definition: { id: 'near', logic: [] } as never, verification: { verdict: 'differs', reason: 'not the patched code', diff: '-a\n+b\n', output: injected } },
    }),
  };
  const llm: GeneratorPlugin = { name: 'llm', kind: 'llm', generate: async () => ({ status: 'failed', reason: 'unused' }) };
  const bugs = await discoverBugs(config);
  const build = await createBuildEnvironment({ ...config, generators: [nearMiss, llm] }, { python, env, bugs, noLlm: false });
  try {
    const inputs = await readBugInputs(bugs[0]!, config);
    const context = await prepareBugContext(inputs, config, python);
    const chain = await runGeneratorChain(inputs, verifyTargetOf(inputs, config, build), build, () => Promise.resolve(context), { lane: 'work' });
    assert.equal(chain.status, 'handoff');
    const draft = chain.status === 'handoff' ? chain.progress.draft : undefined;
    assert.deepEqual(draft, { definition: { id: 'near', logic: [] }, verification: { verdict: 'differs', reason: 'not the patched code', diff: '-a\n+b\n' }, generator: 'near-miss' });
  } finally {
    await build.runner.close();
  }
});

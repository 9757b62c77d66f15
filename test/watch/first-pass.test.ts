import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { startWatcher } from '../../src/watch/watcher.js';
import { pythonChoiceEnv } from '../support/cli-run.js';
import { BUGS, disposableProjects } from './support/watch-fixture.js';

// watch's first pass streams as build does: with concurrency 1, each bug's JSON is written before
// the next bug is generated, so memory is bounded by the concurrency, not the number of bugs.

const project = disposableProjects();
const synthModule = JSON.stringify(pathToFileURL(path.join(packageRoot, 'plugins', 'synth', 'index.ts')).href);

test('with concurrency 1, the first pass writes each bug before it generates the next', async () => {
  const p = project();
  p.write(
    'bug-author.config.mjs',
    `import { existsSync } from 'node:fs';
import { synthGenerator } from ${synthModule};
const synth = synthGenerator();
const outputs = ${JSON.stringify(BUGS.map((bug) => p.abs(p.jsonPath(bug))))};
globalThis.__writtenBefore = [];
export default { concurrency: 1, generators: [{ name: 'counting', async generate(bug, context) {
  globalThis.__writtenBefore.push(outputs.filter((f) => existsSync(f)).length);
  return synth.generate(bug, context);
} }] };
`,
  );
  const reported: string[] = [];
  const watcher = await startWatcher({ cwd: p.root, noLlm: true, env: pythonChoiceEnv(), onOutcome: (event) => reported.push(event.outcome.bug.id) });
  try {
    await watcher.ready;
    assert.equal(reported.length, BUGS.length);
    assert.deepEqual((globalThis as { __writtenBefore?: number[] }).__writtenBefore, BUGS.map((_, i) => i));
  } finally {
    await watcher.close();
  }
});

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config/load-config.js';
import { disposableProjects } from './support/watch-fixture.js';
import { startLoggedWatcher } from './support/watch-log.js';

const project = disposableProjects();

test('the config records the project modules it imports (not itself, not packages)', async () => {
  const p = project();
  p.write('config/settings.mjs', "import path from 'node:path';\nexport const concurrency = path.sep ? 2 : 1;\n");
  p.write('bug-author.config.mjs', "import { concurrency } from './config/settings.mjs';\nexport default { concurrency };\n");
  const config = await loadConfig({ cwd: p.root });
  assert.equal(config.concurrency, 2);
  assert.deepEqual(config.imports, [p.abs('config/settings.mjs')]);
  // The second load reuses the compiled module, and still knows what it imports.
  assert.deepEqual((await loadConfig({ cwd: p.root })).imports, [p.abs('config/settings.mjs')]);
});

test('editing a module the config imports reloads the config during watch, like editing the config', async () => {
  const p = project();
  p.write('config/nested/settings.mjs', 'export const concurrency = 2;\n');
  p.write('config/limits.mjs', "export { concurrency } from './nested/settings.mjs';\n");
  p.write('bug-author.config.mjs', "import { concurrency } from './config/limits.mjs';\nexport default { concurrency };\n");
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    let since = log.mark();
    p.write('config/nested/settings.mjs', 'export const concurrency = 3;\n');
    const reloaded = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'), 15000, 'a config reload after the imported module changed');
    assert.deepEqual(reloaded.kind === 'config-reloaded' && [reloaded.changed, reloaded.rebuilt], [['concurrency'], false]);

    // An import the config takes up later is watched from then on.
    p.write('config/extra.mjs', 'export const symptom = undefined;\n');
    since = log.mark();
    p.write('bug-author.config.mjs', "import { concurrency } from './config/limits.mjs';\nimport './config/extra.mjs';\nexport default { concurrency: concurrency + 1 };\n");
    await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'), 15000, 'a reload after the config edit');
    since = log.mark();
    p.write('config/extra.mjs', "throw new Error('broken helper');\n");
    const error = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-error'), 15000, 'the error of the broken import');
    assert.match(error.kind === 'config-error' ? error.message : '', /broken helper/);
  } finally {
    await watcher.close();
  }
});

test('a config importing a module outside the project root watches that module too', async () => {
  const outside = mkdtempSync(path.join(os.tmpdir(), 'bug-author-shared-config-'));
  after(() => rmSync(outside, { recursive: true, force: true }));
  const shared = path.join(outside, 'shared.mjs');
  const p = project();
  writeFileSync(shared, 'export const concurrency = 2;\n');
  p.write('bug-author.config.mjs', `import { concurrency } from ${JSON.stringify(shared)};\nexport default { concurrency };\n`);
  const { watcher, log } = await startLoggedWatcher(p.root);
  try {
    const since = log.mark();
    writeFileSync(shared, 'export const concurrency = 5;\n');
    const reloaded = await log.waitFor(since, (_o, notices) => notices.find((n) => n.kind === 'config-reloaded'), 15000, 'a reload after the outside module changed');
    assert.deepEqual(reloaded.kind === 'config-reloaded' && reloaded.changed, ['concurrency']);
  } finally {
    await watcher.close();
  }
});

import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import { test } from 'node:test';
import { runCli } from '../../src/cli.js';
import { packageRoot } from '../../src/package-root.js';
import { exampleCurriculum, pythonChoiceEnv, runInProcess, writableCopy } from '../support/cli-run.js';

// What the build writes over: never a JSON someone saved meanwhile, never a stronger definition,
// nothing once the run is cancelled.

const synthModule = JSON.stringify(pathToFileURL(path.join(packageRoot, 'plugins', 'synth', 'index.ts')).href);
const CORRELATION = 'curricula/tinystats_101/modules/correlation/bugs/missing_sqrt';
const ZSCORES = 'curricula/tinystats_101/modules/zscores/bugs/no_constant_guard';

test('a hand-written JSON saved while its bug is being generated is left as it is', async () => {
  const root = writableCopy(exampleCurriculum);
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { writeFileSync } from 'node:fs';
import { synthGenerator } from ${synthModule};
const synth = synthGenerator();
export default { generators: [{ ...synth, name: 'slow', async generate(bug, context) {
  writeFileSync(new URL('./generating', import.meta.url), '');
  await new Promise((resolve) => setTimeout(resolve, 1500));
  return synth.generate(bug, context);
} }] };
`,
  );
  const json = path.join(root, `${CORRELATION}.json`);
  const handWritten = '{"metadata":{"manual":true}}\n';
  const building = runInProcess(['build', `${CORRELATION}.patch`], root);
  for (let waited = 0; !existsSync(path.join(root, 'generating')) && waited < 20_000; waited += 50) await sleep(50);
  writeFileSync(json, handWritten);
  const result = await building;
  assert.equal(readFileSync(json, 'utf8'), handWritten, 'the hand-written file survives');
  assert.equal(result.code, 1, result.stdout);
  assert.match(result.stdout, /correlation\/bugs\/missing_sqrt\.json changed while this bug was being built, so it was left as it is/);
});

test('--force never replaces a generated JSON that still verifies by one that transfers worse; it does replace a worse one', async () => {
  const root = writableCopy(exampleCurriculum);
  const json = path.join(root, `${CORRELATION}.json`);
  assert.equal((await runInProcess(['build', '--no-llm', `${CORRELATION}.patch`], root)).code, 0);
  const strong = readFileSync(json, 'utf8');
  const strongTransfer = JSON.parse(strong).metadata.bug_author.transfer as { exact: number; total: number; worst: string };
  assert.notEqual(strongTransfer.worst, 'wrong');

  // The same edit, but its replace pass requires the reference's own name: loud (no-match) on renamed variants.
  const weak = JSON.parse(strong);
  delete weak.metadata.bug_author;
  weak.logic.at(-1).pattern.args[0] = { node_type: 'BinOp', left: { node_type: 'Name', id: 'sxx' } };
  writeFileSync(path.join(root, 'weak.json'), JSON.stringify(weak));
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { readFileSync } from 'node:fs';
export default { generators: [{ name: 'weak', async generate() {
  return { status: 'generated', definition: JSON.parse(readFileSync(new URL('./weak.json', import.meta.url), 'utf8')) };
} }] };
`,
  );
  const forced = await runInProcess(['build', '--force', `${CORRELATION}.patch`], root);
  assert.equal(readFileSync(json, 'utf8'), strong, 'the stronger JSON is kept');
  assert.equal(forced.code, 1, forced.stdout);
  const kept = /missing_sqrt\.json kept: it still verifies `exact` and injects exactly into (\d+)\/(\d+) student-style variants(?: \(worst: no-match\))?; the new definition only into (\d+)\/\2 \(worst: no-match\)/.exec(forced.stdout);
  assert.ok(kept, forced.stdout);
  assert.equal(Number(kept[1]), strongTransfer.exact);
  const weakExact = Number(kept[3]);
  assert.ok(weakExact < strongTransfer.exact);
  assert.match(forced.stdout, /delete curricula\/.*missing_sqrt\.json and build again/);

  // The other way round: the weaker one generated (nothing on disk to lose), then --force replaces it with the stronger.
  rmSync(json);
  assert.equal((await runInProcess(['build', `${CORRELATION}.patch`], root)).code, 0);
  assert.equal(JSON.parse(readFileSync(json, 'utf8')).metadata.bug_author.transfer.exact, weakExact);
  writeFileSync(path.join(root, 'bug-author.config.mjs'), `import { synthGenerator } from ${synthModule};\nexport default { generators: [synthGenerator()] };\n`);
  assert.equal((await runInProcess(['build', '--force', `${CORRELATION}.patch`], root)).code, 0);
  assert.equal(JSON.parse(readFileSync(json, 'utf8')).metadata.bug_author.transfer.exact, strongTransfer.exact);
});

test('a definition generated when the run is cancelled is not written, even once its bug gets a slot', async () => {
  const root = writableCopy(exampleCurriculum);
  // One slot per lane: the zscores bug holds the work lane in a slow deterministic generator that
  // cancels the run, while the correlation bug is generated in the LLM lane and waits to be written.
  writeFileSync(
    path.join(root, 'bug-author.config.mjs'),
    `import { synthGenerator } from ${synthModule};
const synth = synthGenerator();
export default { concurrency: 1, generators: [
  { name: 'fast', kind: 'llm', async generate(bug, context) {
    return bug.id.includes('correlation') ? synth.generate(bug, context) : { status: 'unsupported', reason: 'not mine' };
  } },
  { name: 'slow', async generate() {
    await new Promise((resolve) => setTimeout(resolve, 3000));
    globalThis.__cancelBuild();
    return new Promise(() => {});
  } },
] };
`,
  );
  const controller = new AbortController();
  (globalThis as { __cancelBuild?: () => void }).__cancelBuild = () => controller.abort('SIGINT');
  let stdout = '';
  const code = await runCli(['build', `${ZSCORES}.patch`, `${CORRELATION}.patch`], {
    cwd: root,
    env: pythonChoiceEnv(),
    stdout: (t) => void (stdout += t),
    stderr: (t) => void (stdout += t),
    signal: controller.signal,
  });
  assert.equal(code, 130, stdout);
  assert.ok(!existsSync(path.join(root, `${CORRELATION}.json`)), `written after the run was cancelled:\n${stdout}`);
});

import assert from 'node:assert/strict';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { copyTree, runInProcess, sharedCorpus } from '../support/cli-run.js';

// Build and check judge a patch-only bug alike: whatever makes check fail it makes the build fail it.

const BUGS = 'curricula/cs336_a1/modules/text_generation/bugs';
const PATCH = `${BUGS}/temperature_after_softmax.patch`;

test('a patch-only bug without its symptom file fails the build as it fails check', { skip: !existsSync(sharedCorpus) && 'no ../shared/corpus' }, async () => {
  const root = copyTree(sharedCorpus);
  writeFileSync(path.join(root, 'bug-author.config.mjs'), `export default { patchOnly: ['${PATCH}'], enginePickWarning: false };\n`);
  rmSync(path.join(root, BUGS, 'temperature_after_softmax_symptom.txt'));
  const build = await runInProcess(['build', '--no-llm', PATCH], root);
  assert.equal(build.code, 1, build.stdout);
  assert.match(build.stdout, /✖ text_generation\/temperature_after_softmax .*\n {4}patch-only, but curricula\/cs336_a1\/modules\/text_generation\/bugs\/temperature_after_softmax_symptom\.txt does not exist: the engine needs it/);
  const check = await runInProcess(['check', '--format', 'json'], root);
  const { findings } = JSON.parse(check.stdout) as { findings: { bug?: string; kind: string; message: string }[] };
  assert.ok(findings.some((f) => f.bug === 'text_generation/temperature_after_softmax' && f.kind === 'patch-only' && /does not exist/.test(f.message)));
});

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runInProcess } from '../support/cli-run.js';
import { git } from '../support/rotted-project.js';

// The one real curriculum repository of the engine (its curricula/ and modes/, extracted
// read-only on the development machine; CI cannot see it, so this test skips there). Offline.
const ORIGIN = process.env.BUG_AUTHOR_ORIGIN ?? '/tmp/origin';

test('on the real repository: library-mode bugs discovered, rotted patches drafted, accepted and compiled', { skip: !existsSync(path.join(ORIGIN, 'curricula')) && `no ${ORIGIN}` }, async () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-origin-'));
  for (const entry of readdirSync(ORIGIN)) cpSync(path.join(ORIGIN, entry), path.join(root, entry), { recursive: true });
  git(root, 'init', '-q');
  git(root, 'add', '-A');
  git(root, 'commit', '-qm', 'origin');

  const before = await runInProcess(['build', '--no-llm'], root);
  assert.match(before.stdout, /lc_912\/incomplete_merge/, 'the library-mode bug is found through its manifest');
  assert.doesNotMatch(before.stdout, /missing required property 'description'/, 'hand-written JSON is judged by what the engine does, not by the descriptions it lacks');
  assert.match(before.stdout, /cross_entropy\/no_logsumexp.*\n.*replace_with only takes a path/);

  const refresh = await runInProcess(['refresh-patch'], root);
  const drafted = [...refresh.stdout.matchAll(/^✎ (\S+): /gm)].map((m) => m[1]);
  assert.ok(drafted.length >= 3, refresh.stdout);
  // Bugs whose code changed shape: only a model could re-author them; no deterministic draft.
  for (const changed of ['adamw', 'attention', 'rmsnorm', 'swiglu', 'embedding', 'multihead_attention']) {
    assert.ok(!drafted.some((p) => p!.includes(`/modules/${changed}/`)), `no draft for ${changed}`);
  }

  const accept = await runInProcess(['refresh-patch', '--accept-all'], root);
  assert.equal(accept.code, 0, accept.stderr);
  assert.doesNotMatch(accept.stdout, /build --force/, 'accepting settles the old hand-written JSON: no --force needed');
  assert.match(accept.stdout, /Run `bug-author build` to compile the accepted patches\.\n$/);
  // Each hand-written JSON beside an accepted patch was made for the old patch and no longer
  // injects the accepted one cleanly (no match, differs, or something else into student-style
  // code): retired (moved, with its text), saying why, so that it stands in no build's way.
  const retired = [...accept.stdout.matchAll(/its hand-written JSON (\S+) was made for the old patch \(against the accepted one: .+\): retired to (\S+)$/gm)];
  assert.equal(retired.length, drafted.filter((p) => existsSync(path.join(root, '.bug-author/retired', p!.replace(/\.patch$/, '.json')))).length);
  assert.ok(retired.length >= 3, accept.stdout);
  for (const [, json, to] of retired) {
    assert.ok(!existsSync(path.join(root, json!)), `${json} left the bugs folder`);
    assert.equal(readFileSync(path.join(root, to!), 'utf8'), git(root, 'show', `HEAD:${json}`), `${json} moved, not lost`);
  }

  // A plain build compiles every accepted patch, with its transfer.
  const build = await runInProcess(['build', '--no-llm'], root);
  for (const patch of drafted) {
    const id = patch!.split('/').slice(-3, -2)[0];
    assert.match(build.stdout, new RegExp(`✔ ${id}/\\S+ +synth +exact +transfer \\d+/\\d+`), build.stdout);
  }

  const check = await runInProcess(['check', '--format', 'json'], root);
  const findings = (JSON.parse(check.stdout) as { findings: { kind: string; file: string; fix: string }[] }).findings;
  assert.ok(!findings.some((f) => f.kind === 'orphan' && f.file.includes('lc_912') && /\brm\b/.test(f.fix) && f.file.endsWith('incomplete_merge.json')));
});

import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { runChild, runInProcess } from '../support/cli-run.js';
import { definition, pinnedDefinition } from '../support/git-fixture.js';
import { git, rottedBug, rottedProject } from '../support/rotted-project.js';

// Accepting a draft says the repaired patch is now the bug. The hand-written JSON beside it was
// made for the old patch: it is kept when it still injects the accepted patch exactly (and
// nothing else into student-style code), else retired to .bug-author/retired/ so that the next
// plain build compiles the accepted patch — only when git holds its text, unless --force.
// The rotted patches are those of ../support/rotted-project.ts (re-anchoring's fixture).

const SILU = rottedBug('silu', 'no_multiply').replace(/\.patch$/, '');
const ROTATE = rottedBug('rotate', 'wrong_sign').replace(/\.patch$/, '');

/** Pinned to the site by its canonical argument name: still exact today, and never lands in a look-alike function. */
const SILU_JSON = pinnedDefinition(
  'silu-no-multiply',
  'silu',
  {
    track: { node_type: 'BinOp', op: 'Mult', left: { node_type: 'Name', id: '_arg0' }, right: { node_type: 'Call', func: { node_type: 'Attribute', attr: 'sigmoid' } } },
    replace: { node_type: 'BinOp', op: 'Mult' },
    replacement: { type: 'replace_with', source: 'node.right' },
  },
  { author: 'a teacher' },
);

/** Written for the old patch: it looks for the local by its old name, which is gone. */
const ROTATE_JSON = definition(
  'rotate-wrong-sign',
  'rotate',
  { node_type: 'Assign', targets: [{ node_type: 'Name', id: 'x_rotated_even' }] },
  { type: 'replace_value_with', source: 'x_even * cos_selected + x_odd * sin_selected' },
  { author: 'a teacher' },
);

/** The rotted project, with hand-written JSON beside the silu and rotate patches unless `json` is false. */
function project(options: { json?: boolean } = {}): string {
  if (options.json === false) return rottedProject();
  return rottedProject({ [`${SILU}.json`]: `${JSON.stringify(SILU_JSON, null, 2)}\n`, [`${ROTATE}.json`]: `${JSON.stringify(ROTATE_JSON, null, 2)}\n` });
}

const read = (root: string, file: string) => readFileSync(path.join(root, file), 'utf8');
const retired = (file: string) => path.join('.bug-author/retired', file);

test('accept retires a hand-written JSON that no longer matches and keeps one that is still exact and transfer-safe; plain build then compiles the accepted patch', async () => {
  const root = project();
  const refresh = await runInProcess(['refresh-patch'], root);
  assert.match(refresh.stdout, /✎ .*rotate\/bugs\/wrong_sign\.patch: [\s\S]*✎ .*silu\/bugs\/no_multiply\.patch: /);
  const rotateJson = read(root, `${ROTATE}.json`);
  const siluJson = read(root, `${SILU}.json`);
  const drafts = { rotate: read(root, `.bug-author/drafts/${ROTATE}.patch`), silu: read(root, `.bug-author/drafts/${SILU}.patch`) };

  // Before accepting, the rotted patches fail the build.
  const before = await runInProcess(['build', '--no-llm'], root);
  assert.match(before.stdout, /✖ rotate\/wrong_sign .*error/);

  const accept = await runInProcess(['refresh-patch', '--accept-all'], root);
  assert.equal(accept.code, 0, accept.stderr);
  assert.equal(read(root, `${ROTATE}.patch`), drafts.rotate);
  assert.equal(read(root, `${SILU}.patch`), drafts.silu);

  // rotate's JSON: moved out of the bugs folder, with its text, saying why and where.
  assert.ok(!existsSync(path.join(root, `${ROTATE}.json`)), 'the old JSON is out of the engine bugs folder');
  assert.equal(read(root, retired(`${ROTATE}.json`)), rotateJson, 'retired, not deleted');
  assert.match(
    accept.stdout,
    new RegExp(`✔ ${ROTATE}\\.patch: replaced by its draft .*\\n    its hand-written JSON ${ROTATE}\\.json was made for the old patch \\(against the accepted one: no-match: pass 1 \\(find_and_replace\\) matched nothing[^\\n]*\\): retired to \\.bug-author/retired/${ROTATE}\\.json\\n`),
  );
  // silu's JSON still injects the accepted patch exactly, on student-style code too: kept as it is.
  assert.equal(read(root, `${SILU}.json`), siluJson);
  assert.match(accept.stdout, new RegExp(`    its hand-written JSON ${SILU}\\.json still injects the accepted patch exactly \\(transfer \\d+/\\d+\\): kept\\n`));
  assert.match(accept.stdout, /Run `bug-author build` to compile the accepted patches\.\n$/);
  assert.doesNotMatch(accept.stdout, /--force/);

  const build = await runInProcess(['build', '--no-llm'], root);
  assert.match(build.stdout, /✔ rotate\/wrong_sign +synth +exact +transfer \d+\/\d+/);
  assert.match(build.stdout, /✔ silu\/no_multiply +manual +exact +transfer \d+\/\d+ +(?!.*WRONG).*hand-written, kept/);
  const compiled = JSON.parse(read(root, `${ROTATE}.json`)) as { metadata: { bug_author?: { inputs: { patch: string } } } };
  assert.equal(compiled.metadata.bug_author?.inputs.patch, `${ROTATE}.patch`);

  // The retired JSON is nobody's output: check does not call it an orphan.
  const check = await runInProcess(['check', '--format', 'json'], root);
  const findings = (JSON.parse(check.stdout) as { findings: { kind: string; file: string }[] }).findings;
  assert.ok(!findings.some((f) => f.file.includes('.bug-author/retired')), check.stdout);
});

test('accept refuses to retire a JSON git does not hold (edited, or untracked) unless --force, which moves it and never deletes it', async () => {
  const root = project();
  await runInProcess(['refresh-patch', `${ROTATE}.patch`], root);
  const patch = read(root, `${ROTATE}.patch`);
  const draft = `.bug-author/drafts/${ROTATE}.patch`;

  const edited = `${JSON.stringify({ ...ROTATE_JSON, description: 'Flips the sign (edited, not committed).' }, null, 2)}\n`;
  writeFileSync(path.join(root, `${ROTATE}.json`), edited);
  const dirty = await runInProcess(['refresh-patch', '--accept', 'rotate/wrong_sign'], root);
  assert.equal(dirty.code, 1);
  assert.match(dirty.stderr, new RegExp(`✖ ${ROTATE}\\.patch: not accepted: its hand-written JSON ${ROTATE}\\.json was made for the old patch \\(against the accepted one: no-match: .*\\) and would be retired, but its JSON has edits git has not committed; commit it first, or accept with --force`));
  assert.equal(read(root, `${ROTATE}.patch`), patch, 'nothing changed: the patch');
  assert.equal(read(root, `${ROTATE}.json`), edited, 'nothing changed: the JSON');
  assert.ok(existsSync(path.join(root, draft)), 'the draft waits');

  git(root, 'rm', '-q', '--cached', `${ROTATE}.json`);
  git(root, 'commit', '-qm', 'untrack the JSON');
  const untracked = await runInProcess(['refresh-patch', '--accept', 'rotate/wrong_sign'], root);
  assert.equal(untracked.code, 1);
  assert.match(untracked.stderr, /and would be retired, but git does not track its JSON;/);
  assert.equal(read(root, `${ROTATE}.json`), edited);

  // Where it cannot be moved to (a file in the way), nothing changes.
  writeFileSync(path.join(root, '.bug-author/retired'), 'in the way\n');
  const blocked = await runInProcess(['refresh-patch', '--accept', 'rotate/wrong_sign', '--force'], root);
  assert.equal(blocked.code, 1);
  assert.match(blocked.stderr, new RegExp(`not accepted: its hand-written JSON ${ROTATE}\\.json could not be moved under \\.bug-author/retired/: .*; nothing was changed`));
  assert.equal(read(root, `${ROTATE}.patch`), patch);
  assert.equal(read(root, `${ROTATE}.json`), edited);
  rmSync(path.join(root, '.bug-author/retired'));

  // An earlier retired copy of the same JSON is never written over.
  mkdirSync(path.dirname(path.join(root, retired(`${ROTATE}.json`))), { recursive: true });
  writeFileSync(path.join(root, retired(`${ROTATE}.json`)), 'retired before\n');
  const forced = await runInProcess(['refresh-patch', '--accept', 'rotate/wrong_sign', '--force'], root);
  assert.equal(forced.code, 0, forced.stderr);
  assert.ok(!existsSync(path.join(root, `${ROTATE}.json`)));
  assert.equal(read(root, retired(`${ROTATE}.json`)), 'retired before\n');
  assert.equal(read(root, retired(`${ROTATE}/../wrong_sign.2.json`)), edited, 'moved with its uncommitted text');
  assert.match(forced.stdout, new RegExp(`retired to \\.bug-author/retired/${ROTATE}\\.2\\.json`));
  assert.ok(!existsSync(path.join(root, draft)));
});

test('accept starts no Python when no hand-written JSON is beside the patch', async () => {
  const root = project({ json: false });
  assert.match((await runInProcess(['refresh-patch'], root)).stdout, /✎ .*wrong_sign\.patch: /);
  const accept = await runChild(['refresh-patch', '--accept-all'], root);
  assert.equal(accept.code, 0, accept.stderr);
  assert.match(accept.stdout, /✔ .*wrong_sign\.patch: replaced by its draft/);
  assert.doesNotMatch(accept.stdout, /hand-written JSON/);
  assert.equal(accept.pythonLoaded, false);
});

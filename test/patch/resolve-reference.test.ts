import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { bugRefFor } from '../../src/discover/bug-ref.js';
import { InputError } from '../../src/errors.js';
import { workingTreeFiles } from '../../src/files/project-files.js';
import { resolveReference } from '../../src/patch/resolve-reference.js';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-ref-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const patch = 'curricula/c/modules/m/bugs/b.patch';

test('a header path resolves against the configured source roots', async () => {
  const root = project({ [patch]: '', 'modes/developer/pkg/mod.py': 'x = 1\n' });
  const config = resolveConfig({}, root);
  const found = await resolveReference(bugRefFor(patch, config), 'pkg/mod.py', config, workingTreeFiles);
  assert.deepEqual(found, { found: true, file: path.join(root, 'modes/developer/pkg/mod.py') });
});

test('library mode uses solution.py above bugs/', async () => {
  const root = project({ [patch]: '', 'curricula/c/modules/m/solution.py': 'x = 1\n', 'modes/developer/solution.py': 'y = 2\n' });
  const config = resolveConfig({}, root);
  const found = await resolveReference(bugRefFor(patch, config), 'solution.py', config, workingTreeFiles);
  assert.deepEqual(found, { found: true, file: path.join(root, 'curricula/c/modules/m/solution.py') });
  const off = resolveConfig({ library: false }, root);
  const plain = await resolveReference(bugRefFor(patch, off), 'solution.py', off, workingTreeFiles);
  assert.deepEqual(plain, { found: true, file: path.join(root, 'modes/developer/solution.py') });
});

test('a reference that exists nowhere reports where it looked', async () => {
  const root = project({ [patch]: '' });
  const config = resolveConfig({}, root);
  const result = await resolveReference(bugRefFor(patch, config), 'pkg/missing.py', config, workingTreeFiles);
  assert.equal(result.found, false);
  assert.ok(!result.found && result.tried.includes(path.join(root, 'modes/developer/pkg/missing.py')));
});

test('a patch path may not escape the project root', async () => {
  const root = project({ [patch]: '' });
  const config = resolveConfig({}, root);
  for (const target of ['../../../../../../etc/passwd', '/etc/passwd']) {
    await assert.rejects(
      resolveReference(bugRefFor(patch, config), target, config, workingTreeFiles),
      (err: unknown) => err instanceof InputError && err.kind === 'escapes-root',
      target,
    );
  }
});

test("library 'auto': a header naming another existing file wins; an unknown one still means solution.py", async () => {
  const root = project({ [patch]: '', 'curricula/c/modules/m/solution.py': 'x = 1\n', 'curricula/c/modules/m/helpers.py': 'y = 2\n' });
  const config = resolveConfig({}, root);
  const bug = bugRefFor(patch, config);
  assert.deepEqual(await resolveReference(bug, 'helpers.py', config, workingTreeFiles), { found: true, file: path.join(root, 'curricula/c/modules/m/helpers.py') });
  assert.deepEqual(await resolveReference(bug, 'main.py', config, workingTreeFiles), { found: true, file: path.join(root, 'curricula/c/modules/m/solution.py') });
  const forced = resolveConfig({ library: true }, root);
  assert.deepEqual(await resolveReference(bug, 'helpers.py', forced, workingTreeFiles), { found: true, file: path.join(root, 'curricula/c/modules/m/solution.py') });
});

test('a reference reached through a symbolic link is fine inside the project and refused when it leads outside', async () => {
  const { symlinkSync } = await import('node:fs');
  const root = project({ [patch]: '', 'vendor/mod.py': 'x = 1\n' });
  const outside = project({ 'mod.py': 'x = 2\n' });
  mkdirSync(path.join(root, 'modes/developer/pkg'), { recursive: true });
  symlinkSync(path.join(root, 'vendor/mod.py'), path.join(root, 'modes/developer/pkg/inside.py'));
  symlinkSync(path.join(outside, 'mod.py'), path.join(root, 'modes/developer/pkg/outside.py'));
  const config = resolveConfig({}, root);
  const bug = bugRefFor(patch, config);
  assert.deepEqual(await resolveReference(bug, 'pkg/inside.py', config, workingTreeFiles), { found: true, file: path.join(root, 'modes/developer/pkg/inside.py') });
  await assert.rejects(
    resolveReference(bug, 'pkg/outside.py', config, workingTreeFiles),
    (err: unknown) => err instanceof InputError && err.kind === 'escapes-root' && /symbolic link to .*outside the project root/.test(err.reason),
  );
});

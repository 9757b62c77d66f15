import assert from 'node:assert/strict';
import { mkdtemp, readFile, rename, rm, stat, symlink, writeFile, mkdir } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { describe, test } from 'node:test';
import { simpleGit } from 'simple-git';
import { HOOK_MARKER } from '../../src/git/pre-commit-hook.js';
import { packageRoot } from '../../src/package-root.js';
import { runInProcess } from '../support/cli-run.js';
import { DEFINITIONS, NO_FACTOR, PATCHES, curriculumRepo } from '../support/git-fixture.js';

const BIN = path.join(packageRoot, 'bin', 'bug-author.mjs');

async function emptyRepo(): Promise<string> {
  const root = await mkdtemp(path.join(os.tmpdir(), 'bug-author-hook-'));
  await simpleGit(root).init();
  return root;
}

/** bug-author as a curriculum's dev dependency puts it: `node_modules/.bin/bug-author` (ignored by git, as node_modules is). */
async function installAsDevDependency(projectDir: string): Promise<void> {
  await mkdir(path.join(projectDir, 'node_modules', '.bin'), { recursive: true });
  await symlink(BIN, path.join(projectDir, 'node_modules', '.bin', 'bug-author'));
  const top = (await simpleGit(projectDir).revparse(['--show-toplevel'])).trim();
  await writeFile(path.join(top, '.git', 'info', 'exclude'), 'node_modules/\n');
}

describe('bug-author hook install', () => {
  test('writes an executable pre-commit hook that finds bug-author when it runs (no absolute path in it); a second install updates it', async () => {
    const root = await emptyRepo();
    const result = await runInProcess(['hook', 'install'], root);
    assert.equal(result.code, 0, result.stderr);
    assert.match(result.stdout, /^Installed \.git\/hooks\/pre-commit/);
    const file = path.join(root, '.git', 'hooks', 'pre-commit');
    const script = await readFile(file, 'utf8');
    assert.match(script, /^#!\/bin\/sh\n/);
    assert.ok(script.includes(HOOK_MARKER));
    assert.ok(script.includes('node_modules/.bin/bug-author'), script);
    assert.ok(script.includes('exec "$bin" check --staged;'), script);
    assert.ok(script.includes('exec bug-author check --staged;'), script);
    assert.ok(!script.includes(packageRoot) && !script.includes(root), `no absolute path is written:\n${script}`);
    assert.equal((await stat(file)).mode & 0o111, 0o111);

    const again = await runInProcess(['hook', 'install'], root);
    assert.equal(again.code, 0);
    assert.match(again.stdout, /^Updated/);
  });

  test('refuses to overwrite a hook it did not write, says how to add the line to husky or lefthook; --force replaces it', async () => {
    const root = await emptyRepo();
    const file = path.join(root, '.git', 'hooks', 'pre-commit');
    const foreign = '#!/bin/sh\nnpx lint-staged\n';
    await writeFile(file, foreign, { mode: 0o755 });
    const refused = await runInProcess(['hook', 'install'], root);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /was not written by bug-author/);
    assert.match(refused.stderr, /husky: add this line to \.husky\/pre-commit\n\s+npx bug-author check --staged/);
    assert.match(refused.stderr, /lefthook.yml[\s\S]*run: npx bug-author check --staged/);
    assert.match(refused.stderr, /--force/);
    assert.equal(await readFile(file, 'utf8'), foreign);

    const forced = await runInProcess(['hook', 'install', '--force'], root);
    assert.equal(forced.code, 0);
    assert.ok((await readFile(file, 'utf8')).includes(HOOK_MARKER));
  });

  test('hooks managed through core.hooksPath (husky) are not touched without --force', async () => {
    const root = await emptyRepo();
    await simpleGit(root, { unsafe: { allowUnsafeHooksPath: true } }).addConfig('core.hooksPath', '.husky/_');
    const refused = await runInProcess(['hook', 'install'], root);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /core\.hooksPath = \.husky\/_/);
    const forced = await runInProcess(['hook', 'install', '--force'], root);
    assert.equal(forced.code, 0);
    assert.ok((await readFile(path.join(root, '.husky', '_', 'pre-commit'), 'utf8')).includes(HOOK_MARKER));
  });

  test('a project in a subdirectory: the hook checks it with --cwd', async () => {
    const root = await emptyRepo();
    await mkdir(path.join(root, 'teaching'), { recursive: true });
    const result = await runInProcess(['hook', 'install', '--cwd', 'teaching'], root);
    assert.equal(result.code, 0, result.stderr);
    assert.ok((await readFile(path.join(root, '.git', 'hooks', 'pre-commit'), 'utf8')).includes(`check --staged --cwd 'teaching'`));
  });

  test('usage errors exit 2: no action, an unknown action, not a git repository', async () => {
    const root = await emptyRepo();
    assert.equal((await runInProcess(['hook'], root)).code, 2);
    assert.equal((await runInProcess(['hook', 'remove'], root)).code, 2);
    const outside = await mkdtemp(path.join(os.tmpdir(), 'bug-author-nogit-'));
    const result = await runInProcess(['hook', 'install'], outside);
    assert.equal(result.code, 2);
    assert.match(result.stderr, /not in a git repository/);
  });

  for (const subdirectory of [undefined, 'teaching']) {
    test(`the installed hook blocks a commit whose staged JSON is stale, and lets the fixed commit through${subdirectory ? ' (project in a subdirectory)' : ''}`, async () => {
      const repo = await curriculumRepo(subdirectory ? { subdirectory } : {});
      await installAsDevDependency(repo.root);
      assert.equal((await repo.cli(['hook', 'install'])).code, 0);
      await repo.cli(['check']); // verdicts cached: the hook's check needs no Python
      // simple-git refuses editor variables in a custom environment (npm sets EDITOR); a commit needs none.
      const { EDITOR: _editor, VISUAL: _visual, GIT_EDITOR: _gitEditor, ...environment } = process.env;
      const git = simpleGit(repo.topLevel).env({ ...environment, BUG_AUTHOR_FROM_SOURCE: '1' });
      const patch = path.posix.join(subdirectory ?? '', NO_FACTOR.patch);

      await repo.write(NO_FACTOR.patch, PATCHES[NO_FACTOR.patch]!.replace('# BUG: the factor is ignored', '# BUG: factor dropped'));
      await git.add([patch]);
      await assert.rejects(git.commit('edit the patch only'), (err: Error) => {
        assert.match(err.message, /stale/);
        assert.ok(err.message.includes(`bug-author build ${NO_FACTOR.patch} && git add ${NO_FACTOR.json}`), err.message);
        return true;
      });
      assert.equal((await git.log()).total, 1, 'nothing was committed');

      // `git commit -a` hands the hook a temporary index: the regenerated JSON, not yet added, counts.
      await repo.writeGenerated(NO_FACTOR, DEFINITIONS.noFactor);
      await repo.cli(['check']); // caches the new JSON's verdict, as running build would
      await git.commit('edit the patch and its JSON', ['-a']);
      assert.equal((await git.log()).total, 2);
      assert.deepEqual((await git.status()).files, []);
    });
  }

  test('the hook survives moving the repository and its bug-author: it finds bug-author where it is now, and says so when it is nowhere', async () => {
    const repo = await curriculumRepo();
    await installAsDevDependency(repo.root);
    assert.equal((await repo.cli(['hook', 'install'])).code, 0);
    await repo.cli(['check']);
    const moved = `${repo.topLevel}-moved`;
    await rename(repo.topLevel, moved);
    const { EDITOR: _editor, VISUAL: _visual, GIT_EDITOR: _gitEditor, ...environment } = process.env;
    const git = simpleGit(moved).env({ ...environment, BUG_AUTHOR_FROM_SOURCE: '1' });
    await writeFile(path.join(moved, NO_FACTOR.patch), PATCHES[NO_FACTOR.patch]!.replace('# BUG: the factor is ignored', '# BUG: factor dropped'));
    await git.add([NO_FACTOR.patch]);
    await assert.rejects(git.commit('stale'), /stale/, 'the hook ran the check from its new place');

    // No bug-author anywhere (not in node_modules, not on PATH): the commit is stopped with what to do.
    await rm(path.join(moved, 'node_modules'), { recursive: true });
    const bare = simpleGit(moved).env({ ...environment, PATH: path.dirname(process.execPath) + path.delimiter + '/usr/bin' + path.delimiter + '/bin' });
    await assert.rejects(bare.commit('no bug-author'), /bug-author is not installed here .*npm install --save-dev/);
  });
});

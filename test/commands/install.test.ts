// A newcomer's path: bug-author packed (`npm pack`), installed into a curriculum as a dev
// dependency, and run there with `npx bug-author`, a TypeScript config importing 'bug-author',
// and the pre-commit hook finding node_modules/.bin/bug-author. Install scripts are skipped, as
// npm 12 skips unapproved ones: nothing must depend on them.
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { exampleCurriculum } from '../support/cli-run.js';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const hasNpm = spawnSync(npm, ['--version']).status === 0;
const run = promisify(execFile);

async function sh(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string }> {
  try {
    const { stdout, stderr } = await run(command, args, { cwd, env: { ...process.env, npm_config_update_notifier: 'false', ...env }, maxBuffer: 16 * 1024 * 1024 });
    return { code: 0, out: stdout + stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, out: (e.stdout ?? '') + (e.stderr ?? '') };
  }
}

test('npm pack, install into a curriculum, npx bug-author build / check / hook install there', { skip: !hasNpm && 'no npm' }, async () => {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'bug-author-install-'));
  // dist/ is built (pretest); the tarball holds it, as the published package would.
  const packed = await sh(npm, ['pack', '--ignore-scripts', '--pack-destination', scratch], packageRoot);
  assert.equal(packed.code, 0, packed.out);
  const tarball = readdirSync(scratch).find((f) => f.endsWith('.tgz'));
  assert.ok(tarball, packed.out);

  const course = path.join(scratch, 'my-course');
  cpSync(exampleCurriculum, course, { recursive: true, filter: (f) => !/\.bug-author|[\\/]bugs[\\/][^\\/]+\.json$/.test(f) });
  writeFileSync(path.join(course, 'package.json'), '{ "name": "my-course", "private": true }\n');
  const installed = await sh(npm, ['install', '--save-dev', '--ignore-scripts', '--no-audit', '--no-fund', '--prefer-offline', path.join(scratch, tarball)], course);
  assert.equal(installed.code, 0, installed.out);
  assert.match(readFileSync(path.join(course, 'package.json'), 'utf8'), /"bug-author": ?"file:/);

  writeFileSync(
    path.join(course, 'bug-author.config.ts'),
    "import { defineConfig } from 'bug-author';\nimport { synthGenerator } from 'bug-author/plugins/synth';\nexport default defineConfig({ generators: [synthGenerator()] });\n",
  );
  const built = await sh(npm, ['exec', '--no', '--', 'bug-author', 'build'], course);
  assert.equal(built.code, 0, built.out);
  assert.match(built.out, /Building 6 bugs in .*my-course \(config bug-author\.config\.ts\)/);
  assert.match(built.out, /Failed: +0/);
  const checked = await sh(npm, ['exec', '--no', '--', 'bug-author', 'check'], course);
  assert.equal(checked.code, 0, checked.out);

  const git = (...args: string[]) => spawnSync('git', ['-c', 'user.email=t@example.invalid', '-c', 'user.name=t', ...args], { cwd: course, encoding: 'utf8' });
  git('init', '-q');
  writeFileSync(path.join(course, '.gitignore'), 'node_modules/\n');
  const hook = await sh(npm, ['exec', '--no', '--', 'bug-author', 'hook', 'install'], course);
  assert.equal(hook.code, 0, hook.out);
  const script = readFileSync(path.join(course, '.git', 'hooks', 'pre-commit'), 'utf8');
  assert.ok(!script.includes(scratch), `no absolute path in the hook:\n${script}`);
  git('add', '-A');
  const committed = git('commit', '-qm', 'course');
  assert.equal(committed.status, 0, committed.stderr + committed.stdout);
});

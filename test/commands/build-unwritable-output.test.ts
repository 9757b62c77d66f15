import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { packageFile } from '../../src/package-root.js';
import { exampleCurriculum, writableCopy } from '../support/cli-run.js';

// An output folder the user cannot write to. Root ignores file modes, so when the suite runs as
// root (CI does) the CLI runs as the unprivileged user `nobody`, for whom the modes hold.

const NOBODY = 65534;
const asRoot = process.getuid?.() === 0;

function run(args: string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [packageFile('bin', 'bug-author.mjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: cwd },
      ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => void (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Whether `nobody` can read this checkout (a clone under a private home directory cannot be). */
async function nobodyCanRunTheCli(cwd: string): Promise<boolean> {
  if (!asRoot) return true;
  return (await run(['--version'], cwd)).code === 0;
}

test('build: an output folder that is not writable fails that bug with the reason; the rest is built; summary; exit 1', async (t) => {
  const root = writableCopy(exampleCurriculum, 'bug-author-readonly-');
  // Everything open to the unprivileged user, then one bugs/ folder closed to writing.
  chmodSync(root, 0o777);
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(root, entry);
    chmodSync(file, statSync(file).isDirectory() ? 0o777 : 0o666);
  }
  if (!(await nobodyCanRunTheCli(root))) {
    t.skip(`the unprivileged user cannot read this checkout (${packageFile()}), so file modes cannot be tested as root`);
    return;
  }
  const locked = path.join(root, 'curricula/tinystats_101/modules/correlation/bugs');
  chmodSync(locked, 0o555);
  try {
    const result = await run(['build', '--no-llm'], root);
    assert.equal(result.code, 1, result.stdout + result.stderr);
    assert.match(result.stdout, /✖ correlation\/missing_sqrt .*\n {4}cannot write curricula\/tinystats_101\/modules\/correlation\/bugs\/missing_sqrt\.json: permission denied \(EACCES\)/);
    assert.match(result.stdout, /Failed: +1\n/);
    assert.match(result.stdout, /Bugs with input or output errors \(1\):\n {2}- correlation\/missing_sqrt: cannot write/);
    assert.doesNotMatch(result.stdout + result.stderr, /^\s+at /m, 'no stack trace');
    assert.equal(existsSync(path.join(locked, 'missing_sqrt.json')), false);
    const others = readdirSync(path.join(root, 'curricula'), { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.patch') && !f.includes('correlation'));
    assert.ok(others.length >= 4);
    for (const patch of others) assert.ok(existsSync(path.join(root, 'curricula', patch.replace(/\.patch$/, '.json'))), `${patch} was built`);
  } finally {
    chmodSync(locked, 0o777);
  }
});

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import path from 'node:path';
import { after, test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { Project, slowSynthConfig } from '../watch/support/watch-fixture.js';

// A build stopped by a signal exits with 128 + the signal's number, as shells report it.

const projects: Project[] = [];
after(() => {
  for (const p of projects) p.dispose();
});

async function stopBuildWith(signal: NodeJS.Signals): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const p = Project.create({ config: slowSynthConfig({ delayMs: 60_000 }) });
  projects.push(p);
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(packageRoot, 'src', 'main.ts'), 'build'], {
    cwd: p.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => void (stdout += chunk.toString()));
  const started = new Promise<void>((resolve) =>
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
      if (stderr.includes('slow-generator: start')) resolve();
    }),
  );
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  try {
    await started;
    child.kill(signal);
    return { code: await exited, stdout, stderr };
  } finally {
    child.kill('SIGKILL');
  }
}

test('SIGTERM stops a build with exit 143, SIGINT with 130; both print the summary', async () => {
  const term = await stopBuildWith('SIGTERM');
  assert.equal(term.code, 143, term.stdout + term.stderr);
  assert.match(term.stdout, /BUILD SUMMARY/);
  assert.match(term.stderr, /Interrupted: bugs still in progress were not written/);
  const int = await stopBuildWith('SIGINT');
  assert.equal(int.code, 130, int.stdout + int.stderr);
});

import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { after, test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { pythonChoiceEnv, runInProcess } from '../support/cli-run.js';
import { BUGS, deletionPatch, OPS_PY, Project, slowSynthConfig } from '../watch/support/watch-fixture.js';

const projects: Project[] = [];
after(() => {
  for (const p of projects) p.dispose();
});

const [dropAdd] = BUGS as [(typeof BUGS)[number]];

/** The real CLI (`node --import tsx src/main.ts watch …`) as a child process, its output collected. */
class WatchChild {
  readonly process: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private wake: (() => void)[] = [];

  constructor(cwd: string, args: string[] = []) {
    this.process = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(packageRoot, 'src', 'main.ts'), 'watch', '--no-llm', ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...pythonChoiceEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const notify = () => {
      const wake = this.wake;
      this.wake = [];
      for (const w of wake) w();
    };
    this.process.stdout!.on('data', (chunk: Buffer) => {
      this.stdout += chunk.toString();
      notify();
    });
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
      notify();
    });
    this.exited = new Promise((resolve) => this.process.once('exit', (code, signal) => resolve({ code, signal })));
  }

  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, from = 0, timeoutMs = 30000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!pattern.test(this[stream].slice(from))) {
      const left = deadline - Date.now();
      if (left <= 0 || this.process.exitCode !== null) {
        throw new Error(`no ${pattern} on ${stream}; stdout:\n${this.stdout}\nstderr:\n${this.stderr}`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, Math.min(left, 200));
        this.wake.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  kill(signal: NodeJS.Signals): void {
    if (this.process.exitCode === null) this.process.kill(signal);
  }
}

test('watch --help and usage errors', async () => {
  const help = await runInProcess(['watch', '--help'], packageRoot);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--poll/);
  const extra = await runInProcess(['watch', 'something'], packageRoot);
  assert.equal(extra.code, 2);
  const bad = await runInProcess(['watch', '--debounce', 'soon'], packageRoot);
  assert.equal(bad.code, 2);
});

test('the CLI daemon: ready line, one line per save, a second watcher refused (exit 2, pid), SIGINT stops it cleanly', async () => {
  const p = Project.create();
  projects.push(p);
  const child = new WatchChild(p.root);
  try {
    await child.waitFor('stdout', /watching 4 bugs in .* — Ctrl-C to stop/);
    assert.match(child.stdout, /initial pass: 4 built, 0 up to date, 0 hand-written, 0 failed/);

    const mark = child.stdout.length;
    p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'y = x * k', 'BUG: no scaling'));
    await child.waitFor('stdout', /✔ scale\/drop_add\s+synth\s+exact\s+transfer \d+\/\d+[^\n]*\d+ ms/, mark);
    assert.match(p.read(p.jsonPath(dropAdd)), /y = x \* k/);

    const second = await runInProcess(['watch', '--no-llm'], p.root);
    assert.equal(second.code, 2);
    assert.match(second.stderr, new RegExp(`pid ${child.process.pid}\\b`));

    child.kill('SIGINT');
    const exit = await child.exited;
    assert.equal(exit.code, 0, child.stderr);
    assert.match(child.stdout, /stopped/);
    assert.equal(existsSync(p.abs('.bug-author/watch.lock')), false, 'the lock is released');
  } finally {
    child.kill('SIGKILL');
  }
});

test('SIGTERM during a generation stops promptly and leaves no temp files and no partial JSON', async () => {
  const p = Project.create();
  projects.push(p);
  const built = await runInProcess(['build', '--no-llm'], p.root);
  assert.equal(built.code, 0, built.stdout + built.stderr);
  const before = new Map(BUGS.map((b) => [b, p.read(p.jsonPath(b))]));

  // Stale drop_add now needs a generation, which the test config makes take 60 s unless cancelled.
  p.write('bug-author.config.mjs', slowSynthConfig({ delayMs: 60000 }));
  p.write(p.patchPath(dropAdd), deletionPatch('ops', OPS_PY, 'y = x * k', 'BUG: no scaling'));
  const child = new WatchChild(p.root);
  try {
    await child.waitFor('stderr', /slow-generator: start scale\/drop_add/);
    const stopping = Date.now();
    child.kill('SIGTERM');
    const exit = await child.exited;
    assert.equal(exit.code, 0, child.stderr);
    assert.ok(Date.now() - stopping < 10000, 'the generation was cancelled, not waited for');
    assert.match(child.stdout, /stopped/);
  } finally {
    child.kill('SIGKILL');
  }
  assert.deepEqual(p.files().filter((f) => f.endsWith('.tmp') || f.includes('_draft')), []);
  assert.deepEqual(p.files().filter((f) => f.endsWith('watch.lock')), []);
  for (const [bug, text] of before) assert.equal(p.read(p.jsonPath(bug)), text, `${p.jsonPath(bug)} is untouched`);
});

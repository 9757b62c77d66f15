import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { request } from 'node:http';
import path from 'node:path';
import { test } from 'node:test';
import { packageRoot } from '../../src/package-root.js';
import { pythonChoiceEnv, runInProcess } from '../support/cli-run.js';
import { curriculumRepo, NO_FACTOR } from '../support/git-fixture.js';

/** A raw HTTP GET/POST with any Host header (fetch will not let a test set one). */
function get(url: URL, options: { host?: string; method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { method: options.method ?? 'GET', headers: { host: options.host ?? url.host, ...options.headers } }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

test('review --help, and a bad --port', async () => {
  const help = await runInProcess(['review', '--help'], packageRoot);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /Usage: bug-author review/);
  assert.match(help.stdout, /--port <n>/);
  const bad = await runInProcess(['review', '--port', 'eighty'], packageRoot);
  assert.equal(bad.code, 2);
  assert.match(bad.stderr, /--port must be a port number/);
});

test('bug-author review: the URL with its token is the first line; without the token, or at another Host, every request is refused', async () => {
  const repo = await curriculumRepo();
  const child = spawn(process.execPath, ['--import', import.meta.resolve('tsx'), path.join(packageRoot, 'src', 'main.ts'), 'review'], {
    cwd: repo.root,
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...pythonChoiceEnv() },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const firstLine = await new Promise<string>((resolve, reject) => {
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
        if (stdout.includes('\n')) resolve(stdout.split('\n')[0]!);
      });
      child.once('exit', (code) => reject(new Error(`review exited ${code}: ${stderr}`)));
    });
    assert.match(firstLine, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
    const url = new URL(firstLine);
    const token = url.searchParams.get('token')!;
    const at = (p: string) => new URL(p, url);

    assert.equal((await get(url)).status, 200);
    assert.match((await get(url)).body, /<title>bug-author review<\/title>/);
    for (const p of ['/', '/api/bugs', '/assets/studio.js', '/api/events', '/nothing-here']) assert.equal((await get(at(p))).status, 401, p);
    assert.equal((await get(at('/api/bugs?token=wrong'))).status, 403);
    assert.equal((await get(url, { host: `attacker.example:${url.port}` })).status, 403, 'DNS rebinding');
    // State changes: the token in the URL is not enough, the header is.
    const review = { key: NO_FACTOR.patch, status: 'approved', answers: { pattern: 'yes', replacement: 'yes', symptom: 'yes', ready: 'yes' }, outputHash: 'x' };
    assert.equal((await get(at(`/api/review?token=${token}`), { method: 'POST', body: JSON.stringify(review), headers: { 'content-type': 'application/json' } })).status, 401);
    const conflict = await get(at('/api/review'), { method: 'POST', body: JSON.stringify(review), headers: { 'content-type': 'application/json', 'x-review-token': token } });
    assert.equal(conflict.status, 409, 'an outdated output hash records nothing');
    // Nothing outside the page's own files and the curriculum's bugs.
    for (const p of ['/assets/..%2F..%2Fpackage.json', '/assets/review-app.ts', '/assets/package.json']) assert.equal((await get(at(`${p}?token=${token}`))).status, 404, p);

    const bugs = JSON.parse((await get(at(`/api/bugs?token=${token}`))).body) as { rows: Array<{ id: string; verdict: string }> };
    assert.deepEqual(bugs.rows.map((r) => `${r.id} ${r.verdict}`).sort(), ['ops/always_limit exact', 'ops/no_divide exact', 'ops/no_factor exact']);
    const vendored = await get(at(`/assets/diff2html-ui.js?token=${token}`));
    assert.equal(vendored.status, 200);
    assert.match(vendored.body, /Diff2HtmlUI/);
  } finally {
    child.kill('SIGTERM');
  }
});

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, test } from 'node:test';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { bugRefFor } from '../../src/discover/bug-ref.js';
import { projectTempDirs } from '../../src/project/project-temp-dirs.js';
import { removeStaleTempFiles } from '../../src/write/temp-sweep.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bug-author-sweep-'));
after(() => rmSync(tmp, { recursive: true, force: true }));

test('temp files of dead processes are swept; a live process keeps its recent ones', async () => {
  const dead = spawnSync(process.execPath, ['-e', '']).pid!;
  const stale = path.join(tmp, `.x.json.${dead}.0123abcd.tmp`);
  const live = path.join(tmp, `.x.json.${process.pid}.0123abcd.tmp`);
  const other = path.join(tmp, 'x.json');
  for (const f of [stale, live, other]) writeFileSync(f, '{');
  assert.deepEqual(await removeStaleTempFiles([tmp, path.join(tmp, 'missing')]), [stale]);
  assert.equal(existsSync(live), true);
  assert.equal(existsSync(other), true);
});

test('an old temp file is a leftover even when its pid runs again (pids are reused)', async () => {
  const dir = path.join(tmp, 'old');
  mkdirSync(dir);
  const reused = path.join(dir, `.y.json.${process.pid}.89abcdef.tmp`);
  writeFileSync(reused, '{');
  const hourAgo = new Date(Date.now() - 60 * 60 * 1000);
  utimesSync(reused, hourAgo, hourAgo);
  assert.deepEqual(await removeStaleTempFiles([dir]), [reused]);
});

test('the directories swept for a project: beside every output, the cache temp dir, the state dir, the compiled config', () => {
  const root = '/project';
  const config = { ...resolveConfig({}, root), file: '/project/bug-author.config.ts' };
  const bug = bugRefFor('/project/curricula/c/modules/m/bugs/b.patch', config);
  assert.deepEqual(projectTempDirs(config, [bug]), [
    '/project/curricula/c/modules/m/bugs',
    '/project/.bug-author/cache/tmp',
    '/project/.bug-author',
    '/project/.bug-author/config',
  ]);
});

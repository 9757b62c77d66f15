#!/usr/bin/env node
// `npm test` runs every test file; `npm test -- <file or folder ...>` only those, and node:test's own
// options pass through: `npm test -- --test-name-pattern="a burst"` runs the tests so named,
// `npm test -- test/watch --test-name-pattern=config` both. Every temp file and folder a test
// makes lands in one directory of this run (TMPDIR), removed when the run ends.
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);
// What names a file or folder is a test path; anything else (options, their values) goes to node.
const isPath = (arg) => !arg.startsWith('-') && existsSync(path.resolve(arg));
const paths = args.filter(isPath);
const nodeOptions = args.filter((arg) => !isPath(arg));

const testFiles = (target) => {
  const absolute = path.resolve(target);
  if (!statSync(absolute).isDirectory()) return [path.relative(root, absolute)];
  return readdirSync(absolute, { recursive: true, encoding: 'utf8' })
    .filter((entry) => entry.endsWith('.test.ts'))
    .map((entry) => path.relative(root, path.join(absolute, entry)));
};
const files = [...new Set((paths.length ? paths : [path.join(root, 'test')]).flatMap(testFiles))].sort();
if (files.length === 0) {
  console.error(`no *.test.ts files in ${paths.join(', ')}`);
  process.exit(2);
}

const tmp = mkdtempSync(path.join(os.tmpdir(), 'bug-author-tests-'));
// Like /tmp: tests that run the CLI as another user (under root) write here too.
chmodSync(tmp, 0o1777);
const env = { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp };
const child = spawn(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', ...nodeOptions, ...files], { cwd: root, env, stdio: 'inherit' });
const forward = (signal) => child.kill(signal);
process.on('SIGINT', forward);
process.on('SIGTERM', forward);
child.on('exit', (code, signal) => {
  // tsx keeps its transpile cache in the temp dir too: that one is not the tests' doing.
  const left = readdirSync(tmp).filter((entry) => !entry.startsWith('tsx-'));
  rmSync(tmp, { recursive: true, force: true });
  if (left.length > 0) console.error(`# run-tests: removed ${left.length} temp entr${left.length === 1 ? 'y' : 'ies'} the tests left behind (${left.slice(0, 8).join(', ')}${left.length > 8 ? ', …' : ''})`);
  process.exitCode = code ?? (signal ? 128 + os.constants.signals[signal] : 1);
});

import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { corpusAvailable, CORPUS_DIR } from '../plugins/synth/corpus-fixture.js';
import { runInProcess } from '../support/cli-run.js';
import { judgeStudentCases, loadStudentCases, tally } from './support/student-files.js';

// The corpus's definitions, all generated (build --force: the golden JSON regenerated too), tried
// on hand-written student files as a new user would: never a different bug than the student's
// own version of the patch, only that bug or a loud no-match.

test('generated definitions on hand-written student files: exact or no-match, never wrong', { skip: !corpusAvailable() && 'no ../shared/corpus' }, async (t) => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-students-'));
  cpSync(CORPUS_DIR, root, { recursive: true });
  const built = await runInProcess(['build', '--no-llm', '--force'], root);
  assert.notEqual(built.code, 2, built.stderr);
  const definitions = new Map<string, unknown>();
  const modules = path.join(root, 'curricula', 'cs336_a1', 'modules');
  for (const module of readdirSync(modules)) {
    const dir = path.join(modules, module, 'bugs');
    for (const file of existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json') && !f.includes('_draft')) : []) {
      definitions.set(module, JSON.parse(readFileSync(path.join(dir, file), 'utf8')));
    }
  }
  const cases = loadStudentCases();
  assert.ok(cases.length >= 40, 'the hand-written set is there');
  const { results, judge } = await judgeStudentCases(cases, definitions);
  const rows = [...tally(results)].map(([module, r]) => `${module}: ${r.exact} exact, ${r['no-match']} no-match, ${r.wrong} wrong`);
  t.diagnostic(`judged by ${judge}; ${results.filter((r) => r.outcome === 'exact').length}/${results.length} exact\n${rows.join('\n')}`);
  assert.deepEqual(results.filter((r) => r.outcome === 'wrong').map((r) => `${r.module}/${r.student}`), []);
  // 49 of 58 when this was written (the rest: reference-bound definitions, spellings v2.1 cannot follow).
  assert.ok(results.filter((r) => r.outcome === 'exact').length >= results.length * 0.8, 'at least 80 % of the student files get their bug');
});

// Files pasted or dropped into the review page, tried as `bug-author try --diff` tries them: the
// page's names come back, whatever they are (a deep folder path, no .py ending).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { tryPastedFiles } from '../../src/review/try-pasted.js';
import { pythonChoiceEnv } from '../support/cli-run.js';
import { curriculumRepo, REFERENCE_TEXT } from '../support/git-fixture.js';

test('a file is tried whatever the page names it: a folder path longer than a file name may be, a name without .py', async () => {
  const repo = await curriculumRepo();
  const deep = `${Array.from({ length: 12 }, (_, i) => `submissions-of-section-${i}`).join('/')}/student.py`;
  const labels = [deep, 'pasted', '../../outside.py'];
  const result = await tryPastedFiles({ cwd: repo.root, env: pythonChoiceEnv() }, labels.map((label) => ({ label, source: REFERENCE_TEXT })));
  assert.deepEqual([...new Set(result.cells.map((c) => c.file))].sort(), [...labels].sort());
  for (const label of labels) {
    const cell = result.cells.find((c) => c.file === label && c.bug === 'ops/no_factor');
    assert.equal(cell?.outcome, 'injected', label);
    assert.ok(cell?.diff?.includes(`--- ${label} (student)`), cell?.diff);
  }
});

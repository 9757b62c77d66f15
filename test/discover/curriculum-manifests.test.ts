import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { simpleGit } from 'simple-git';
import { resolveConfig } from '../../src/config/resolved-config.js';
import { manifestBugFolders } from '../../src/discover/curriculum-manifests.js';
import { discoverBugsByGlob, discoverOrphanJson } from '../../src/discover/discover-bugs.js';
import { runInProcess } from '../support/cli-run.js';

function project(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(os.tmpdir(), 'bug-author-manifest-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
    writeFileSync(path.join(root, name), text);
  }
  return root;
}

const SOLUTION = `def merge(left, right):
    result = []
    i = j = 0
    while i < len(left) and j < len(right):
        if left[i] <= right[j]:
            result.append(left[i])
            i += 1
        else:
            result.append(right[j])
            j += 1
    result.extend(left[i:])
    result.extend(right[j:])
    return result
`;

/** A diff made the way library-mode authors make them: from solution.py to a buggy copy beside the bugs. */
const DROP_RIGHT = `--- solution.py
+++ bugs/drop_right.py
@@ -10,4 +10,3 @@
             j += 1
     result.extend(left[i:])
-    result.extend(right[j:])
     return result
`;

/** A library-mode curriculum (problems under patterns/) and a linear one whose modules live outside `modules/`. */
function curricula(): string {
  return project({
    'curricula/lib/manifest.json': JSON.stringify({
      curriculum_name: 'lib',
      author: 'a',
      version: '1',
      type: 'library',
      patterns: [
        { id: 'sorting', title: 'Sorting', theory_path: 'patterns/sorting/theory', problems: [{ id: 'p1', title: 'P1', path: 'patterns/sorting/problems/p1', difficulty: 'Easy' }] },
        // The same problem listed twice (the real manifest does it) and a path leading outside the project.
        { id: 'again', title: 'Again', theory_path: 't', problems: [{ id: 'p1', title: 'P1', path: 'patterns/sorting/problems/p1', difficulty: 'Easy' }, { id: 'x', title: 'X', path: '../../../elsewhere', difficulty: 'Hard' }] },
      ],
    }),
    'curricula/lib/patterns/sorting/problems/p1/solution.py': SOLUTION,
    'curricula/lib/patterns/sorting/problems/p1/bugs/drop_right.patch': DROP_RIGHT,
    'curricula/lib/patterns/sorting/problems/p1/bugs/drop_right_symptom.txt': 'Sorted output loses elements.\n',
    // A hand-written bug with no patch: the engine serves it; nothing to condemn.
    'curricula/lib/patterns/sorting/problems/p1/bugs/hand_only.json': JSON.stringify({ id: 'h', description: 'd', injection_type: 'ast', target_function: 'merge', logic: [] }),
    'curricula/lin/manifest.json': JSON.stringify({ curriculum_name: 'lin', author: 'a', version: '1', modules: [{ id: 'u1', name: 'U1', path: 'units/u1' }] }),
    'curricula/lin/units/u1/bugs/b.patch': '',
    'curricula/broken/manifest.json': '{ not json',
  });
}

test('manifests name the bugs folders as the engine reads them: modules[].path, or patterns[].problems[].path in library mode', async () => {
  const root = curricula();
  const { folders, problems } = await manifestBugFolders(root);
  assert.deepEqual(folders, [path.join(root, 'curricula/lib/patterns/sorting/problems/p1/bugs'), path.join(root, 'curricula/lin/units/u1/bugs')]);
  assert.deepEqual(
    problems.map((p) => p.file),
    ['curricula/broken/manifest.json', 'curricula/lib/manifest.json'],
  );
  assert.match(problems[0]!.reason, /not valid JSON/);
  assert.match(problems[1]!.reason, /"\.\.\/\.\.\/\.\.\/elsewhere" leads outside the project root/);
});

test('the bugs of manifest folders are found whatever the globs say; `!` globs still narrow, configured globs still add', async () => {
  const root = curricula();
  const byDefault = await discoverBugsByGlob(resolveConfig({}, root));
  assert.deepEqual(byDefault.bugs.map((b) => b.id), ['p1/drop_right', 'u1/b']);
  assert.deepEqual(byDefault.unmatched, []);
  const narrowed = await discoverBugsByGlob(resolveConfig({ bugs: ['extra/*/bugs/*.patch', '!**/units/**'] }, project({ ...filesOf(root), 'extra/e/bugs/e.patch': '' })));
  assert.deepEqual(narrowed.bugs.map((b) => b.id), ['p1/drop_right', 'e/e']);
  const orphans = await discoverOrphanJson(resolveConfig({}, root), byDefault.bugs, undefined, { manifestFolders: byDefault.manifestFolders });
  assert.deepEqual(orphans, [path.join(root, 'curricula/lib/patterns/sorting/problems/p1/bugs/hand_only.json')]);
});

/** The files of a fixture again (to copy it with one more). */
function filesOf(root: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of readdirSync(root, { recursive: true, encoding: 'utf8' })) {
    const file = path.join(root, entry);
    if (statSync(file).isFile()) out[entry] = readFileSync(file, 'utf8');
  }
  return out;
}

test('a library-mode curriculum builds and checks with no config; the patch-less hand-written JSON is explained, not condemned', async () => {
  const root = curricula();
  writeFileSync(path.join(root, 'curricula/lin/units/u1/bugs/b.patch'), DROP_RIGHT.replace('bugs/drop_right.py', 'solution.py'));
  writeFileSync(path.join(root, 'curricula/broken/manifest.json'), '{}');
  const git = simpleGit(root);
  await git.init().addConfig('user.email', 't@example.com').addConfig('user.name', 't');
  const build = await runInProcess(['build', '--no-llm', 'curricula/lib/patterns/sorting/problems/p1/bugs/drop_right.patch'], root);
  assert.equal(build.code, 0, build.stdout + build.stderr);
  assert.match(build.stdout, /p1\/drop_right\s+synth\s+exact/);
  assert.ok(existsSync(path.join(root, 'curricula/lib/patterns/sorting/problems/p1/bugs/drop_right.json')));
  const check = await runInProcess(['check', '--format', 'json'], root);
  const report = JSON.parse(check.stdout) as { findings: { kind: string; file: string; message: string; fix: string }[] };
  const orphan = report.findings.find((f) => f.kind === 'orphan');
  assert.ok(orphan, check.stdout);
  assert.match(orphan.message, /hand-written bug with no patch/);
  assert.doesNotMatch(orphan.fix, /\brm\b/);
  assert.ok(!report.findings.some((f) => f.file.endsWith('drop_right.json')), check.stdout);
});

test('check never advises deleting a JSON whose patch sits in the same folder, outside every manifest and glob', async () => {
  const root = project({
    'modes/developer/pkg/sorting.py': SOLUTION,
    'curricula/c/modules/m/bugs/drop_right.patch': DROP_RIGHT.replace('--- solution.py\n+++ bugs/drop_right.py', '--- a/pkg/sorting.py\n+++ b/pkg/sorting.py'),
    'curricula/c/modules/m/bugs/drop_right_symptom.txt': 'loses elements\n',
    'extras/p9/solution.py': SOLUTION,
    'extras/p9/bugs/drop_right.patch': DROP_RIGHT,
    'extras/p9/bugs/drop_right.json': JSON.stringify({ id: 'x', description: 'd', injection_type: 'ast', target_function: 'merge', logic: [] }),
  });
  const git = simpleGit(root);
  await git.init().addConfig('user.email', 't@example.com').addConfig('user.name', 't');
  const check = await runInProcess(['check', '--format', 'json'], root);
  const report = JSON.parse(check.stdout) as { findings: { kind: string; file: string; message: string; fix: string }[] };
  const orphan = report.findings.find((f) => f.kind === 'orphan');
  assert.ok(orphan, check.stdout);
  assert.equal(orphan.file, 'extras/p9/bugs/drop_right.json');
  assert.match(orphan.message, /has its patch extras\/p9\/bugs\/drop_right\.patch in the same folder/);
  assert.doesNotMatch(orphan.fix, /\brm\b/);
});

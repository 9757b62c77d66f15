import { mkdtempSync, rmSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import { loadConfig } from '../../src/config/load-config.js';
import { bugRefFor, relativeToRoot } from '../../src/discover/bug-ref.js';
import type { BugDefinition, Pattern, Replacement } from '../../src/injector/definition.js';
import { FORMAT_VERSION, readBugInputs } from '../../src/inputs/read-bug-inputs.js';
import { withProvenance } from '../../src/outputs/provenance.js';
import { serializeDefinition } from '../../src/outputs/write-definition.js';
import { packageVersion } from '../../src/package-root.js';
import { runInProcess, type CliResult } from './cli-run.js';

/**
 * A tiny curriculum in a real temporary git repository: one reference file with three
 * functions and three bugs in the default layout, committed with their JSON (two generated,
 * one hand-written), all verifying exactly.
 */

export const REFERENCE = 'modes/developer/tiny/ops.py';
export const REFERENCE_TEXT = `def scale(x, factor):
    return x * factor


def mean(values):
    total = sum(values)
    return total / len(values)


def clip(x, limit):
    if x > limit:
        x = limit
    return x
`;

const BUG_DIR = 'curricula/c1/modules/ops/bugs';

export interface BugFiles {
  id: string;
  patch: string;
  symptom: string;
  json: string;
}

function bugFiles(name: string): BugFiles {
  return { id: `ops/${name}`, patch: `${BUG_DIR}/${name}.patch`, symptom: `${BUG_DIR}/${name}_symptom.txt`, json: `${BUG_DIR}/${name}.json` };
}

/** Generated JSON: `scale` ignores its factor. */
export const NO_FACTOR = bugFiles('no_factor');
/** Generated JSON: `mean` forgets to divide. */
export const NO_DIVIDE = bugFiles('no_divide');
/** Hand-written JSON: `clip` always returns the limit. */
export const ALWAYS_LIMIT = bugFiles('always_limit');

export const PATCHES: Record<string, string> = {
  [NO_FACTOR.patch]: `--- a/tiny/ops.py
+++ b/tiny/ops.py
@@ -1,5 +1,5 @@
 def scale(x, factor):
-    return x * factor
+    return x  # BUG: the factor is ignored
 
 
 def mean(values):
`,
  [NO_DIVIDE.patch]: `--- a/tiny/ops.py
+++ b/tiny/ops.py
@@ -4,7 +4,7 @@
 
 def mean(values):
     total = sum(values)
-    return total / len(values)
+    return total  # BUG: no division
 
 
 def clip(x, limit):
`,
  [ALWAYS_LIMIT.patch]: `--- a/tiny/ops.py
+++ b/tiny/ops.py
@@ -10,4 +10,4 @@
 def clip(x, limit):
     if x > limit:
         x = limit
-    return x
+    return limit  # BUG: always the limit
`,
};

/** A v2.1 definition with one find_and_replace pass. */
export function definition(id: string, target: string, pattern: Pattern, replacement: Replacement, metadata: Record<string, unknown> = {}): BugDefinition {
  return {
    id,
    description: `test bug ${id}`,
    injection_type: 'ast',
    engine_version: '2.1',
    target_function: target,
    logic: [{ pass: 1, type: 'find_and_replace', description: 'the edit', pattern, replacement }],
    metadata,
  };
}

/**
 * A definition pinned to one site: a track pass finds it in the target function by canonical
 * names and records its position, the replace pass changes exactly that node (so a look-alike in
 * another function of a student's file is left alone). `guard`, if given, first requires the
 * student's code to use a name the replacement writes.
 */
export function pinnedDefinition(
  id: string,
  target: string,
  site: { track: Pattern; path?: string; replace: Pattern; replacement: Replacement },
  metadata: Record<string, unknown> = {},
  guard?: { track: Pattern; path: string; name: string },
): BugDefinition {
  const at = site.path ?? 'node';
  const logic: BugDefinition['logic'] = [];
  if (guard) {
    logic.push(
      { pass: 1, type: 'find_and_track', description: 'where the name is read', pattern: guard.track, track_as: { guard_line: `${guard.path}.lineno`, guard_col: `${guard.path}.col_offset` } },
      {
        pass: 2,
        type: 'find_and_replace',
        description: 'guard: the student uses the same name',
        pattern: { node_type: 'Name', id: guard.name, lineno: { from_context: 'guard_line' }, col_offset: { from_context: 'guard_col' } },
        replacement: { type: 'replace_with', source: 'node' },
      },
    );
  }
  logic.push(
    { pass: logic.length + 1, type: 'find_and_track', description: 'the site', pattern: site.track, track_as: { line: `${at}.lineno`, col: `${at}.col_offset` } },
    {
      pass: logic.length + 2,
      type: 'find_and_replace',
      description: 'the edit',
      pattern: { ...site.replace, lineno: { from_context: 'line' }, col_offset: { from_context: 'col' } },
      replacement: site.replacement,
    },
  );
  return { id, description: `test bug ${id}`, injection_type: 'ast', engine_version: '2.1', target_function: target, logic, metadata };
}

const argument = (n: number) => ({ node_type: 'Name', id: `_arg${n}` });

export const DEFINITIONS = {
  noFactor: pinnedDefinition('ops-no-factor', 'scale', {
    track: { node_type: 'BinOp', op: 'Mult', right: argument(1) },
    replace: { node_type: 'BinOp', op: 'Mult' },
    replacement: { type: 'replace_with', source: 'node.left' },
  }),
  noDivide: pinnedDefinition('ops-no-divide', 'mean', {
    track: { node_type: 'BinOp', op: 'Div', right: { node_type: 'Call', args: [argument(0)] } },
    replace: { node_type: 'BinOp', op: 'Div' },
    replacement: { type: 'replace_with', source: 'node.left' },
  }),
  alwaysLimit: pinnedDefinition(
    'ops-always-limit',
    'clip',
    { track: { node_type: 'Return', value: { node_type: 'Name', id: '_var0' } }, replace: { node_type: 'Return' }, replacement: { type: 'replace_value_with', source: 'limit' } },
    { author: 'hand-written' },
    { track: { node_type: 'Compare', left: argument(0), comparators: [argument(1)] }, path: 'node.comparators[0]', name: 'limit' },
  ),
};

export interface CurriculumRepo {
  /** The project root (where `bug-author` runs); the repository's top level unless `subdirectory` was given. */
  root: string;
  topLevel: string;
  /** simple-git running in the project root: relative paths are project paths. */
  git: SimpleGit;
  abs(rel: string): string;
  write(rel: string, text: string): Promise<void>;
  read(rel: string): Promise<string>;
  remove(rel: string): Promise<void>;
  writeJson(rel: string, value: unknown): Promise<void>;
  /** Writes `bug`'s JSON as `build` would: provenance stamped from the working-tree inputs. */
  writeGenerated(bug: BugFiles, definition: BugDefinition): Promise<void>;
  commitAll(message: string): Promise<void>;
  /** `bug-author <args>` in this process, from the repository root. */
  cli(args: string[], env?: NodeJS.ProcessEnv): Promise<CliResult>;
  /** `bug-author check --format json <args>`, parsed. */
  checkJson(args?: string[], env?: NodeJS.ProcessEnv): Promise<CheckJson>;
}

export interface CheckJson {
  code: number;
  ok: boolean;
  errors: number;
  warnings: number;
  bugs: number;
  checked: number;
  pythonLoaded: boolean;
  findings: { kind: string; severity: 'error' | 'warning'; bug?: string; file: string; line?: number; message: string; fix: string; detail?: string }[];
}

let scratch: string | undefined;

/** Every repository of this test process lives in one temp directory, removed when the process exits. */
function scratchDir(): string {
  if (!scratch) {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'bug-author-check-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    scratch = dir;
  }
  return scratch;
}

export async function curriculumRepo(options: { subdirectory?: string } = {}): Promise<CurriculumRepo> {
  const topLevel = await mkdtemp(path.join(scratchDir(), 'repo-'));
  const root = path.join(topLevel, options.subdirectory ?? '');
  await mkdir(root, { recursive: true });
  await simpleGit(topLevel).init();
  const git = simpleGit(root);
  await git.addConfig('user.email', 'test@example.com').addConfig('user.name', 'Test').addConfig('commit.gpgsign', 'false');

  const repo: CurriculumRepo = {
    root,
    topLevel,
    git,
    abs: (rel) => path.join(root, rel),
    async write(rel, text) {
      await mkdir(path.dirname(repo.abs(rel)), { recursive: true });
      await writeFile(repo.abs(rel), text);
    },
    read: (rel) => readFile(repo.abs(rel), 'utf8'),
    remove: (rel) => rm(repo.abs(rel), { force: true }),
    writeJson: (rel, value) => repo.write(rel, `${JSON.stringify(value, null, 2)}\n`),
    async writeGenerated(bug, body) {
      const config = await loadConfig({ cwd: root });
      const ref = bugRefFor(repo.abs(bug.patch), config);
      const inputs = await readBugInputs(ref, config);
      const stamped = withProvenance(body, {
        generator: 'synth',
        input_hash: inputs.inputHash,
        inputs: {
          patch: bug.patch,
          ...(inputs.symptomFile ? { symptom: relativeToRoot(config, inputs.symptomFile) } : {}),
          ...(inputs.referenceFile ? { reference: relativeToRoot(config, inputs.referenceFile) } : {}),
        },
        format: FORMAT_VERSION,
        tool_version: packageVersion,
        verdict: 'exact',
      });
      await repo.write(bug.json, serializeDefinition(stamped));
    },
    async commitAll(message) {
      await git.add(['-A', '.']);
      await git.commit(message);
    },
    cli: (args, env = {}) => runInProcess(args, root, env),
    async checkJson(args = [], env = {}) {
      const result = await repo.cli(['check', '--format', 'json', ...args], env);
      if (result.code === 2) throw new Error(`check exited 2: ${result.stderr}`);
      return { code: result.code, ...(JSON.parse(result.stdout) as Omit<CheckJson, 'code'>) };
    },
  };

  await repo.write('.gitignore', '.bug-author/\n');
  await repo.write(REFERENCE, REFERENCE_TEXT);
  for (const [file, text] of Object.entries(PATCHES)) await repo.write(file, text);
  await repo.write(NO_FACTOR.symptom, 'scale() returns its input unchanged.\n');
  await repo.write(NO_DIVIDE.symptom, 'mean() returns the sum.\n');
  await repo.write(ALWAYS_LIMIT.symptom, 'clip() always returns the limit.\n');
  await repo.writeGenerated(NO_FACTOR, DEFINITIONS.noFactor);
  await repo.writeGenerated(NO_DIVIDE, DEFINITIONS.noDivide);
  await repo.writeJson(ALWAYS_LIMIT.json, DEFINITIONS.alwaysLimit);
  // Patches beside their JSON (the classic layout): the engine-pick warning is tested on its own.
  await repo.write('bug-author.config.mjs', 'export default { enginePickWarning: false };\n');
  await repo.commitAll('curriculum');
  return repo;
}

export function findingsOf(report: CheckJson, kind: string): CheckJson['findings'] {
  return report.findings.filter((f) => f.kind === kind);
}

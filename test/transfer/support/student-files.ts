// The hand-written student files of test/fixtures/student-files, each tried with its module's
// definition as a new user would: the engine's real injector when one is at hand
// (BUG_AUTHOR_ENGINE_DIR, else /tmp/engine), else bug-author's own; the result is compared with
// the hand-written expected file by CPython's ast.dump.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { inject } from '../../../src/injector/inject.js';
import { packageRoot } from '../../../src/package-root.js';

export const STUDENT_FILES_DIR = path.join(packageRoot, 'test', 'fixtures', 'student-files');

export interface StudentCase {
  module: string;
  student: string;
  source: string;
  expected: string;
}

export type StudentOutcome = 'exact' | 'no-match' | 'wrong';

export interface StudentResult extends StudentCase {
  outcome: StudentOutcome;
}

export function loadStudentCases(dir = STUDENT_FILES_DIR): StudentCase[] {
  const cases: StudentCase[] = [];
  for (const module of readdirSync(dir).sort()) {
    const folder = path.join(dir, module);
    if (!statSync(folder).isDirectory()) continue;
    for (const file of readdirSync(folder).filter((f) => f.endsWith('.py') && !f.endsWith('.expected.py')).sort()) {
      const student = file.slice(0, -'.py'.length);
      cases.push({ module, student, source: readFileSync(path.join(folder, file), 'utf8'), expected: readFileSync(path.join(folder, `${student}.expected.py`), 'utf8') });
    }
  }
  return cases;
}

/** The engine directory to judge with (holding engine/ast_harden/), if any. */
export function engineDirectory(): string | undefined {
  const dir = process.env.BUG_AUTHOR_ENGINE_DIR ?? '/tmp/engine';
  return existsSync(path.join(dir, 'engine', 'ast_harden', 'generic_injector.py')) ? dir : undefined;
}

const ENGINE_RUNNER = `
import ast, json, sys
jobs = json.load(sys.stdin)
out = []
for job in jobs:
    if job.get("engine"):
        sys.path.insert(0, job["engine"])
        from engine.ast_harden.generic_injector import GenericBugInjector
        try:
            code, ok = GenericBugInjector(job["definition"]).inject(job["source"])
        except Exception as err:
            code, ok = None, False
    else:
        code, ok = job["output"], job["ok"]
    if not ok:
        out.append("no-match")
        continue
    try:
        same = ast.dump(ast.parse(code)) == ast.dump(ast.parse(job["expected"]))
    except SyntaxError:
        same = False
    out.append("exact" if same else "wrong")
print(json.dumps(out))
`;

/** Tries every case with `definitions[module]` (cases of modules without one are left out). */
export async function judgeStudentCases(cases: readonly StudentCase[], definitions: ReadonlyMap<string, unknown>, engine = engineDirectory()): Promise<{ results: StudentResult[]; judge: string }> {
  const tried = cases.filter((c) => definitions.has(c.module));
  const jobs = await Promise.all(
    tried.map(async (c) => {
      const definition = definitions.get(c.module);
      if (engine) return { engine, definition, source: c.source, expected: c.expected };
      const result = await inject(definition as object, c.source);
      return { ok: result.ok, output: result.output, expected: c.expected };
    }),
  );
  const outcomes = JSON.parse(execFileSync('python3', ['-c', ENGINE_RUNNER], { input: JSON.stringify(jobs), encoding: 'utf8', cwd: '/' })) as StudentOutcome[];
  return { results: tried.map((c, i) => ({ ...c, outcome: outcomes[i]! })), judge: engine ? `the engine at ${engine}` : "bug-author's built-in injector" };
}

/** Per module: exact / no-match / wrong counts. */
export function tally(results: readonly StudentResult[]): Map<string, Record<StudentOutcome, number>> {
  const table = new Map<string, Record<StudentOutcome, number>>();
  for (const r of results) {
    const row = table.get(r.module) ?? { exact: 0, 'no-match': 0, wrong: 0 };
    row[r.outcome]++;
    table.set(r.module, row);
  }
  return table;
}

import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { median, percentOf, printTable } from './bench-table.js';
import { BACKENDS, copyCorpus, runCliProcess, type CliRun } from './bench-project.js';

const RUNS = 7;
/** Runs per back-end of `check` after one patch changed (each after a fresh edit). */
const CHANGED_RUNS = 3;

/** Warm `check` (median wall including Node start-up) on the corpus, on 1,000 bugs, and after one patch changed. */
export async function benchCheck(): Promise<void> {
  const { root, name } = copyCorpus('bug-author-bench-check-');
  await runCliProcess(['build', '--no-llm'], root);
  commitAll(root);
  const corpus = await repeat(['check'], root);

  const big = generateTree(root, 1000);
  await runCliProcess(['check'], big.root); // fills the (shared, identical) verdicts once
  const thousand = await repeat(['check'], big.root);
  const patch = big.patches[0]!;
  const original = readFileSync(patch, 'utf8');
  const changed = new Map<string, CliRun[]>();
  for (let i = 0; i < CHANGED_RUNS; i++) {
    for (const backend of BACKENDS) {
      // A comment on an added line: the patched file changes (so the verdict must be recomputed), its tree does not.
      writeFileSync(patch, original.replace(/^(\+(?!\+\+).*\S.*)$/m, `$1  # edited for ${backend.name}, run ${i}`));
      changed.set(backend.name, [...(changed.get(backend.name) ?? []), await runCliProcess(['check'], big.root, backend.env)]);
    }
  }
  const changedRows = [...changed].map(([backend, runs]) => {
    const last = runs.at(-1)!;
    return [`same, one patch changed, ${backend}`, big.patches.length, `${(median(runs.map((r) => r.ms)) / 1000).toFixed(3)} s`, runs.length, last.python ?? 'not started', last.code];
  });

  printTable('check (node bin/bug-author.mjs check; wall includes Node start-up)', ['tree', 'bugs', 'median wall', 'runs', 'Python', 'exit'], [
    [`${name} (warm)`, count(corpus.last), `${(corpus.median / 1000).toFixed(3)} s`, RUNS, corpus.last.python ?? 'not started', corpus.last.code],
    ['generated tree (warm)', big.patches.length, `${(thousand.median / 1000).toFixed(3)} s`, RUNS, thousand.last.python ?? 'not started', thousand.last.code],
    ...changedRows,
  ]);
  const wall = (backend: string) => median(changed.get(backend)!.map((r) => r.ms));
  console.log(`one patch changed: CPython takes ${percentOf(wall('CPython'), wall('pyodide'))} of pyodide's wall time (target ≤ 35 %)`);
  console.log('(corpus exit 1: its 4 patches that v2.1 cannot express have no JSON; the changed patch is reported stale and re-verified)');
}

async function repeat(args: string[], cwd: string): Promise<{ median: number; last: CliRun }> {
  const times: number[] = [];
  let last: CliRun | undefined;
  for (let i = 0; i < RUNS; i++) {
    last = await runCliProcess(args, cwd);
    times.push(last.ms);
  }
  return { median: median(times), last: last! };
}

function count(run: CliRun): string {
  return /(\d+) bugs?/.exec(run.stdout)?.[1] ?? '?';
}

function commitAll(root: string): void {
  const git = (...args: string[]) => execFileSync('git', args, { cwd: root, stdio: 'ignore' });
  git('init', '-q');
  git('add', '-A');
  git('-c', 'user.email=bench@example.invalid', '-c', 'user.name=bench', 'commit', '-qm', 'corpus');
}

/**
 * N bugs made of copies of the corpus bugs that built: each copy is its own module with the
 * same patch, symptom and JSON, so inputs and verdicts are real (and shared).
 */
function generateTree(corpusRoot: string, n: number): { root: string; patches: string[] } {
  const root = `${corpusRoot}-1000`;
  cpSync(path.join(corpusRoot, 'modes'), path.join(root, 'modes'), { recursive: true });
  cpSync(path.join(corpusRoot, '.bug-author'), path.join(root, '.bug-author'), { recursive: true });
  const modules = path.join(corpusRoot, 'curricula', 'cs336_a1', 'modules');
  const built = readdirSync(modules).flatMap((module) =>
    readdirSync(path.join(modules, module, 'bugs'))
      .filter((f) => f.endsWith('.json') && readFileSync(path.join(modules, module, 'bugs', f), 'utf8').includes('"bug_author"'))
      .map((f) => ({ module, bug: f.replace(/\.json$/, '') })),
  );
  const patches: string[] = [];
  for (let i = 0; patches.length < n; i++) {
    const { module, bug } = built[i % built.length]!;
    const from = path.join(modules, module, 'bugs');
    const to = path.join(root, 'curricula', `course_${Math.floor(i / 100)}`, 'modules', `${module}_${i}`, 'bugs');
    mkdirSync(to, { recursive: true });
    for (const file of readdirSync(from).filter((f) => f.startsWith(bug))) cpSync(path.join(from, file), path.join(to, file));
    patches.push(path.join(to, `${bug}.patch`));
  }
  commitAll(root);
  return { root, patches };
}

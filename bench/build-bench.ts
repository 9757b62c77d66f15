import { loadConfig } from '../src/config/load-config.js';
import { discoverBugs } from '../src/discover/discover-bugs.js';
import type { BugDefinition } from '../src/injector/definition.js';
import { readBugInputs } from '../src/inputs/read-bug-inputs.js';
import { prepareBugContext } from '../src/prepare/prepare-bug-context.js';
import { sharedPythonRuntime } from '../src/python/runtime.js';
import { createVariantSource } from '../src/transfer/student-variants.js';
import { verifyTargetOf } from '../src/verify/cached-verdict.js';
import { verifyDefinition } from '../src/verify/verify-definition.js';
import { synthGenerator } from '../plugins/synth/index.js';
import { median, percentOf, printTable } from './bench-table.js';
import { BACKENDS, copyCorpus, runCliProcess, type CliRun } from './bench-project.js';

const COLD_RUNS = 3;

/**
 * Cold and warm `build` of the corpus as a user runs it, on both Python back-ends (alternating,
 * each cold run on a fresh copy), then synthesis time per bug. Returns synth's definitions by bug id.
 */
export async function benchBuild(): Promise<Map<string, BugDefinition>> {
  const runs = new Map<string, { cold: CliRun[]; warm: CliRun }>();
  let name = '';
  for (let i = 0; i < COLD_RUNS; i++) {
    for (const backend of BACKENDS) {
      const copy = copyCorpus();
      name = copy.name;
      const cold = await runCliProcess(['build', '--no-llm'], copy.root, backend.env);
      const entry = runs.get(backend.name) ?? { cold: [], warm: cold };
      entry.cold.push(cold);
      if (i === 0) entry.warm = await runCliProcess(['build', '--no-llm'], copy.root, backend.env);
      runs.set(backend.name, entry);
    }
  }
  const rows: (string | number)[][] = [];
  const coldMedian = new Map<string, number>();
  for (const [backend, { cold, warm }] of runs) {
    const first = cold[0]!;
    const exact = (first.stdout.match(/✔ .* exact /g) ?? []).length;
    const total = Number(/Total patches:\s+(\d+)/.exec(first.stdout)?.[1] ?? 0);
    const wall = median(cold.map((r) => r.ms));
    coldMedian.set(backend, wall);
    const rss = Math.max(...cold.map((r) => r.maxRssMb ?? 0));
    const worker = Math.max(...cold.map((r) => r.workerMaxRssMb ?? 0));
    rows.push([`cold build, ${backend}`, `${(wall / 1000).toFixed(2)} s`, cold.map((r) => (r.ms / 1000).toFixed(2)).join(' / '), `${rss} MB`, `${worker} MB`, first.python ?? '-', first.code, `${exact}/${total}`]);
    rows.push([`warm re-build, ${backend}`, `${(warm.ms / 1000).toFixed(2)} s`, '-', `${warm.maxRssMb} MB`, `${warm.workerMaxRssMb} MB`, warm.python ?? 'not started', warm.code, '-']);
  }
  printTable(`build of ${name} (node bin/bug-author.mjs build --no-llm; cold: fresh copy and cache, median of ${COLD_RUNS})`, ['run', 'wall', 'runs', 'peak RSS', 'worker RSS', 'Python', 'exit', 'exact'], rows);
  const ratio = percentOf(coldMedian.get('CPython')!, coldMedian.get('pyodide')!);
  console.log(`cold build: CPython takes ${ratio} of pyodide's wall time (target ≤ 35 %, ≤ 1 s)`);

  const config = await loadConfig({ cwd: copyCorpus().root });
  const python = sharedPythonRuntime();
  await python.bridge();
  const synth = synthGenerator();
  const variants = createVariantSource(python);
  const synthRows: (string | number)[][] = [];
  const definitions = new Map<string, BugDefinition>();
  for (const bug of await discoverBugs(config)) {
    const inputs = await readBugInputs(bug, config);
    const context = await prepareBugContext(inputs, config, python);
    const target = verifyTargetOf(inputs, config, { python, variants });
    const verify = (d: unknown) => verifyDefinition(d, target, python);
    const started = performance.now();
    const result = await synth.generate(context, { python, verify, root: config.root, cacheDir: config.cacheDir, goldenExamples: [], env: {} });
    const ms = performance.now() - started;
    if (result.status === 'generated') definitions.set(bug.id, result.definition);
    const transfer = result.status === 'generated' ? result.verification.transfer : undefined;
    synthRows.push([bug.id, `${ms.toFixed(0)} ms`, result.status === 'generated' ? 'exact' : result.status, transfer ? `${transfer.exact}/${transfer.total} ${transfer.worst}` : '-']);
  }
  const backend = python.backend;
  printTable(
    `synthesis per bug (in-process, ${backend?.kind} ${backend?.version} warm; includes verification and transfer to student-style variants)`,
    ['bug', 'synth time', 'result', 'transfer'],
    synthRows,
  );
  return definitions;
}

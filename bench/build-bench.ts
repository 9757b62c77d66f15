import { loadConfig } from '../src/config/load-config.js';
import { discoverBugs } from '../src/discover/discover-bugs.js';
import type { BugDefinition } from '../src/injector/definition.js';
import { readBugInputs } from '../src/inputs/read-bug-inputs.js';
import { prepareBugContext } from '../src/prepare/prepare-bug-context.js';
import { sharedPythonRuntime } from '../src/python/runtime.js';
import { verifyDefinition } from '../src/verify/verify-definition.js';
import { synthGenerator } from '../plugins/synth/index.js';
import { printTable } from './bench-table.js';
import { copyCorpus, runCliProcess } from './bench-project.js';

/** Cold and warm `build` of the corpus as a user runs it, then synthesis time per bug. Returns synth's definitions by bug id. */
export async function benchBuild(): Promise<Map<string, BugDefinition>> {
  const { root, name } = copyCorpus();
  const cold = await runCliProcess(['build', '--no-llm'], root);
  const warm = await runCliProcess(['build', '--no-llm'], root);
  const exact = (cold.stdout.match(/✔ .* exact /g) ?? []).length;
  const total = Number(/Total patches:\s+(\d+)/.exec(cold.stdout)?.[1] ?? 0);
  printTable(`build of ${name} (node bin/bug-author.mjs build --no-llm, fresh cache)`, ['run', 'wall', 'peak RSS', 'pyodide loaded', 'exit', 'exact'], [
    ['cold build', `${(cold.ms / 1000).toFixed(2)} s`, `${cold.maxRssMb} MB`, String(cold.pythonLoaded), cold.code, `${exact}/${total}`],
    ['warm re-build', `${(warm.ms / 1000).toFixed(2)} s`, `${warm.maxRssMb} MB`, String(warm.pythonLoaded), warm.code, '-'],
  ]);

  const config = await loadConfig({ cwd: root });
  const python = sharedPythonRuntime();
  await python.bridge();
  const synth = synthGenerator();
  const rows: (string | number)[][] = [];
  const definitions = new Map<string, BugDefinition>();
  for (const bug of await discoverBugs(config)) {
    const context = await prepareBugContext(await readBugInputs(bug, config), config, python);
    const verify = (d: unknown) => verifyDefinition(d, { reference: context.referenceSource, patched: context.patchedSource }, python);
    const started = performance.now();
    const result = await synth.generate(context, { python, verify, root, cacheDir: config.cacheDir, goldenExamples: [], env: {} });
    const ms = performance.now() - started;
    if (result.status === 'generated') definitions.set(bug.id, result.definition);
    rows.push([bug.id, `${ms.toFixed(0)} ms`, result.status === 'generated' ? 'exact' : result.status]);
  }
  printTable('synthesis per bug (in-process, pyodide warm, includes verification)', ['bug', 'synth time', 'result'], rows);
  return definitions;
}

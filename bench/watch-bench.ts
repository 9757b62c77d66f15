import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createPythonRuntime, type PythonRuntime } from '../src/python/runtime.js';
import { builtInGenerators } from '../src/api/built-in-generators.js';
import { measureSaveLatency, percentile, type SaveLatency } from '../src/watch/measure-watch.js';
import { childProcesses } from '../test/support/processes.js';
import { printTable } from './bench-table.js';
import { BACKENDS, copyCorpus, runCliProcess } from './bench-project.js';

const EDITS = 20;
const REGENERATIONS = 200;

/**
 * Save → JSON-written latency of `watch` (synthesis on, no LLM) over real patch edits, on both
 * Python back-ends, and memory, worker processes and zombies after 20 vs 200 regenerations
 * (CPython). Each save writes a different corpus bug into the same patch file, with a unique
 * comment, so every save needs a full synthesis (no cache can answer it). The corpus is built
 * first, so the initial pass needs no Python and the first save pays for starting it.
 */
export async function benchWatch(): Promise<void> {
  const rows: (string | number)[][] = [];
  let memory: { latency: SaveLatency; workers: number; zombies: number; workerRssMb: number | undefined } | undefined;
  let name = '';
  // Workers of runtimes the earlier sections left running are not this watcher's.
  const earlierWorkers = new Set(workerPids());
  // CPython first: pyodide, once loaded, stays in this process and would weigh on the memory figures.
  for (const backend of [...BACKENDS].reverse()) {
    const project = copyCorpus('bug-author-bench-watch-');
    name = project.name;
    await runCliProcess(['build', '--no-llm'], project.root, backend.env);
    const python = createPythonRuntime({ setting: backend.env.BUG_AUTHOR_PYTHON, from: 'BUG_AUTHOR_PYTHON', baseDir: project.root });
    const save = saver(project.root);
    let startedByInitialPass = false;
    const latency = await measureSaveLatency({
      cwd: project.root,
      noLlm: true,
      builtInGenerators,
      python,
      saves: EDITS,
      save: (i) => {
        if (i === 0) startedByInitialPass = python.loaded;
        save(i);
      },
    });
    const warm = latency.latenciesMs.slice(1);
    rows.push([
      backend.name,
      startedByInitialPass ? 'yes' : 'no',
      `${latency.latenciesMs[0]!.toFixed(0)} ms`,
      `${percentile(warm, 50).toFixed(0)} ms`,
      `${percentile(warm, 95).toFixed(0)} ms`,
      `${latency.readyMs} ms`,
    ]);
    if (python.backend?.kind === 'cpython') memory = await measureMemory(project.root, python, save, earlierWorkers);
    await python.close();
  }
  printTable(`watch on ${name} (synthesis, --no-llm; save → JSON written, debounce included; ${EDITS} saves, corpus built beforehand)`, [
    'Python',
    'started by initial pass',
    'first regeneration',
    'p50 (saves 2-20)',
    'p95',
    'initial pass (ready)',
  ], rows);
  if (!memory) return;
  const [at20, at200] = memory.latency.rss;
  const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : `${Math.round(bytes / 1024 / 1024)} MB`);
  printTable(`watch memory and processes, CPython (${REGENERATIONS} regenerations)`, ['measure', 'value'], [
    [`RSS after 20 regenerations${global.gc ? '' : ' (no --expose-gc)'}`, mb(at20?.bytes)],
    [`RSS after ${REGENERATIONS} regenerations`, mb(at200?.bytes)],
    ['growth', at20 && at200 ? `${(((at200.bytes - at20.bytes) / at20.bytes) * 100).toFixed(1)} %` : '?'],
    [`worker RSS after ${REGENERATIONS}`, memory.workerRssMb === undefined ? '?' : `${memory.workerRssMb} MB`],
    [`live worker processes after ${REGENERATIONS}`, memory.workers],
    [`zombie processes after ${REGENERATIONS}`, memory.zombies],
  ]);
}

/** Save number i: a different corpus bug written into the same patch file, with a unique comment. */
function saver(root: string): (i: number) => void {
  const modules = path.join(root, 'curricula', 'cs336_a1', 'modules');
  const target = path.join(modules, 'linear', 'bugs', 'missing_transpose.patch');
  const variants = ['linear/bugs/missing_transpose.patch', 'transformer_block/bugs/missing_residual.patch', 'swiglu/bugs/missing_gate.patch'].map((f) =>
    readFileSync(path.join(modules, f), 'utf8'),
  );
  return (i) => writeFileSync(target, variants[i % variants.length]!.replace(/^(\+(?!\+\+).*\S.*)$/m, `$1  # edit ${i}`));
}

function workerPids(): number[] {
  return (childProcesses() ?? []).filter((c) => c.command.includes('worker.py') && c.state !== 'Z').map((c) => c.pid);
}

async function measureMemory(root: string, python: PythonRuntime, save: (i: number) => void, earlierWorkers: ReadonlySet<number>) {
  const latency = await measureSaveLatency({ cwd: root, noLlm: true, builtInGenerators, python, saves: REGENERATIONS, save: (i) => save(i + EDITS), rssAfter: [20, REGENERATIONS] });
  const pid = python.backend?.pid;
  return {
    latency,
    workers: workerPids().filter((p) => !earlierWorkers.has(p)).length,
    zombies: (childProcesses() ?? []).filter((c) => c.state === 'Z').length,
    workerRssMb: pid === undefined ? undefined : residentMb(pid),
  };
}

function residentMb(pid: number): number | undefined {
  try {
    const kb = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

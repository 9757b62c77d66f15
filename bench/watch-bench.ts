import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sharedPythonRuntime } from '../src/python/runtime.js';
import { measureSaveLatency } from '../src/watch/measure-watch.js';
import { printTable } from './bench-table.js';
import { copyCorpus } from './bench-project.js';

const EDITS = 20;
const REGENERATIONS = 200;

/**
 * Save → JSON-written latency of `watch` (synthesis on, no LLM) over real patch edits, and RSS
 * after 20 vs 200 regenerations. Each save writes a different corpus bug into the same patch
 * file, with a unique comment, so every save needs a full synthesis (no cache can answer it).
 */
export async function benchWatch(): Promise<void> {
  const { root, name } = copyCorpus('bug-author-bench-watch-');
  const modules = path.join(root, 'curricula', 'cs336_a1', 'modules');
  const target = path.join(modules, 'linear', 'bugs', 'missing_transpose.patch');
  const variants = ['linear/bugs/missing_transpose.patch', 'transformer_block/bugs/missing_residual.patch', 'swiglu/bugs/missing_gate.patch'].map((f) =>
    readFileSync(path.join(modules, f), 'utf8'),
  );
  const save = (i: number) => writeFileSync(target, variants[i % variants.length]!.replace(/^(\+(?!\+\+).*\S.*)$/m, `$1  # edit ${i}`));

  const python = sharedPythonRuntime();
  const latency = await measureSaveLatency({ cwd: root, noLlm: true, python, saves: EDITS, save });
  const memory = await measureSaveLatency({ cwd: root, noLlm: true, python, saves: REGENERATIONS, save: (i) => save(i + EDITS), rssAfter: [20, REGENERATIONS] });
  const [at20, at200] = memory.rss;
  const mb = (bytes: number | undefined) => (bytes === undefined ? '?' : `${Math.round(bytes / 1024 / 1024)} MB`);
  printTable(`watch on ${name} (synthesis, --no-llm; save → JSON written, debounce included)`, ['measure', 'value'], [
    ['saves (each a full regeneration)', EDITS],
    ['latency p50', `${latency.p50.toFixed(0)} ms`],
    ['latency p95', `${latency.p95.toFixed(0)} ms`],
    ['initial pass (ready)', `${latency.readyMs} ms`],
    [`RSS after 20 regenerations${global.gc ? '' : ' (no --expose-gc)'}`, mb(at20?.bytes)],
    [`RSS after ${REGENERATIONS} regenerations`, mb(at200?.bytes)],
    ['growth', at20 && at200 ? `${(((at200.bytes - at20.bytes) / at20.bytes) * 100).toFixed(1)} %` : '?'],
  ]);
}

import { describeChoice } from '../python/python-choice.js';
import type { PythonBackendInfo, PythonRuntime } from '../python/runtime.js';
import type { EngineSetup } from '../verify/engine-judge.js';

/** `CPython 3.11.7` or `pyodide 0.25.1 (Python 3.11.3)`. */
export function describeBackend(info: PythonBackendInfo): string {
  return info.kind === 'cpython' ? `CPython ${info.version}` : `pyodide ${info.pyodideVersion ?? '?'} (Python ${info.version})`;
}

/** The `--verbose` lines: which Python served and why, and what the engine judge did. */
export function formatPythonVerbose(python: PythonRuntime, engine: EngineSetup | undefined): string[] {
  const info = python.backend;
  const lines: string[] = [];
  if (!info) {
    lines.push(`python: not started (nothing needed parsing; ${describeChoice(python.choice)})`);
  } else if (info.kind === 'cpython') {
    const restarts = info.restarts ? `, restarted ${info.restarts} time${info.restarts === 1 ? '' : 's'}` : '';
    lines.push(`python: ${describeBackend(info)} (${info.executable}, worker pid ${info.pid}${restarts}; ${describeChoice(info.choice)})`);
  } else {
    const why = info.fallbackReason ? `; not CPython: ${info.fallbackReason}` : '';
    lines.push(`python: ${describeBackend(info)} (in-process; ${describeChoice(info.choice)}${why})`);
  }
  if (engine) lines.push(`engine judge: ${describeEngine(engine)}`);
  return lines;
}

export function describeEngine(engine: EngineSetup): string {
  if ('none' in engine) return `none (${engine.none})`;
  const { location, counts } = engine.judge;
  const where = `${location.label} (${location.how}, fingerprint ${location.id})`;
  if (Object.values(counts).every((n) => n === 0)) return `${where}: nothing judged yet`;
  const seen = [`${counts.agree} agreed`, `${counts.disagree} disagreed`];
  if (counts['engine-error']) seen.push(`${counts['engine-error']} could not run`);
  if (counts.skipped) seen.push(`${counts.skipped} skipped (Python is not CPython)`);
  return `${where}: ${seen.join(', ')}`;
}

// Reads the shared corpus (curricula/*/modules/*/bugs/*.patch against modes/developer/) and
// applies each patch with the `patch` binary in a scratch directory, giving before/after texts.
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sharedCorpus } from '../../support/cli-run.js';

// The shared corpus beside this checkout (../shared/corpus), when there is one.
export const CORPUS_DIR = sharedCorpus;

export interface CorpusBug {
  module: string;
  name: string;
  patchFile: string;
  patchText: string;
  /** Header path, e.g. `cs336_basics/layers.py`. */
  targetPath: string;
  reference: string;
  patched: string;
}

export function corpusAvailable(): boolean {
  return existsSync(path.join(CORPUS_DIR, 'curricula')) && existsSync(path.join(CORPUS_DIR, 'modes', 'developer'));
}

export function loadCorpusBugs(): CorpusBug[] {
  const bugs: CorpusBug[] = [];
  for (const curriculum of readdirSync(path.join(CORPUS_DIR, 'curricula'))) {
    const modulesDir = path.join(CORPUS_DIR, 'curricula', curriculum, 'modules');
    for (const module of readdirSync(modulesDir).sort()) {
      const bugsDir = path.join(modulesDir, module, 'bugs');
      if (!existsSync(bugsDir)) continue;
      for (const file of readdirSync(bugsDir).filter((f) => f.endsWith('.patch')).sort()) {
        bugs.push(applyCorpusPatch(module, path.join(bugsDir, file)));
      }
    }
  }
  return bugs;
}

function applyCorpusPatch(module: string, patchFile: string): CorpusBug {
  const patchText = readFileSync(patchFile, 'utf8');
  const header = /^--- (\S+)/m.exec(patchText);
  if (!header) throw new Error(`${patchFile}: no --- header`);
  const stripped = header[1]!.startsWith('a/');
  const targetPath = stripped ? header[1]!.slice(2) : header[1]!;
  const reference = readFileSync(path.join(CORPUS_DIR, 'modes', 'developer', targetPath), 'utf8');
  const scratch = mkdtempSync(path.join(tmpdir(), 'synth-corpus-'));
  try {
    mkdirSync(path.join(scratch, path.dirname(targetPath)), { recursive: true });
    copyFileSync(path.join(CORPUS_DIR, 'modes', 'developer', targetPath), path.join(scratch, targetPath));
    execFileSync('patch', ['-s', '--batch', stripped ? '-p1' : '-p0', '-d', scratch, '-i', patchFile], { stdio: 'pipe' });
    const patched = readFileSync(path.join(scratch, targetPath), 'utf8');
    return { module, name: path.basename(patchFile, '.patch'), patchFile, patchText, targetPath, reference, patched };
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

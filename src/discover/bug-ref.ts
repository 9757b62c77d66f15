import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';

/** A bug as discovery sees it: where its files are (absolute paths), nothing read yet. */
export interface BugRef {
  /** `<module>/<name>`. */
  id: string;
  name: string;
  module: string;
  patchFile: string;
  /** The directory holding the patch (usually `…/<module>/bugs`). */
  dir: string;
  /** The problem directory: the parent of `bugs/`, else the patch's directory. */
  moduleDir: string;
  outputFile: string;
  symptomCandidates: string[];
}

/** Describes one patch file by the configured conventions. */
export function bugRefFor(patchFile: string, config: ResolvedConfig): BugRef {
  const absolute = path.resolve(config.root, patchFile);
  const dir = path.dirname(absolute);
  const name = path.basename(absolute).replace(/\.(patch|diff)$/, '');
  const moduleDir = path.basename(dir) === 'bugs' ? path.dirname(dir) : dir;
  const module = path.basename(moduleDir);
  const fill = (template: string) =>
    path.resolve(config.root, template.replaceAll('{dir}', dir).replaceAll('{name}', name).replaceAll('{moduleDir}', moduleDir).replaceAll('{module}', module));
  return {
    id: `${module}/${name}`,
    name,
    module,
    patchFile: absolute,
    dir,
    moduleDir,
    outputFile: fill(config.output),
    symptomCandidates: config.symptom.map(fill),
  };
}

/** Scratch files that are never outputs: `*_draft*.json`, `*_v2.json`. */
export function isScratchJson(file: string): boolean {
  const base = path.basename(file);
  return /_draft[^/]*\.json$/.test(base) || /_v2\.json$/.test(base);
}

export function relativeToRoot(config: { root: string }, file: string): string {
  return path.relative(config.root, file).split(path.sep).join('/');
}

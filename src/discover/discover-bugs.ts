import fg, { type Options } from 'fast-glob';
import path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULTS, type ResolvedConfig } from '../config/resolved-config.js';
import { bugRefFor, isScratchJson, relativeToRoot, type BugRef } from './bug-ref.js';
import { loopFreeFs } from './loop-free-fs.js';

/** What fast-glob reads directories through: the disk by default, or a snapshot such as the git index. */
export type GlobFileSystem = NonNullable<Options['fs']>;

function globber(config: ResolvedConfig, fs?: GlobFileSystem) {
  return (patterns: string[]) => fg(patterns, { cwd: config.root, ignore: config.ignore, onlyFiles: true, absolute: true, dot: false, fs: fs ?? loopFreeFs() });
}

/** Every patch the config's globs find, in a stable order. */
export async function discoverBugs(config: ResolvedConfig, fs?: GlobFileSystem): Promise<BugRef[]> {
  return (await discoverBugsByGlob(config, fs)).bugs;
}

export interface BugDiscovery {
  bugs: BugRef[];
  /**
   * Globs that matched no patch: configured ones by name (a typo would otherwise turn the gate
   * green), or, with no `bugs` configured and nothing found, the default ones.
   */
  unmatched: string[];
  /** The globs that found `bugs`: the config's, or the any-`bugs/`-folder fallback when the defaults found nothing. */
  globs: string[];
}

/** discoverBugs, also saying which globs matched nothing. The tree is walked once; `!` globs exclude from all. */
export async function discoverBugsByGlob(config: ResolvedConfig, fs?: GlobFileSystem): Promise<BugDiscovery> {
  const glob = globber(config, fs);
  const included = config.bugs.filter((g) => !g.startsWith('!'));
  let globs = config.bugs;
  let files = await glob(config.bugs);
  let unmatched = config.bugsConfigured ? included.filter((g) => !files.some(bugGlobMatcher(config, g))) : [];
  if (files.length === 0 && !config.bugsConfigured) {
    globs = DEFAULTS.anyBugsFolder;
    files = await glob(globs);
    if (files.length === 0) unmatched = [...included, ...DEFAULTS.anyBugsFolder];
  }
  return { bugs: files.sort().map((file) => bugRefFor(file, config)), unmatched, globs };
}

/** Whether a `bugs` glob (relative to the root, or absolute) matches a patch file (absolute), as discovery globs it. */
export function bugGlobMatcher(config: { root: string }, glob: string): (file: string) => boolean {
  const absolute = path.isAbsolute(glob);
  const test = picomatch(absolute ? glob.split(path.sep).join('/') : glob.replace(/^\.\//, ''), { dot: false });
  return (file) => test(absolute ? file.split(path.sep).join('/') : relativeToRoot(config, file));
}

/**
 * JSON files that sit where outputs go (same directories as the patches) but belong to no patch.
 * Scratch files (`*_draft*.json`, `*_v2.json`) are never outputs and never orphans.
 * `anyBugsFolder` looks in every `bugs/` folder too: what a glob that matches nothing leaves unchecked.
 */
export async function discoverOrphanJson(config: ResolvedConfig, bugs: readonly BugRef[], fs?: GlobFileSystem, options: { anyBugsFolder?: boolean } = {}): Promise<string[]> {
  const outputs = new Set(bugs.map((b) => b.outputFile));
  const globs = config.bugsConfigured && !options.anyBugsFolder ? config.bugs : [...config.bugs, ...DEFAULTS.anyBugsFolder];
  const patterns = [...new Set([...globs.map((glob) => glob.replace(/\*\.(patch|diff)$/, '*.json').replace(/\.(patch|diff)$/, '.json')), ...globs.flatMap((glob) => outputGlob(glob, config))])];
  const files = await globber(config, fs)(patterns);
  return files
    .filter((f) => !outputs.has(path.resolve(f)) && !isScratchJson(f))
    .sort();
}

/**
 * Where the outputs of a bugs glob's patches go, as a glob: the output template with `{dir}`,
 * `{moduleDir}` the glob's folders and `{name}`, `{module}` wildcards (for a layout with sources
 * in a sibling folder, e.g. `…/bug-sources/*.patch` → `…/bugs/*.json`).
 */
function outputGlob(glob: string, config: ResolvedConfig): string[] {
  if (path.isAbsolute(config.output)) return [];
  const dir = path.posix.dirname(glob);
  const moduleDir = config.bugFolders.includes(path.posix.basename(dir)) ? path.posix.dirname(dir) : dir;
  const pattern = config.output.replaceAll('{dir}', dir).replaceAll('{moduleDir}', moduleDir).replaceAll('{module}', '*').replaceAll('{name}', '*');
  return pattern.includes('{') ? [] : [path.posix.normalize(pattern)];
}

import fg, { type Options } from 'fast-glob';
import path from 'node:path';
import picomatch from 'picomatch';
import { DEFAULTS, type ResolvedConfig } from '../config/resolved-config.js';
import type { ProjectFiles } from '../files/project-files.js';
import { bugRefFor, isScratchJson, relativeToRoot, type BugRef } from './bug-ref.js';
import { manifestBugFolders, manifestJsonGlobs, manifestPatchGlobs, type ManifestProblem } from './curriculum-manifests.js';
import { loopFreeFs } from './loop-free-fs.js';

/** What fast-glob reads directories through: the disk by default, or a snapshot such as the git index. */
export type GlobFileSystem = NonNullable<Options['fs']>;

function globber(config: ResolvedConfig, fs?: GlobFileSystem) {
  return (patterns: string[]) => fg(patterns, { cwd: config.root, ignore: config.ignore, onlyFiles: true, absolute: true, dot: false, fs: fs ?? loopFreeFs() });
}

/** Every patch the curricula's manifests and the config's globs find, in a stable order. */
export async function discoverBugs(config: ResolvedConfig, fs?: GlobFileSystem, files?: ProjectFiles): Promise<BugRef[]> {
  return (await discoverBugsByGlob(config, fs, files)).bugs;
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
  /** The `bugs/` folders the curricula's manifests name (absolute): their patches are bugs whatever the globs say. */
  manifestFolders: string[];
  /** Manifests the engine could not load, or paths in them leading outside the project (warnings). */
  manifestProblems: ManifestProblem[];
}

/**
 * discoverBugs, also saying which globs matched nothing. The patches in the `bugs/` folders the
 * curricula's manifests name come first (as the engine finds them); the config's globs add to
 * them, and its `!` globs (and `ignore`) exclude from all. `fs`/`files` read another snapshot
 * (the git index) instead of the disk.
 */
export async function discoverBugsByGlob(config: ResolvedConfig, fs?: GlobFileSystem, files?: ProjectFiles): Promise<BugDiscovery> {
  const glob = globber(config, fs);
  const manifests = await manifestBugFolders(config.root, { ignore: config.ignore, ...(fs ? { fs } : {}), ...(files ? { files } : {}) });
  const fromManifests = manifestPatchGlobs(config.root, manifests.folders);
  const excluded = config.bugs.filter((g) => g.startsWith('!'));
  const included = config.bugs.filter((g) => !g.startsWith('!'));
  let globs = config.bugs;
  let found = await glob(config.bugs);
  let unmatched = config.bugsConfigured ? included.filter((g) => !found.some(bugGlobMatcher(config, g))) : [];
  const listed = fromManifests.length ? await glob([...fromManifests, ...excluded]) : [];
  if (found.length === 0 && listed.length === 0 && !config.bugsConfigured) {
    globs = DEFAULTS.anyBugsFolder;
    found = await glob(globs);
    if (found.length === 0) unmatched = [...included, ...DEFAULTS.anyBugsFolder];
  }
  const all = [...new Set([...listed, ...found].map((file) => path.resolve(file)))];
  return { bugs: all.sort().map((file) => bugRefFor(file, config)), unmatched, globs, manifestFolders: manifests.folders, manifestProblems: manifests.problems };
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
export async function discoverOrphanJson(
  config: ResolvedConfig,
  bugs: readonly BugRef[],
  fs?: GlobFileSystem,
  options: { anyBugsFolder?: boolean; manifestFolders?: readonly string[] } = {},
): Promise<string[]> {
  const outputs = new Set(bugs.map((b) => b.outputFile));
  const globs = config.bugsConfigured && !options.anyBugsFolder ? config.bugs : [...config.bugs, ...DEFAULTS.anyBugsFolder];
  const patterns = [
    ...new Set([
      ...globs.map((glob) => glob.replace(/\*\.(patch|diff)$/, '*.json').replace(/\.(patch|diff)$/, '.json')),
      ...globs.flatMap((glob) => outputGlob(glob, config)),
      ...manifestJsonGlobs(config.root, options.manifestFolders ?? []),
    ]),
  ];
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

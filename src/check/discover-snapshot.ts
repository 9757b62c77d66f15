import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import type { ManifestProblem } from '../discover/curriculum-manifests.js';
import { discoverBugsByGlob, discoverOrphanJson, type GlobFileSystem } from '../discover/discover-bugs.js';
import { pathListFs } from '../git/path-list-fs.js';
import type { ProjectFiles } from '../inputs/project-files.js';

export interface Discovered {
  bugs: BugRef[];
  /** JSON beside the patches that belongs to no patch. */
  orphans: string[];
  /** Globs that matched no patch (see discoverBugsByGlob). */
  unmatched: string[];
  /** Manifests the engine could not load, or paths in them bug-author refuses. */
  manifestProblems: ManifestProblem[];
}

async function discover(config: ResolvedConfig, fs?: GlobFileSystem, files?: ProjectFiles): Promise<Discovered> {
  const { bugs, unmatched, manifestFolders, manifestProblems } = await discoverBugsByGlob(config, fs, files);
  return { bugs, orphans: await discoverOrphanJson(config, bugs, fs, { manifestFolders }), unmatched, manifestProblems };
}

export function discoverOnDisk(config: ResolvedConfig): Promise<Discovered> {
  return discover(config);
}

/** Discovery over a list of files (the git index): the same globs, read through a file system holding just those paths; manifests read from `files`. */
export function discoverInFileList(config: ResolvedConfig, paths: Iterable<string>, files?: ProjectFiles): Promise<Discovered> {
  return discover(config, pathListFs(paths), files);
}

import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import type { ManifestProblem } from '../discover/curriculum-manifests.js';
import { discoverBugsByGlob, discoverOrphanJson, type GlobFileSystem } from '../discover/discover-bugs.js';
import { discoverEnginePicks, engineBugFolders, type EnginePicks } from '../discover/engine-picks.js';
import { isScratchJson } from '../discover/bug-ref.js';
import { pathListFs } from '../git/path-list-fs.js';
import type { ProjectFiles } from '../files/project-files.js';

export interface Discovered {
  bugs: BugRef[];
  /** JSON beside the patches that belongs to no patch. */
  orphans: string[];
  /** Globs that matched no patch (see discoverBugsByGlob). */
  unmatched: string[];
  /** Manifests the engine could not load, or paths in them bug-author refuses. */
  manifestProblems: ManifestProblem[];
  /** The folders the engine picks bugs from, and every file it would pick there. */
  enginePicks: EnginePicks;
}

async function discover(config: ResolvedConfig, fs?: GlobFileSystem, files?: ProjectFiles): Promise<Discovered> {
  const { bugs, unmatched, manifestFolders, manifestProblems } = await discoverBugsByGlob(config, fs, files);
  const found = await discoverOrphanJson(config, bugs, fs, { manifestFolders });
  const dirs = [...bugs.flatMap((b) => [b.dir, path.dirname(b.outputFile)]), ...found.map((f) => path.dirname(f))];
  const enginePicks = await discoverEnginePicks(config.root, engineBugFolders(manifestFolders, dirs), fs);
  // A JSON the engine picks that no patch claims is an orphan, whatever the globs say (scratch names are judged apart).
  const outputs = new Set(bugs.map((b) => b.outputFile));
  const picked = enginePicks.files.filter((f) => f.endsWith('.json') && !outputs.has(f) && !isScratchJson(f));
  const orphans = [...new Set([...found, ...picked])].sort();
  return { bugs, orphans, unmatched, manifestProblems, enginePicks };
}

export function discoverOnDisk(config: ResolvedConfig): Promise<Discovered> {
  return discover(config);
}

/** Discovery over a list of files (the git index): the same globs, read through a file system holding just those paths; manifests read from `files`. */
export function discoverInFileList(config: ResolvedConfig, paths: Iterable<string>, files?: ProjectFiles): Promise<Discovered> {
  return discover(config, pathListFs(paths), files);
}

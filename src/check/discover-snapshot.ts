import type { ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../discover/bug-ref.js';
import { discoverBugsByGlob, discoverOrphanJson, type GlobFileSystem } from '../discover/discover-bugs.js';
import { pathListFs } from '../git/path-list-fs.js';

export interface Discovered {
  bugs: BugRef[];
  /** JSON beside the patches that belongs to no patch. */
  orphans: string[];
  /** Globs that matched no patch (see discoverBugsByGlob). */
  unmatched: string[];
}

async function discover(config: ResolvedConfig, fs?: GlobFileSystem): Promise<Discovered> {
  const { bugs, unmatched } = await discoverBugsByGlob(config, fs);
  return { bugs, orphans: await discoverOrphanJson(config, bugs, fs), unmatched };
}

export function discoverOnDisk(config: ResolvedConfig): Promise<Discovered> {
  return discover(config);
}

/** Discovery over a list of files (the git index): the same globs, read through a file system holding just those paths. */
export function discoverInFileList(config: ResolvedConfig, files: Iterable<string>): Promise<Discovered> {
  return discover(config, pathListFs(files));
}

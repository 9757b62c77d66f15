import path from 'node:path';
import { ENGINE_BUGS_FOLDER } from './curriculum-manifests.js';
import { relativeToRoot } from './bug-ref.js';
import type { GlobFileSystem } from './discover-bugs.js';
import { loopFreeFs } from './loop-free-fs.js';

/**
 * What the engine's harden stage chooses from (engine/stages/harden.py, `_select_bug`): every
 * `*.patch` and `*.json` directly in a module's (library mode: a problem's) `bugs/` folder, dot
 * files included, case-sensitive, uniformly at random; the file it picks must have
 * `<stem>_symptom.txt` beside it, else the harden stage stops ("Symptom file missing for …").
 * It knows no config: what bug-author ignores, or treats as scratch, it picks all the same.
 */
export interface EnginePicks {
  /** The folders the engine picks from (absolute). */
  folders: string[];
  /** Every file it would pick there (absolute), sorted. */
  files: string[];
}

/**
 * The folders the engine picks from: those the curricula's manifests name (as the engine finds
 * them); in a project with no manifest naming any, every folder named `bugs` among `dirs` (the
 * folders where bug-author finds patches and outputs): the engine's `<module>/bugs`.
 */
export function engineBugFolders(manifestFolders: readonly string[], dirs: Iterable<string>): string[] {
  if (manifestFolders.length) return [...manifestFolders];
  return [...new Set([...dirs].filter((dir) => path.basename(dir) === ENGINE_BUGS_FOLDER))].sort();
}

/** Every file the engine would pick from these folders, in the snapshot `fs` reads (the disk by default, or the git index). */
export async function discoverEnginePicks(root: string, folders: readonly string[], fs?: GlobFileSystem): Promise<EnginePicks> {
  if (folders.length === 0) return { folders: [], files: [] };
  // Each folder listed once: a glob per folder (thousands in a large curriculum) cost a warm check more than the rest of discovery.
  const files = (await Promise.all(folders.map((folder) => pickableFiles(fs ?? loopFreeFs(), path.resolve(root, folder))))).flat();
  return { folders: [...folders], files: [...new Set(files)].sort() };
}

const PICKABLE = /\.(json|patch)$/;

/** The files directly in `folder` named `*.json` or `*.patch` (dot files and links to files included, case-sensitive); none where it cannot be read. */
function pickableFiles(fs: GlobFileSystem, folder: string): Promise<string[]> {
  return new Promise((resolve) => {
    fs.readdir!(folder, { withFileTypes: true }, (error, entries) => {
      if (error) return resolve([]);
      const named = entries.filter((entry) => PICKABLE.test(entry.name));
      void Promise.all(named.map((entry) => (entry.isSymbolicLink() ? isFileBehindLink(fs, path.join(folder, entry.name)) : entry.isFile()))).then((isFile) =>
        resolve(named.filter((_, i) => isFile[i]).map((entry) => path.join(folder, entry.name))),
      );
    });
  });
}

function isFileBehindLink(fs: GlobFileSystem, file: string): Promise<boolean> {
  return new Promise((resolve) => fs.stat!(file, (error, stats) => resolve(!error && stats.isFile())));
}

/** The symptom the engine requires beside a file it picks: `<stem>_symptom.txt`, the stem as Python's pathlib has it. */
export function engineSymptomOf(file: string): string {
  const name = path.basename(file);
  const dot = name.lastIndexOf('.');
  const stem = dot > 0 && dot < name.length - 1 ? name.slice(0, dot) : name;
  return path.join(path.dirname(file), `${stem}_symptom.txt`);
}

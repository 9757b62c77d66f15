import fg, { type Options } from 'fast-glob';
import path from 'node:path';
import { containment, describeEscape } from '../files/contained-path.js';
import { workingTreeFiles, type ProjectFiles } from '../files/project-files.js';
import { relativeToRoot } from './bug-ref.js';

/** The folder the engine looks for curricula in, under the project root (its `CURRICULA_DIR`). */
export const CURRICULA_DIR = 'curricula';
/** The folder of a module or problem the engine picks bugs from. */
export const ENGINE_BUGS_FOLDER = 'bugs';

/** Where a curriculum's manifest puts its bugs, as the engine reads it. */
export interface ManifestBugFolders {
  /** Absolute `…/<module or problem>/bugs` folders, in manifest order, without repeats (whether they exist or not). */
  folders: string[];
  /** Manifests the engine could not use, or entries bug-author refuses (a path leading outside the project): warnings. */
  problems: ManifestProblem[];
}

export interface ManifestProblem {
  /** The manifest (relative to the project root). */
  file: string;
  reason: string;
}

/**
 * The bugs folders every `curricula/<id>/manifest.json` names, the way the engine finds them:
 * a linear curriculum's `modules[].path`, a library one's (`"type": "library"`)
 * `patterns[].problems[].path`, each relative to `curricula/<id>/`, with `bugs/` below it.
 * A path leading outside the project root is refused (named as a problem), never followed.
 */
export async function manifestBugFolders(root: string, options: { fs?: NonNullable<Options['fs']>; files?: ProjectFiles; ignore?: string[] } = {}): Promise<ManifestBugFolders> {
  const manifests = await fg(`${CURRICULA_DIR}/*/manifest.json`, {
    cwd: root,
    absolute: true,
    onlyFiles: true,
    dot: false,
    ...(options.ignore ? { ignore: options.ignore } : {}),
    ...(options.fs ? { fs: options.fs } : {}),
  });
  const files = options.files ?? workingTreeFiles;
  const folders: string[] = [];
  const problems: ManifestProblem[] = [];
  for (const manifest of manifests.sort()) {
    const label = relativeToRoot({ root }, manifest);
    const paths = await entryPaths(manifest, files).catch((err: unknown) => {
      problems.push({ file: label, reason: err instanceof ManifestError ? err.message : String(err) });
      return [];
    });
    const curriculum = path.dirname(manifest);
    for (const entry of paths) {
      const folder = path.resolve(curriculum, entry, ENGINE_BUGS_FOLDER);
      // The project's one path rule (a `../` path, or a link leading out); links count on disk only (the git index stores them unfollowed).
      const escape = containment(folder, root);
      if (!escape.inside && (escape.lexical || files.realPath)) {
        const why = escape.lexical ? `the path ${JSON.stringify(entry)} leads outside the project root` : describeEscape(escape, folder, { base: root, what: 'bugs folder', boundaryName: 'the project root' });
        problems.push({ file: label, reason: `${why}; its bugs are not read` });
        continue;
      }
      if (!folders.includes(folder)) folders.push(folder);
    }
  }
  return { folders, problems };
}

class ManifestError extends Error {}

/** The module or problem paths of one manifest (the engine validates the same fields with pydantic). */
async function entryPaths(manifest: string, files: ProjectFiles): Promise<string[]> {
  const bytes = await files.read(manifest);
  if (bytes === undefined) return [];
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder().decode(bytes));
  } catch (err) {
    throw new ManifestError(`not valid JSON (${(err as Error).message}); the engine cannot load this curriculum, and its bugs are found by the \`bugs\` globs only`);
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) throw new ManifestError('not a JSON object; the engine cannot load this curriculum');
  const m = data as { type?: unknown; modules?: unknown; patterns?: unknown };
  const library = m.type === 'library';
  const entries: unknown[] = library
    ? listOf(m.patterns, 'patterns').flatMap((pattern, i) => listOf((pattern as { problems?: unknown } | null)?.problems, `patterns[${i}].problems`))
    : listOf(m.modules, 'modules');
  const where = library ? 'patterns[].problems[]' : 'modules[]';
  return entries.map((entry, i) => {
    const p = (entry as { path?: unknown } | null)?.path;
    if (typeof p !== 'string' || p.trim() === '') throw new ManifestError(`${where} entry ${i + 1} has no "path"; the engine rejects this manifest`);
    return p;
  });
}

function listOf(value: unknown, field: string): unknown[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw new ManifestError(`"${field}" is not a list; the engine rejects this manifest`);
  return value;
}

/** Globs (relative to the root) of the patches in these folders: `*.patch`, as the engine picks them. */
export function manifestPatchGlobs(root: string, folders: readonly string[]): string[] {
  return folders.map((folder) => `${fg.escapePath(relativeToRoot({ root }, folder))}/*.patch`);
}

/** Globs of the JSON in these folders (for the ones no patch claims). */
export function manifestJsonGlobs(root: string, folders: readonly string[]): string[] {
  return folders.map((folder) => `${fg.escapePath(relativeToRoot({ root }, folder))}/*.json`);
}

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { tryDefinitions, type TryResult } from '../api/try-definitions.js';
import type { ProjectLocation } from './project-check.js';

/**
 * Files pasted or dropped into the page, tried exactly as `bug-author try --diff` tries files
 * on disk: they are written to a temp folder for the public `tryDefinitions`, which is removed
 * afterwards; the report names them as the page did. On disk each is `<n>.py`: the page's name
 * (a folder path of any length, any ending) never becomes a path.
 */
export async function tryPastedFiles(location: ProjectLocation, files: ReadonlyArray<{ label: string; source: string }>): Promise<TryResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'bug-author-try-'));
  try {
    const labels = new Map<string, string>();
    await Promise.all(
      files.map(async (file, i) => {
        const name = path.join(dir, `${i}.py`);
        labels.set(path.relative(location.cwd, name), file.label);
        await writeFile(name, file.source);
      }),
    );
    const result = await tryDefinitions({ ...location, students: [dir], diff: true });
    const named = (label: string) => labels.get(label) ?? label;
    return {
      ...result,
      cells: result.cells.map((c) => ({ ...c, file: named(c.file), ...(c.diff ? { diff: c.diff.replaceAll(c.file, named(c.file)) } : {}) })),
      unparsable: result.unparsable.map((u) => ({ ...u, file: named(u.file) })),
      ...(result.unreadable ? { unreadable: result.unreadable.map((u) => ({ ...u, file: named(u.file) })) } : {}),
    };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

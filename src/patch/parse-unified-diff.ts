import { parsePatch, type StructuredPatch } from 'diff';
import { InputError } from '../errors.js';

export interface FilePatch {
  /** The target path from the header, without `a/`/`b/` prefixes (e.g. `cs336_basics/layers.py`). */
  targetPath: string;
  structured: StructuredPatch;
}

/** Parses a single-file unified diff, with or without `a/`/`b/` prefixes, CRLF or "\ No newline". */
export function parseUnifiedDiff(text: string, file: string): FilePatch {
  if (text.trim().length === 0) throw new InputError('empty-patch', file, 'the patch is empty');
  if (/^GIT binary patch$/m.test(text) || /^Binary files .* differ$/m.test(text)) {
    throw new InputError('binary', file, 'the patch is a binary diff; only text patches of Python files are supported');
  }
  let patches: StructuredPatch[];
  try {
    patches = parsePatch(text.replace(/\r\n/g, '\n'));
  } catch (err) {
    throw new InputError('bad-patch', file, `not a unified diff: ${(err as Error).message}`);
  }
  const withHunks = patches.filter((p) => p.hunks.length > 0);
  if (withHunks.length === 0) throw new InputError('empty-patch', file, 'the patch has no hunks (no `@@ -a,b +c,d @@` sections)');
  if (withHunks.length > 1) {
    const names = withHunks.map((p) => headerPaths(p).target).join(', ');
    throw new InputError('multi-file-patch', file, `the patch changes ${withHunks.length} files (${names}); a bug definition injects into one file`);
  }
  const structured = withHunks[0]!;
  const { source, target } = headerPaths(structured);
  if (source === '/dev/null') throw new InputError('bad-patch', file, `the patch creates a new file (${target}); a bug must change an existing reference file`);
  if (target === '/dev/null') throw new InputError('bad-patch', file, `the patch deletes the file ${source}`);
  if (!target) throw new InputError('bad-patch', file, 'the patch has no `---`/`+++` file header');
  return { targetPath: target, structured };
}

function headerPaths(patch: StructuredPatch): { source: string; target: string } {
  const clean = (name: string | undefined) => (name ?? '').trim().split('\t')[0]!;
  let source = clean(patch.oldFileName);
  let target = clean(patch.newFileName);
  // git-style headers: strip the a/ and b/ prefixes together (like `patch -p1`).
  if (source.startsWith('a/') && (target.startsWith('b/') || target === '/dev/null')) source = source.slice(2);
  if (target.startsWith('b/') && (clean(patch.oldFileName).startsWith('a/') || source === '/dev/null')) target = target.slice(2);
  if (target === '/dev/null') return { source, target };
  return { source, target: target || source };
}

import type { StructuredPatch } from 'diff';
import { InputError } from '../errors.js';
import { PatchSyntaxError, scanPatch, type CountMode, type LineCounts, type ScannedSection } from './scan-patch.js';

/** Where a hunk came from in the patch file, and whether its counts had to be corrected. */
export interface HunkSource {
  /** 1-based line of its header in the patch file. */
  line: number;
  header: string;
  declared: LineCounts;
  counted: LineCounts;
  recounted: boolean;
  /** GNU patch locates it afresh in the output of the hunks before it (garbage came between). */
  freshPass: boolean;
}

export interface FilePatch {
  /** The target path from the header, without `a/`/`b/` prefixes (e.g. `cs336_basics/layers.py`); '' when the patch names no file. */
  targetPath: string;
  /** The file names as the header writes them (prefixes kept, timestamps dropped); '' when it names none. */
  oldName: string;
  newName: string;
  /** 1-based line of the first file header (else of the first hunk): what comes before it is description. */
  headerLine: number;
  structured: StructuredPatch;
  /** One per hunk of `structured`. */
  hunks: HunkSource[];
  /** What patch would say while reading it (e.g. an unterminated last line it ignores). */
  notes: string[];
}

/**
 * Parses a single-file patch as GNU patch reads it — unified, context or normal diff, with or
 * without `a/`/`b/` prefixes, garbage around it, indented, CRLF, "\ No newline" — into jsdiff's
 * StructuredPatch (the hunks as unified lines). `recount` (the default, for building) corrects wrong hunk
 * counts like `git apply --recount`; `patch` reads them as the engine's `patch` does.
 */
export function parseUnifiedDiff(text: string, file: string, mode: CountMode = 'recount'): FilePatch {
  if (text.trim().length === 0) throw new InputError('empty-patch', file, 'the patch is empty');
  if (/^GIT binary patch\r?$/m.test(text) || /^Binary files .* differ\r?$/m.test(text)) {
    throw new InputError('binary', file, 'the patch is a binary diff; only text patches of Python files are supported');
  }
  let scanned;
  try {
    scanned = scanPatch(text, mode);
  } catch (err) {
    if (err instanceof PatchSyntaxError) throw new InputError('bad-patch', file, err.reason, err.line);
    throw err;
  }
  const sections = scanned.sections.filter((s) => s.hunks.length > 0);
  if (sections.length === 0) throw new InputError('empty-patch', file, 'the patch has no hunks (no `@@ -a,b +c,d @@` sections)');
  // Sections naming no file continue the file before them (patch applies them to the same file).
  const files: { names: HeaderNames; structured: StructuredPatch; hunks: HunkSource[] }[] = [];
  for (const section of sections) {
    const names = headerPaths(section);
    const structured = structuredOf(section, names);
    const hunks = section.hunks.map(({ line, header, declared, counted, recounted, freshPass }) => ({ line, header, declared, counted, recounted, freshPass }));
    const previous = files[files.length - 1];
    if (previous && (!names.target || names.target === previous.names.target)) {
      previous.structured.hunks.push(...structured.hunks);
      previous.hunks.push(...hunks);
    } else files.push({ names, structured, hunks });
  }
  if (files.length > 1) {
    const names = files.map((f) => f.names.target).join(', ');
    throw new InputError('multi-file-patch', file, `the patch changes ${files.length} files (${names}); a bug definition injects into one file`);
  }
  const { names, structured, hunks } = files[0]!;
  const { source, target } = names;
  if (source === '/dev/null') throw new InputError('bad-patch', file, `the patch creates a new file (${target}); a bug must change an existing reference file`);
  if (target === '/dev/null') throw new InputError('bad-patch', file, `the patch deletes the file ${source}`);
  return { targetPath: target, oldName: names.oldName, newName: names.newName, headerLine: sections[0]!.headerLine, structured, hunks, notes: scanned.notes };
}

interface HeaderNames {
  /** As written, without timestamps. */
  oldName: string;
  newName: string;
  /** Without git's a/ b/ prefixes. */
  source: string;
  target: string;
}

function headerPaths(section: ScannedSection): HeaderNames {
  const clean = (name: string | undefined) => unquote((name ?? '').split('\t')[0]!.trim());
  const oldName = clean(section.oldName ?? section.newName);
  const newName = clean(section.newName ?? section.oldName);
  let source = oldName;
  let target = newName;
  // git-style headers: strip the a/ and b/ prefixes together (like `patch -p1`).
  if (source.startsWith('a/') && (target.startsWith('b/') || target === '/dev/null')) source = source.slice(2);
  if (target.startsWith('b/') && (oldName.startsWith('a/') || source === '/dev/null')) target = target.slice(2);
  if (target === '/dev/null') return { oldName, newName, source, target };
  return { oldName, newName, source, target: target || source || (section.index ?? '').trim() };
}

/** git quotes a name holding unusual characters: `"a/my file.py"`. */
function unquote(name: string): string {
  return /^".*"$/.test(name) ? name.slice(1, -1) : name;
}

/** A section's hunks as jsdiff's StructuredPatch (an empty side starts one line later, as jsdiff reads `@@ -0,0`). */
function structuredOf(section: ScannedSection, names: HeaderNames): StructuredPatch {
  return {
    oldFileName: names.oldName,
    newFileName: names.newName,
    oldHeader: undefined,
    newHeader: undefined,
    hunks: section.hunks.map((h) => ({
      oldStart: h.counted.oldLines === 0 ? h.oldStart + 1 : h.oldStart,
      oldLines: h.counted.oldLines,
      newStart: h.counted.newLines === 0 ? h.newStart + 1 : h.newStart,
      newLines: h.counted.newLines,
      lines: [...h.lines],
    })),
  };
}

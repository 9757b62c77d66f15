import type { PatchNote } from './apply-file-patch.js';

/** One short phrase per note, for a build line. */
export function describePatchNote(note: PatchNote): string {
  switch (note.kind) {
    case 'recounted':
      return `hunk ${note.hunk} recounted: its header says -${note.declared.oldLines} +${note.declared.newLines} lines, it has -${note.counted.oldLines} +${note.counted.newLines}`;
    case 'fuzz':
      return `hunk ${note.hunk} applied with fuzz ${note.fuzz} (context lines differ)`;
    case 'whitespace':
      return `hunk ${note.hunk} applied ignoring whitespace at line ends`;
    case 'code':
      return `hunk ${note.hunk} applied ignoring comments (found by its code at line ${note.at})`;
    case 'misordered':
      return `hunk ${note.hunk} lies above the hunk before it (hunks out of order, which the engine's patch refuses)`;
  }
}

/** Whether the patch no longer matches its reference as written (a refresh would fix it). */
export function isStale(notes: readonly PatchNote[]): boolean {
  return notes.some((n) => n.kind !== 'recounted');
}

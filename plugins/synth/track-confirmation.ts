// Confirming a ladder's reading. A ladder's readings run farthest first, so the last one that
// matches (the reading nearest the reference's) decides the position. A student's file may hold
// another statement of the site's shape at an index nearer the reference's than the site itself
// (`V = V.transpose(…)` split from its `view(…)` before the site, an `a * b` later in the
// function): that statement then wins, and the edit lands there — another bug, silently. So the
// same readings run again in the other order, recording where what they find ends (they end on
// the farthest match), and a guard pass that changes nothing requires one node spanning from
// the first reading's start to the second's end. When one place reads as the site, both are
// that place; when two do, no node spans from one to the other, and the injection fails loudly.
import type { Pattern } from '../../src/plugin-kit.js';
import type { PinnedTrack } from './pinning.js';

export interface ConfirmingReadings {
  /** The ladder confirmed (a pinned site, or a track that records a name it needs). */
  ladder: PinnedTrack;
  /** Its readings in the other order (the reference's own first), each recording where what it finds ends. */
  readings: Array<{ pattern: Pattern; trackAs: Record<string, string> }>;
  /** The guard's pattern: a node from where the ladder's reading starts to where the other order's ends. */
  guard: Pattern;
}

/**
 * The confirmations a pinned track needs: one per ladder among the tracks it runs (the names it
 * records first, then its own), in that order. A track without rungs has only one reading.
 */
export function confirmations(track: PinnedTrack): ConfirmingReadings[] {
  return [...(track.names ?? []), track].flatMap((ladder) => {
    const position = ladder.position;
    if (!position || ladder.rungs.length === 0) return [];
    const end = { line: `${position.line}_end`, col: `${position.col}_end` };
    const readings = [{ pattern: ladder.trackPattern, trackAs: ladder.trackAs }, ...[...ladder.rungs].reverse()].flatMap(({ pattern, trackAs }) => {
      const line = endPath(trackAs[position.line], 'lineno');
      const col = endPath(trackAs[position.col], 'col_offset');
      return line && col ? [{ pattern, trackAs: { [end.line]: line, [end.col]: col } }] : [];
    });
    const guard: Pattern = {
      lineno: { from_context: position.line },
      col_offset: { from_context: position.col },
      end_lineno: { from_context: end.line },
      end_col_offset: { from_context: end.col },
    };
    return [{ ladder, readings, guard }];
  });
}

/** `node.value.lineno` → `node.value.end_lineno`. */
function endPath(path: string | undefined, attribute: 'lineno' | 'col_offset'): string | undefined {
  return path?.endsWith(`.${attribute}`) ? `${path.slice(0, -attribute.length)}end_${attribute}` : undefined;
}

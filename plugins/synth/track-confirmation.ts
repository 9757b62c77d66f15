// Confirming a ladder's reading. A ladder's readings run farthest first, so the last one that
// matches (the reading nearest the reference's) decides the position. A student's file may hold
// another statement of the site's shape at an index nearer the reference's than the site itself
// (`V = V.transpose(…)` split from its `view(…)` before the site, an `a * b` later in the
// function): that statement then wins, and the edit lands there — another bug, silently. So the
// same readings run again in the other order, recording where what they find ends (they end on
// the farthest match), and a guard pass that changes nothing requires one node spanning from
// the first reading's start to the second's end. When one place reads as the site, both are
// that place; when two do, no node spans from one to the other, and the injection fails loudly.
//
// A reading can also find two places itself: the engine's canonical names restart in every
// function of the target's name, so a student's file with two classes' `__init__` (or
// `row_sum`) holding the same code reads the same twice, and a track records the last. So each
// confirming reading records where its FIRST match ends: the forward reading records the column
// its match starts in, and the confirming one requires that column, then spends it (records an
// end column in its place), so that a later match of the same shape in that column records
// nothing (the engine updates the context as it walks). The guard then fails loudly when the
// first and the last place differ, for a single reading as for a ladder.
import type { Pattern } from '../../src/plugin-kit.js';
import type { PinnedTrack } from './pinning.js';

export interface ConfirmingReadings {
  /** The ladder confirmed (a pinned site, or a track that records a name it needs). */
  ladder: PinnedTrack;
  /** Its readings in the other order (the reference's own first), each recording where the first place it finds ends. */
  readings: Array<{ pattern: Pattern; trackAs: Record<string, string> }>;
  /** The guard's pattern: a node from where the ladder's reading starts to where the other order's ends. */
  guard: Pattern;
}

/**
 * The confirmations a pinned track needs: one per ladder among the tracks it runs (the names it
 * records first, then its own), in that order. A track without rungs has one reading.
 */
export function confirmations(track: PinnedTrack): ConfirmingReadings[] {
  return [...(track.names ?? []), track].flatMap((ladder) => {
    const position = ladder.position;
    if (!position) return [];
    const end = { line: `${position.line}_end`, col: `${position.col}_end` };
    const own = { pattern: ladder.trackPattern, trackAs: ladder.trackAs, key: readingKey(ladder, 0)! };
    const rungs = ladder.rungs.map((rung, i) => ({ pattern: rung.pattern, trackAs: rung.trackAs, key: readingKey(ladder, i + 1)! }));
    const readings = [own, ...rungs.reverse()].flatMap(({ pattern, trackAs, key }) => {
      const line = endPath(trackAs[position.line], 'lineno');
      const col = endPath(trackAs[position.col], 'col_offset');
      if (!line || !col) return [];
      return [{ pattern: { ...pattern, col_offset: { from_context: key } }, trackAs: { [end.line]: line, [end.col]: col, [key]: 'node.end_col_offset' } }];
    });
    return readings.length ? [{ ladder, readings, guard: guardPattern(position, end) }] : [];
  });
}

/**
 * The variable reading `index` of a ladder (0: its own, then its rungs in order) records the
 * column its match starts in, for its confirmation to find its first match only.
 */
export function readingKey(track: PinnedTrack, index: number): string | undefined {
  return track.position ? `${track.position.line}_key${index === 0 ? '' : index}` : undefined;
}

/** A node from where the ladder's reading starts to where the confirming reading's ends. */
function guardPattern(position: { line: string; col: string }, end: { line: string; col: string }): Pattern {
  return {
    lineno: { from_context: position.line },
    col_offset: { from_context: position.col },
    end_lineno: { from_context: end.line },
    end_col_offset: { from_context: end.col },
  };
}

/** `node.value.lineno` → `node.value.end_lineno`. */
function endPath(path: string | undefined, attribute: 'lineno' | 'col_offset'): string | undefined {
  return path?.endsWith(`.${attribute}`) ? `${path.slice(0, -attribute.length)}end_${attribute}` : undefined;
}

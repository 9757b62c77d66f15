// Pinned edits: a find_and_track pass locates the edit's site in the engine's canonical copy,
// where the target function's arguments are `_argN` and its assigned names `_varN` (names that
// exist only inside that function, so the track is confined to it and blind to the student's
// naming), and records the site's line and column; the find_and_replace pass then requires
// exactly that position. A look-alike elsewhere in the student's file is left alone.
import { canonicalize, type CanonicalizerState } from '../../src/plugin-kit.js';
import type { Pattern } from '../../src/plugin-kit.js';
import { matchesPattern, type TrackedContext } from '../../src/plugin-kit.js';
import { atSamePosition, firstAtPosition } from '../../src/plugin-kit.js';
import { deepCopy, fixMissingLocations, isNode, walk, type PyNode } from '../../src/plugin-kit.js';
import { isStatement } from './ast-kinds.js';
import type { NameTiers } from './name-tiers.js';
import { ancestry, enginePath, follow, hasPosition, pathText, stepsTo, type PathStep } from './node-location.js';
import { anchorIds, findPattern } from './pattern-builder.js';

/** A find_and_track pass that records a site's line and column. */
export interface PinnedTrack {
  trackPattern: Pattern;
  trackAs: Record<string, string>;
}

export interface PinnedSite extends PinnedTrack {
  /** The edit's own pattern, required at the tracked position. */
  replacePattern: Pattern;
}

export type PinPreference = 'argument' | 'nearest';

export interface PinRequest {
  /** The tree as the pass will see it, and the node the pass must change. */
  working: PyNode;
  target: PyNode;
  /** The engine's canonical copy of `working` (see `canonicalCopy`). */
  canonical: PyNode;
  names: NameTiers;
  maxDepth: number;
  /** `argument`: climb to the enclosing statement for an `_argN` before settling for an `_varN`. */
  prefer: PinPreference;
  /** The replacement's path inside the target, if any (part of what the edit is about). */
  sourcePath?: string;
  /** Context variable names for the position, unique within the definition. */
  line: string;
  col: string;
}

/**
 * The engine's canonical copy for `find_and_track` passes (canonicalize, then fix_missing_locations),
 * built by the Canonicalizer in `state`, which it advances (the engine reuses one instance).
 */
export function canonicalCopy(working: PyNode, targetFunction: string, state: CanonicalizerState): PyNode {
  const copy = canonicalize(deepCopy(working), targetFunction, state) as PyNode;
  fixMissingLocations(copy);
  return copy;
}

const ARGUMENT = /^_arg\d+$/;
const LOCAL = /^_var\d+$/;

export function pinSite(request: PinRequest): PinnedSite | undefined {
  if (!hasPosition(request.target)) return undefined;
  for (const anchor of confiningAnchors(request)) {
    const pinned = pinAt(anchor, request);
    if (pinned) return pinned;
  }
  return undefined;
}

function pinAt(anchor: Anchor, request: PinRequest): PinnedSite | undefined {
  const { working, target, canonical } = request;
  const { node: site, canonicalSite, feature } = anchor;
  const tiers = canonicalTiers(request.names);
  const found = findPattern({
    root: canonical,
    targets: [canonicalSite],
    anchors: new Set([feature, ...anchorIds(canonicalSite, tiers, site === target ? request.sourcePath : undefined)]),
    names: tiers,
    maxDepth: request.maxDepth,
    accepts: (pattern) => tracksOnly(canonical, pattern, canonicalSite),
  });
  if (!found.found) return undefined;

  const outermost = firstAtPosition(working, site);
  const down = outermost && stepsTo(outermost, target);
  if (!down) return undefined;
  const at = enginePath(down);
  const trackAs = { [request.line]: `${at}.lineno`, [request.col]: `${at}.col_offset` };

  const fromSite = stepsTo(site, target) ?? [];
  const replacePattern: Pattern = {
    ...withoutNames(subPattern(found.pattern, fromSite) ?? {}, request.names),
    node_type: target._type,
    lineno: { from_context: request.line },
    col_offset: { from_context: request.col },
  };
  if (!hitsTargetFirst(working, target, replacePattern, request)) return undefined;
  return { trackPattern: found.pattern, trackAs, replacePattern: inKeyOrder(replacePattern) };
}

interface Anchor {
  /** The node the track pattern describes: the target or an ancestor within its statement. */
  node: PyNode;
  canonicalSite: PyNode;
  /** The pattern-builder feature id of the canonical name that confines the track. */
  feature: string;
}

/**
 * Nodes a track pattern may describe, best first: the target or an ancestor up to the enclosing
 * statement, whose canonical subtree holds a canonical name. With `prefer: 'argument'` every
 * `_argN` anchor comes before any `_varN` one; otherwise the lowest node wins.
 */
function confiningAnchors(request: PinRequest): Anchor[] {
  const { working, target, canonical } = request;
  const chain: PyNode[] = [];
  for (const node of ancestry(working, target)) {
    if (!hasPosition(node)) break;
    chain.push(node);
    if (isStatement(node)) break;
  }
  const anchorsWith = (accept: RegExp): Anchor[] =>
    chain.flatMap((node) => {
      const steps = stepsTo(working, node);
      const canonicalSite = steps && follow(canonical, steps);
      const name = canonicalSite && shallowestName(canonicalSite, accept, request.maxDepth);
      if (!canonicalSite || !name) return [];
      return [{ node, canonicalSite, feature: `${pathText(name)}#id` }];
    });
  if (request.prefer === 'argument') return [...anchorsWith(ARGUMENT), ...anchorsWith(LOCAL)];
  return anchorsWith(new RegExp(`${ARGUMENT.source}|${LOCAL.source}`));
}

/** Steps to the shallowest `Name` whose id matches, breadth-first, within the pattern depth limit. */
function shallowestName(root: PyNode, accept: RegExp, maxDepth: number): PathStep[] | undefined {
  const queue: Array<{ node: PyNode; steps: PathStep[] }> = [{ node: root, steps: [] }];
  for (let i = 0; i < queue.length; i++) {
    const { node, steps } = queue[i]!;
    if (node._type === 'Name' && typeof node.id === 'string' && accept.test(node.id)) return steps;
    if (steps.length >= maxDepth) continue;
    for (const [field, value] of Object.entries(node)) {
      if (field === 'ctx') continue;
      if (isNode(value)) queue.push({ node: value, steps: [...steps, { field }] });
      else if (Array.isArray(value)) value.forEach((item, index) => isNode(item) && queue.push({ node: item, steps: [...steps, { field, index }] }));
    }
  }
  return undefined;
}

/** In the canonical copy, `_argN` are as stable as a library name, `_varN` like a parameter, the rest the author's. */
function canonicalTiers(names: NameTiers): NameTiers {
  return {
    tierOf: (name) => (ARGUMENT.test(name) ? 'shared' : LOCAL.test(name) ? 'parameter' : names.tierOf(name) === 'shared' ? 'shared' : 'local'),
  };
}

const NO_CONTEXT: TrackedContext = new Map();

/** The track pass (every node, depth-first) would record only the site's position, and at least once. */
function tracksOnly(canonical: PyNode, pattern: Pattern, site: PyNode): boolean {
  let hits = 0;
  for (const node of walk(canonical)) {
    if (!matchesPattern(node, pattern, NO_CONTEXT)) continue;
    if (!hasPosition(node) || !atSamePosition(node, site)) return false;
    hits++;
  }
  return hits > 0;
}

/** The part of a pattern that describes the node `steps` below its root. */
function subPattern(pattern: Pattern, steps: readonly PathStep[]): Pattern | undefined {
  let current: unknown = pattern;
  for (const step of steps) {
    current = (current as Record<string, unknown>)[step.field];
    if (step.index !== undefined) current = Array.isArray(current) ? current[step.index] : undefined;
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
  }
  return current as Pattern;
}

/** The pattern without the author's and canonical names: the student's own names are unknown. */
function withoutNames(pattern: Pattern, names: NameTiers): Pattern {
  const out: Pattern = {};
  for (const [key, value] of Object.entries(pattern)) {
    if (key === 'id' && typeof value === 'string' && (pattern.node_type !== 'Name' || names.tierOf(value) !== 'shared' || ARGUMENT.test(value) || LOCAL.test(value))) continue;
    if (key === 'arg' && pattern.node_type === 'arg') continue;
    if (Array.isArray(value)) out[key] = value.map((item) => (isPlain(item) ? withoutNames(item, names) : item));
    else out[key] = isPlain(value) ? withoutNames(value, names) : value;
  }
  return out;
}

function isPlain(value: unknown): value is Pattern {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Top-down, the replace pass reaches the outermost node at the position first: no ancestor there may match. */
function hitsTargetFirst(working: PyNode, target: PyNode, pattern: Pattern, request: PinRequest): boolean {
  const context: TrackedContext = new Map([
    [request.line, target.lineno!],
    [request.col, target.col_offset!],
  ]);
  if (!matchesPattern(target, pattern, context)) return false;
  return ancestry(working, target)
    .slice(1)
    .every((node) => !hasPosition(node) || !atSamePosition(node, target) || !matchesPattern(node, pattern, context));
}

/** `node_type`, then the node's fields, then positions: patterns read like the code. */
function inKeyOrder(pattern: Pattern): Pattern {
  const { node_type, lineno, col_offset, ...fields } = pattern;
  return { node_type, ...fields, lineno, col_offset };
}

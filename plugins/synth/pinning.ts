// Pinned edits: a find_and_track pass locates the edit's site in the engine's canonical copy,
// where the target function's arguments are `_argN` and its assigned names `_varN` (names that
// exist only inside that function, so the track is confined to it and blind to the student's
// naming), and records the site's line and column; the find_and_replace pass then requires
// exactly that position. A look-alike elsewhere in the student's file is left alone.
import { canonicalize, type CanonicalizerState } from '../../src/plugin-kit.js';
import type { Pattern } from '../../src/plugin-kit.js';
import { matchesPattern, type TrackedContext } from '../../src/plugin-kit.js';
import { atSamePosition, firstAtPosition, nodesInOrder, type NodesInOrder } from '../../src/plugin-kit.js';
import { deepCopy, fixMissingLocations, getAttr, isNode, walk, type PyNode } from '../../src/plugin-kit.js';
import { localNames as localNamesOf } from '../../src/plugin-kit.js';
import { isStatement, lineOf } from './ast-kinds.js';
import type { NameTiers } from './name-tiers.js';
import { ancestry, enginePath, follow, hasPosition, pathText, stepsTo, type PathStep } from './node-location.js';
import { anchorIds, findPattern } from './pattern-builder.js';
import { spellingRungs } from './spelling-rungs.js';
import { assignedNames, ladderRungs, singlesOutIgnoringIndices, type TrackRung } from './track-ladder.js';

/** A find_and_track pass that records a site's line and column. */
export interface PinnedTrack {
  trackPattern: Pattern;
  trackAs: Record<string, string>;
  /** Find_and_track passes run before this one for the same site: other plausible readings (see track-ladder). */
  rungs: TrackRung[];
  /** Tracks that record the student's names this one requires through `from_context` (run before it). */
  names?: PinnedTrack[];
  /** For such a track: the reference's name for what it records. */
  recordsName?: string;
}

export interface PinnedSite extends PinnedTrack {
  /** The edit's own pattern, required at the tracked position. */
  replacePattern: Pattern;
  /** The outermost node at the site's position in `working`: what the track's paths start from. */
  site: PyNode;
  /** Makes the earlier passes this pin relates names to record them: call it when the pin is used. */
  record(): void;
}

/**
 * Names the student chose, read through a relation: where a track would need one of the author's
 * local names (a name the canonical copy leaves alone: a tuple or loop target, a variable whose
 * assignment an earlier pass deleted), it requires instead whatever the student wrote there,
 * recorded by a track pass (`track_as` reads the original tree) and compared with `from_context`.
 */
export interface NameRelations {
  /** Author's names an earlier pinned pass can record: the context variable, and how to make that pass record it. */
  recorded(name: string): { variable: string; record(): void } | undefined;
  /** A context variable for a name this pin records itself, unique within the definition. */
  variable(name: string): string;
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
  /** Relate author's names to the student's instead of requiring them (see NameRelations). */
  relations?: NameRelations;
  /** Require the local variable a replacement by path keeps by the student's name for it (see keptNameRelation). */
  relateKept?: boolean;
  /** The edit deletes the target statement: right however it is spelled (see spelling-rungs). */
  deletes?: boolean;
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
const CONFINING = new RegExp(`${ARGUMENT.source}|${LOCAL.source}`);

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
    // Singled out by its shape alone: no shift of the student's indices can make it match elsewhere.
    accepts: (pattern) => tracksOnly(canonical, pattern, canonicalSite) && singlesOutIgnoringIndices(canonical, pattern, canonicalSite),
  });
  if (!found.found) return undefined;
  const related = relateAuthorNames(found.pattern, tiers, anchor, request);

  const outermost = firstAtPosition(working, site);
  const down = outermost && stepsTo(outermost, target);
  if (!down) return undefined;
  const at = enginePath(down);
  const trackAs = { [request.line]: `${at}.lineno`, [request.col]: `${at}.col_offset` };

  const fromSite = stepsTo(site, target) ?? [];
  const replacePattern: Pattern = {
    ...withoutNames(subPattern(related.pattern, fromSite) ?? {}, request.names),
    node_type: target._type,
    lineno: { from_context: request.line },
    col_offset: { from_context: request.col },
  };
  const kept = keptNameRelation(request, anchor, replacePattern);
  if (kept) {
    related.tracks.push(kept.track);
    related.context.set(kept.variable, kept.name);
  }
  const size = assignedNames(canonical);
  // Spellings first: the reference's own spelling, read last, wins when both match.
  const spelled = request.deletes && site === target ? spellingRungs(related.pattern, trackAs, size) : { rungs: [], widened: false };
  if (spelled.widened) {
    // One replace for every spelling: the position alone (the outermost node there is the statement).
    for (const key of Object.keys(replacePattern)) if (key !== 'lineno' && key !== 'col_offset') delete replacePattern[key];
  }
  if (!hitsTargetFirst(working, target, replacePattern, request, related.context)) return undefined;
  const rungs = [...spelled.rungs, ...ladderRungs(related.pattern, trackAs, size)];
  return {
    trackPattern: related.pattern,
    trackAs,
    rungs,
    ...(related.tracks.length ? { names: related.tracks } : {}),
    replacePattern: inKeyOrder(replacePattern),
    site: outermost,
    record: related.record,
  };
}

interface RelatedPattern {
  pattern: Pattern;
  /** The reference's values of the context variables the pattern reads. */
  context: TrackedContext;
  tracks: PinnedTrack[];
  /** Makes the earlier passes the pattern relies on record their names. */
  record(): void;
}

/**
 * The pattern with each author's local name it requires replaced by the student's name for it,
 * where some track can record that; names nothing can relate stay (the pin then fails loudly for
 * students who named them otherwise, and no index decides).
 */
function relateAuthorNames(pattern: Pattern, tiers: NameTiers, anchor: Anchor, request: PinRequest): RelatedPattern {
  const context: TrackedContext = new Map();
  const tracks: PinnedTrack[] = [];
  const records: Array<() => void> = [];
  let related = pattern;
  for (const name of authorNamesIn(pattern, tiers)) {
    const earlier = request.relations?.recorded(name);
    let variable = earlier?.variable;
    if (earlier) records.push(earlier.record);
    else if (request.relations) {
      const track = nameTrack(name, anchor, request);
      if (track) {
        variable = Object.keys(track.trackAs)[0]!;
        tracks.push(track);
      }
    }
    if (!variable) continue;
    related = withRelation(related, name, variable);
    context.set(variable, name);
  }
  return { pattern: related, context, tracks, record: () => records.forEach((r) => r()) };
}

/**
 * A replacement by path keeps a part of the old code: when that part is one of the function's
 * local variables, the replace pattern requires it by the student's name for it (recorded where
 * the function binds or reads it), so that a track that misread the site (a ladder's rung that
 * hit another statement of the same shape) replaces nothing rather than keep the wrong variable.
 * Edits `replacePattern` in place.
 */
function keptNameRelation(request: PinRequest, anchor: Anchor, replacePattern: Pattern): { track: PinnedTrack; variable: string; name: string } | undefined {
  if (!request.relations || !request.relateKept || !request.sourcePath) return undefined;
  const steps = request.sourcePath.split('.').slice(1).map((part) => /^([^[\]]+)(?:\[(\d+)\])?$/.exec(part));
  if (steps.some((m) => !m)) return undefined;
  const path = steps.map((m) => (m![2] === undefined ? { field: m![1]! } : { field: m![1]!, index: Number(m![2]) }));
  const kept = follow(request.target, path);
  const fn = ancestry(request.working, request.target).find((n) => n._type === 'FunctionDef');
  if (!kept || kept._type !== 'Name' || typeof kept.id !== 'string' || !fn || !localNamesOf(fn).has(kept.id)) return undefined;
  const track = nameTrack(kept.id, anchor, request);
  if (!track) return undefined;
  const variable = Object.keys(track.trackAs)[0]!;
  let holder = replacePattern;
  for (const step of path) {
    if (step.index === undefined) {
      if (!isPlain(holder[step.field])) holder[step.field] = {};
      holder = holder[step.field] as Pattern;
    } else {
      const list = getAttr(follow(request.target, path.slice(0, path.indexOf(step))) ?? {_type: ''}, step.field);
      if (!Array.isArray(holder[step.field])) holder[step.field] = (Array.isArray(list) ? list : []).map(() => ({}));
      holder = (holder[step.field] as Pattern[])[step.index]!;
    }
  }
  holder.node_type = 'Name';
  holder.id = { from_context: variable };
  return { track, variable, name: kept.id };
}

/** Feature ids of the node types along a path (pattern-builder's ids). */
function pathNodeTypes(steps: readonly PathStep[]): string[] {
  return steps.map((_, i) => `${pathText(steps.slice(0, i + 1))}#node_type`);
}

/** Author's names (not canonical, not shared) a pattern requires as a `Name` id. */
function authorNamesIn(pattern: Pattern, tiers: NameTiers): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (Array.isArray(value)) value.forEach(visit);
    else if (isPlain(value)) {
      if (value.node_type === 'Name' && typeof value.id === 'string' && tiers.tierOf(value.id) === 'local') names.add(value.id);
      Object.values(value).forEach(visit);
    }
  };
  visit(pattern);
  return [...names];
}

function withRelation(pattern: Pattern, name: string, variable: string): Pattern {
  const visit = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(visit);
    if (!isPlain(value)) return value;
    const out = Object.fromEntries(Object.entries(value).map(([k, v]) => [k, visit(v)]));
    if (value.node_type === 'Name' && value.id === name) out.id = { from_context: variable };
    return out;
  };
  return visit(pattern) as Pattern;
}

/** Most places tried for a name's track: its nearest reads and bindings in the function. */
const NAME_SOURCES = 6;

/**
 * A track (with its ladder) that records the student's name for `name` from another statement of
 * the site's function that reads or binds it: a statement singled out without any author's name.
 */
function nameTrack(name: string, anchor: Anchor, request: PinRequest): PinnedTrack | undefined {
  const { working, canonical } = request;
  const chain = ancestry(working, anchor.node);
  const fn = chain.find((n) => n._type === 'FunctionDef');
  const own = chain.find((n) => isStatement(n));
  if (!fn || !own) return undefined;
  const inOwn = new Set(walk(own));
  const line = lineOf(anchor.node) ?? 0;
  const uses = [...walk(fn)]
    .filter((n) => n._type === 'Name' && n.id === name && hasPosition(n) && !inOwn.has(n))
    .sort((a, b) => Math.abs((lineOf(a) ?? 0) - line) - Math.abs((lineOf(b) ?? 0) - line))
    .slice(0, NAME_SOURCES);
  const tiers = canonicalTiers(request.names);
  const variable = request.relations!.variable(name);
  for (const use of uses) {
    const statement = ancestry(working, use).find((n) => isStatement(n));
    const steps = statement && stepsTo(working, statement);
    const canonicalStatement = steps && follow(canonical, steps);
    const confining = canonicalStatement && shallowestName(canonicalStatement, CONFINING, request.maxDepth);
    const outermost = statement && firstAtPosition(working, statement);
    const down = outermost && stepsTo(outermost, use);
    const inStatement = statement && stepsTo(statement, use);
    if (!canonicalStatement || !confining || !down || !inStatement) continue;
    const found = findPattern({
      root: canonical,
      targets: [canonicalStatement],
      // Only what locates the name: the statement may be written otherwise around it (a helper call…).
      anchors: new Set([`${pathText(confining)}#id`, ...pathNodeTypes(inStatement)]),
      names: tiers,
      maxDepth: request.maxDepth,
      accepts: (pattern) =>
        authorNamesIn(pattern, tiers).length === 0 && tracksOnly(canonical, pattern, canonicalStatement) && singlesOutIgnoringIndices(canonical, pattern, canonicalStatement),
    });
    if (!found.found) continue;
    const trackAs = { [variable]: `${enginePath(down)}.id` };
    return { trackPattern: found.pattern, trackAs, rungs: ladderRungs(found.pattern, trackAs, assignedNames(canonical)), recordsName: name };
  }
  return undefined;
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
  return anchorsWith(CONFINING);
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
const canonicalNodes = new WeakMap<PyNode, NodesInOrder>();

function tracksOnly(canonical: PyNode, pattern: Pattern, site: PyNode): boolean {
  let hits = 0;
  let nodes = canonicalNodes.get(canonical);
  if (!nodes) canonicalNodes.set(canonical, (nodes = nodesInOrder(canonical)));
  for (const node of nodes.ofType(pattern.node_type)) {
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
function hitsTargetFirst(working: PyNode, target: PyNode, pattern: Pattern, request: PinRequest, names: TrackedContext): boolean {
  const context: TrackedContext = new Map([
    ...names,
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
  return { ...(node_type !== undefined ? { node_type } : {}), ...fields, lineno, col_offset };
}

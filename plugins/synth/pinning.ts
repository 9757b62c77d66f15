// Pinned edits: a find_and_track pass locates the edit's site in the engine's canonical copy,
// where the target function's arguments are `_argN` and its assigned names `_varN` (names that
// exist only inside that function, so the track is confined to it and blind to the student's
// naming), and records the site's line and column; the find_and_replace pass then requires
// exactly that position. A look-alike elsewhere in the student's file is left alone.
import { canonicalize, type CanonicalizerState } from '../../src/plugin-kit.js';
import { sketchPattern } from '../../src/plugin-kit.js';
import type { Pattern } from '../../src/plugin-kit.js';
import { matchesPattern, type TrackedContext } from '../../src/plugin-kit.js';
import { atSamePosition, firstAtPosition, nodesInOrder, type NodesInOrder } from '../../src/plugin-kit.js';
import { deepCopy, fixMissingLocations, getAttr, isNode, walk, type PyNode } from '../../src/plugin-kit.js';
import { localNames as localNamesOf } from '../../src/plugin-kit.js';
import { isStatement, lineOf } from './ast-kinds.js';
import type { NameTiers } from './name-tiers.js';
import { ancestry, enginePath, follow, hasPosition, pathText, stepsTo, type PathStep } from './node-location.js';
import { anchorIds, findPattern } from './pattern-builder.js';
import { commutedPartRungs, heldPartRungs, relaxAt, respelledCallRungs, type PartReadings } from './part-readings.js';
import { spellingRungs } from './spelling-rungs.js';
import { ladderRungs, methodRung, singlesOutIgnoringIndices, type TrackRung } from './track-ladder.js';

/** A find_and_track pass that records a site's line and column. */
export interface PinnedTrack {
  trackPattern: Pattern;
  trackAs: Record<string, string>;
  /** Find_and_track passes run before this one for the same site: other plausible readings (see track-ladder). */
  rungs: TrackRung[];
  /** Find_and_track passes run after this one: spellings of the site this edit cannot change (see augmentedBlocker). */
  after?: TrackRung[];
  /** Tracks that record the student's names this one requires through `from_context` (run before it). */
  names?: PinnedTrack[];
  /** For such a track: the reference's name for what it records. */
  recordsName?: string;
  /** The context variables that hold the position a reading found: what a confirmation compares (see track-confirmation). */
  position?: { line: string; col: string };
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
  /** The edit drops a keyword argument from the target call: right however the call is spelled. */
  dropsKeyword?: boolean;
  /** The edit writes the reference's own names (reference-bound): a student who held a part of the site has none of them there. */
  writesReferenceNames?: boolean;
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
  const anchors = confiningAnchors(request);
  for (const anchor of anchors) {
    const pinned = pinAt(anchor, request);
    if (pinned) return withInnerAnchors(pinned, anchor, anchors, request);
  }
  return undefined;
}

/** The track pattern that singles out an anchor's node in the canonical copy, if any. */
function anchorPattern(anchor: Anchor, request: PinRequest): Pattern | undefined {
  const { canonical } = request;
  const { node: site, canonicalSite, feature } = anchor;
  const tiers = canonicalTiers(request.names);
  const found = findPattern({
    root: canonical,
    targets: [canonicalSite],
    anchors: new Set([feature, ...anchorIds(canonicalSite, tiers, site === request.target ? request.sourcePath : undefined)]),
    names: tiers,
    maxDepth: request.maxDepth,
    // Singled out by its shape alone: no shift of the student's indices can make it match elsewhere.
    accepts: (pattern) => tracksOnly(canonical, pattern, canonicalSite) && singlesOutIgnoringIndices(canonical, pattern, canonicalSite),
  });
  return found.found ? found.pattern : undefined;
}

/** Where a track of `site` finds the target's line and column (from the outermost node at the site's position). */
function positionPaths(site: PyNode, request: PinRequest): { outermost: PyNode; trackAs: Record<string, string> } | undefined {
  const outermost = firstAtPosition(request.working, site);
  const down = outermost && stepsTo(outermost, request.target);
  if (!outermost || !down) return undefined;
  // A target at the site's own position is read there, whatever the outermost node at that
  // position is in the student's file (`torch.mean(…)` alone, or the left of `torch.mean(…) + eps`).
  const at = atSamePosition(site, request.target) ? 'node' : enginePath(down);
  return { outermost, trackAs: { [request.line]: `${at}.lineno`, [request.col]: `${at}.col_offset` } };
}

/**
 * A site tracked through an enclosing expression (`torch.mean(…) + self.eps`, confined by
 * `self`) is also tracked by the confined nodes between it and the target (`torch.mean(x…)`),
 * each singled out on its own: a student who computes that part in a statement of its own
 * (`ms = torch.mean(…)`) is still found. They run first, so the pin's own readings win.
 */
function withInnerAnchors(pinned: PinnedSite, primary: Anchor, anchors: readonly Anchor[], request: PinRequest): PinnedSite {
  const inner = new Set(ancestry(primary.node, request.target));
  const tiers = canonicalTiers(request.names);
  const seen = new Set([JSON.stringify(pinned.trackPattern)]);
  const rungs: TrackRung[] = [];
  for (const anchor of anchors) {
    if (anchor.node === primary.node || !inner.has(anchor.node)) continue;
    const pattern = anchorPattern(anchor, request);
    const paths = pattern && positionPaths(anchor.node, request);
    if (!pattern || !paths || authorNamesIn(pattern, tiers).length > 0 || seen.has(JSON.stringify(pattern))) continue;
    seen.add(JSON.stringify(pattern));
    const varies = 'the part that holds the change found by itself (the student may compute it in a statement of its own)';
    for (const rung of [...ladderRungs(pattern, paths.trackAs), { pattern, trackAs: paths.trackAs, varies: '' }]) {
      rungs.push({ ...rung, varies: rung.varies ? `${varies}, ${rung.varies}` : varies });
    }
  }
  return rungs.length ? { ...pinned, rungs: [...rungs, ...pinned.rungs] } : pinned;
}

function pinAt(anchor: Anchor, request: PinRequest): PinnedSite | undefined {
  const { working, target, canonical } = request;
  const { node: site } = anchor;
  const tiers = canonicalTiers(request.names);
  const pattern = anchorPattern(anchor, request);
  if (!pattern) return undefined;
  const related = relateAuthorNames(pattern, tiers, anchor, request);

  const paths = positionPaths(site, request);
  if (!paths) return undefined;
  const { outermost, trackAs } = paths;

  const fromSite = stepsTo(site, target) ?? [];
  const replacePattern: Pattern = {
    ...withoutNames(subPattern(related.pattern, fromSite) ?? {}, request.names),
    node_type: target._type,
    lineno: { from_context: request.line },
    col_offset: { from_context: request.col },
  };
  const parts = partReadings(request, anchor, related.pattern, trackAs, fromSite);
  relaxAt(replacePattern, parts.relaxed);
  const kept = keptNameRelation(request, anchor, replacePattern);
  if (kept) {
    related.tracks.push(kept.track);
    related.context.set(kept.variable, kept.name);
  }
  // Spellings first: the reference's own spelling, read last, wins when both match.
  const spelled = request.deletes && site === target ? spellingRungs(related.pattern, trackAs) : { rungs: [], widened: false };
  // A deleted element is right however the student spelled it (a call or the variable that holds it):
  // the track found the container, so the position alone says which element.
  const element = request.deletes && !isStatement(target);
  if (spelled.widened || element) {
    // One replace for every spelling: the position alone (the outermost node there is the statement or the element).
    for (const key of Object.keys(replacePattern)) if (key !== 'lineno' && key !== 'col_offset') delete replacePattern[key];
  }
  if (!hitsTargetFirst(working, target, replacePattern, request, related.context)) return undefined;
  const method = inModuleFunction(working, target) ? methodRung(canonical, related.pattern, trackAs) : undefined;
  const rungs = [...(method ? [method] : []), ...parts.rungs, ...spelled.rungs, ...ladderRungs(related.pattern, trackAs)];
  const blocker = request.deletes ? undefined : augmentedBlocker(anchor, related.pattern, request);
  return {
    trackPattern: related.pattern,
    trackAs,
    rungs,
    ...(blocker ? { after: [blocker] } : {}),
    ...(related.tracks.length ? { names: related.tracks } : {}),
    replacePattern: inKeyOrder(replacePattern),
    position: { line: request.line, col: request.col },
    site: outermost,
    record: related.record,
  };
}

/**
 * `x = x + y` where the edit changes `x + y` as a whole: a student who wrote `x += y` leaves `x`
 * with its canonical name, so a later `x = x + z` reads as the site and the change would land
 * there. A track of `x += y` (canonical `x`) run after the site's own readings moves the position
 * to that statement, where the replace finds no `x + y`: a loud no-match instead.
 */
function augmentedBlocker(anchor: Anchor, trackPattern: Pattern, request: PinRequest): TrackRung | undefined {
  const { working, target, canonical } = request;
  const statement = ancestry(working, target).find((n) => isStatement(n));
  const targets = statement?._type === 'Assign' ? statement.targets : undefined;
  const value = statement && getAttr(statement, 'value');
  if (!statement || !Array.isArray(targets) || targets.length !== 1 || !isNode(value) || value._type !== 'BinOp' || value !== target) return undefined;
  const assigned = targets[0];
  const left = getAttr(value, 'left');
  if (!isNode(assigned) || assigned._type !== 'Name' || !isNode(left) || left._type !== 'Name' || left.id !== assigned.id) return undefined;
  const steps = stepsTo(working, left);
  const canonicalLeft = steps && follow(canonical, steps);
  const id = canonicalLeft?.id;
  const op = getAttr(value, 'op');
  if (typeof id !== 'string' || !CONFINING.test(id) || !isNode(op)) return undefined;
  const right = subPattern(trackPattern, [...(stepsTo(anchor.node, value) ?? []), { field: 'right' }]) ?? {};
  const pattern: Pattern = { node_type: 'AugAssign', target: { node_type: 'Name', id }, op: op._type, ...(Object.keys(right).length ? { value: right } : {}) };
  return {
    pattern,
    trackAs: { [request.line]: 'node.lineno', [request.col]: 'node.col_offset' },
    varies: 'the augmented spelling (`x += y`), which this edit cannot change: the position moves there and the change fails loudly rather than land on a later `x = x + …`',
  };
}

/**
 * Readings of the site by its parts written otherwise (see part-readings): a call spelled another way
 * (a dropped keyword), a call held in a variable, operands swapped inside a kept part. They run
 * before the site's own readings, and the replace accepts what they read.
 */
function partReadings(request: PinRequest, anchor: Anchor, pattern: Pattern, trackAs: Record<string, string>, toTarget: PathStep[]): PartReadings {
  const source = request.sourcePath ? (nodePathSteps(request.sourcePath) ?? []) : undefined;
  const parts = { pattern, trackAs, canonical: request.canonical, canonicalSite: anchor.canonicalSite, toTarget, ...(source ? { source } : {}) };
  const readings = [
    request.dropsKeyword && request.target._type === 'Call' ? respelledCallRungs(parts) : undefined,
    request.writesReferenceNames ? undefined : heldPartRungs({ ...parts, describe: (steps) => sketchPattern(subPattern(pattern, steps) ?? {}) }),
    request.deletes ? undefined : commutedPartRungs(parts),
  ].filter((r): r is PartReadings => r !== undefined);
  return { rungs: readings.flatMap((r) => r.rungs), relaxed: readings.flatMap((r) => r.relaxed) };
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
  const path = nodePathSteps(request.sourcePath);
  if (!path) return undefined;
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

/** The steps of an engine path (`node.value.args[0]`), or undefined when it is not one. */
function nodePathSteps(path: string): PathStep[] | undefined {
  const steps = path.split('.').slice(1).map((part) => /^([^[\]]+)(?:\[(\d+)\])?$/.exec(part));
  if (steps.some((m) => !m)) return undefined;
  return steps.map((m) => (m![2] === undefined ? { field: m![1]! } : { field: m![1]!, index: Number(m![2]) }));
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
/** Canonical names tried as a statement's anchor, and readings kept per recorded name. */
const NAME_ANCHORS = 3;
const NAME_READINGS = 2;

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
  const readings: Array<{ pattern: Pattern; trackAs: Record<string, string> }> = [];
  const seen = new Set<string>();
  for (const use of uses) {
    const statement = ancestry(working, use).find((n) => isStatement(n));
    const steps = statement && stepsTo(working, statement);
    const canonicalStatement = steps && follow(canonical, steps);
    const outermost = statement && firstAtPosition(working, statement);
    const down = outermost && stepsTo(outermost, use);
    const inStatement = statement && stepsTo(statement, use);
    if (!canonicalStatement || !down || !inStatement) continue;
    // Each canonical name of the statement may confine it: a student who spelled one of them otherwise (`p.grad` for `grad`) keeps the others.
    for (const confining of confiningNames(canonicalStatement, request.maxDepth).slice(0, NAME_ANCHORS)) {
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
      if (!found.found || seen.has(JSON.stringify(found.pattern))) continue;
      seen.add(JSON.stringify(found.pattern));
      // (The name first: it is what the track is for. The statement's position, for the confirmation.)
      readings.push({ pattern: found.pattern, trackAs: { [variable]: `${enginePath(down)}.id`, [`${variable}_line`]: 'node.lineno', [`${variable}_col`]: 'node.col_offset' } });
      if (readings.length === NAME_READINGS) break;
    }
    if (readings.length === NAME_READINGS) break;
  }
  const [first, ...others] = readings;
  if (!first) return undefined;
  // The first reading (the nearest use, by its shallowest canonical name) runs last and wins; the others, before it, stand in where it finds nothing.
  const varies = 'another of its canonical names';
  const alternatives = others.flatMap((other) =>
    [...ladderRungs(other.pattern, other.trackAs), { ...other, varies: '' }].map((rung) => ({ ...rung, varies: rung.varies ? `${varies}, ${rung.varies}` : varies })),
  );
  return {
    trackPattern: first.pattern,
    trackAs: first.trackAs,
    rungs: [...alternatives, ...ladderRungs(first.pattern, first.trackAs)],
    recordsName: name,
    position: { line: `${variable}_line`, col: `${variable}_col` },
  };
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
  // A deleted element (a dict entry, an argument) is right only where it is an element: a track
  // of the node alone also finds it held in a variable, where deleting it leaves a hole.
  if (request.deletes && !isStatement(target)) chain.shift();
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
  return namesMatching(root, accept, maxDepth, 1)[0];
}

/** Steps to each canonical name (`_argN`, `_varN`) of a statement, shallowest first, one per distinct name. */
function confiningNames(root: PyNode, maxDepth: number): PathStep[][] {
  return namesMatching(root, CONFINING, maxDepth, Infinity);
}

function namesMatching(root: PyNode, accept: RegExp, maxDepth: number, most: number): PathStep[][] {
  const found: PathStep[][] = [];
  const ids = new Set<unknown>();
  const queue: Array<{ node: PyNode; steps: PathStep[] }> = [{ node: root, steps: [] }];
  for (let i = 0; i < queue.length && found.length < most; i++) {
    const { node, steps } = queue[i]!;
    if (node._type === 'Name' && typeof node.id === 'string' && accept.test(node.id)) {
      if (!ids.has(node.id)) found.push(steps);
      ids.add(node.id);
      continue;
    }
    if (steps.length >= maxDepth) continue;
    for (const [field, value] of Object.entries(node)) {
      if (field === 'ctx') continue;
      if (isNode(value)) queue.push({ node: value, steps: [...steps, { field }] });
      else if (Array.isArray(value)) value.forEach((item, index) => isNode(item) && queue.push({ node: item, steps: [...steps, { field, index }] }));
    }
  }
  return found;
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

/** The target is in a function of the module (not a method): a student may write it as one. */
function inModuleFunction(working: PyNode, target: PyNode): boolean {
  const chain = ancestry(working, target);
  const fn = chain.findIndex((n) => n._type === 'FunctionDef');
  return fn >= 0 && chain[fn + 1]?._type === 'Module';
}

/** `node_type`, then the node's fields, then positions: patterns read like the code. */
function inKeyOrder(pattern: Pattern): Pattern {
  const { node_type, lineno, col_offset, ...fields } = pattern;
  return { ...(node_type !== undefined ? { node_type } : {}), ...fields, lineno, col_offset };
}

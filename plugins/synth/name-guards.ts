// Guards for literal replacements. v2.1 has no templating: `replace_value_with "n + 1"` writes
// the reference's own name `n` into whatever the student wrote. Such a definition must fail
// loudly on a student who named things differently, never inject a name the student's code
// does not define: the edit's pattern requires each such name where the edited code uses it,
// and a name the edited code does not use is checked by a guard pass at a place in the target
// function where the reference uses it.
import type { Pattern } from '../../src/plugin-kit.js';
import { getAttr, walk, type PyNode } from '../../src/plugin-kit.js';
import { referenceBoundLiteralNames } from '../../src/plugin-kit.js';
import type { Encoding } from './edit-classifier.js';
import type { NameTiers } from './name-tiers.js';
import { isStatement, lineOf } from './ast-kinds.js';
import { ancestry, enclosingFunctions, hasPosition, stepsTo, type PathStep } from './node-location.js';
import { pinSite, type PinnedTrack } from './pinning.js';
import type { TrackRung } from './track-ladder.js';

/** A no-op pass pair that fails the injection unless the student's code has `name` where the reference does. */
export interface GuardPass {
  name: string;
  trackPattern: Pattern;
  trackAs: Record<string, string>;
  rungs: TrackRung[];
  names?: PinnedTrack[];
  replacePattern: Pattern;
}

export interface LiteralGuards {
  /** The edit's pattern, also requiring the names the edited code uses. */
  pattern: Pattern;
  passes: GuardPass[];
}

export interface GuardRequest {
  working: PyNode;
  /** The engine's canonical copy a track pass sees after `rebuilds` guard passes of this pass. */
  canonicalAt: (rebuilds: number) => PyNode;
  encoding: Encoding;
  pattern: Pattern;
  names: NameTiers;
  targetFunction: string;
  /** Prefix for context variable names, unique within the definition. */
  prefix: string;
  /** False when one pattern serves several targets: then every name gets a guard pass. */
  requireAtSite: boolean;
  maxDepth: number;
}

/** The reference's own names in a literal `replace_value_with` text, judged where it is written (empty for every other edit). */
export function literalNames(encoding: Encoding, working: PyNode): string[] {
  if (encoding.type !== 'replace_value_with' || encoding.sourceKind !== 'text') return [];
  return referenceBoundLiteralNames(encoding.value, working, enclosingFunctions(working, encoding.target));
}

/**
 * The edit's pattern requiring, and the guard passes checking, the reference's own names its
 * literal writes; undefined when it writes none. A name nothing could check leaves the
 * definition reference-bound without a guard for it.
 */
export function guardLiteral(request: GuardRequest): LiteralGuards | undefined {
  const names = literalNames(request.encoding, request.working);
  if (names.length === 0) return undefined;
  const target = request.encoding.target;
  const pattern: Pattern = structuredClone(request.pattern);
  const passes: GuardPass[] = [];
  for (const name of names) {
    const use = request.requireAtSite ? [...walk(target)].find((n) => n._type === 'Name' && n.id === name) : undefined;
    if (use) {
      requireAt(pattern, target, stepsTo(target, use)!, name);
      continue;
    }
    const guard = guardPass(request, name, passes.length + 1);
    if (guard) passes.push(guard);
  }
  return { pattern, passes };
}

/** Adds `id: name` at `steps` below the pattern's node, with the node types along the way. */
function requireAt(pattern: Pattern, node: PyNode, steps: readonly PathStep[], name: string): void {
  let holder = pattern;
  let current: PyNode = node;
  for (const step of steps) {
    const value = getAttr(current, step.field);
    if (step.index === undefined) {
      current = value as PyNode;
      if (!isPlain(holder[step.field])) holder[step.field] = { node_type: current._type };
      holder = holder[step.field] as Pattern;
    } else {
      const list = value as PyNode[];
      current = list[step.index]!;
      if (!Array.isArray(holder[step.field])) holder[step.field] = list.map(() => ({}));
      const item = (holder[step.field] as Pattern[])[step.index]!;
      item.node_type ??= current._type;
      holder = item;
    }
  }
  holder.node_type ??= 'Name';
  holder.id = name;
}

/**
 * A place in the target function where the reference reads `name`, pinned like an edit (a
 * track pass confined by canonical names), where the student's code must read `name` too.
 * Reads in the edited statement come first, then the nearest ones.
 */
function guardPass(request: GuardRequest, name: string, index: number): GuardPass | undefined {
  const { working, encoding } = request;
  const chain = ancestry(working, encoding.target);
  const fn = chain.find((n) => n._type === 'FunctionDef' && n.name === request.targetFunction);
  if (!fn) return undefined;
  const statement = chain.find((n) => isStatement(n));
  const line = lineOf(encoding.target) ?? 0;
  const inStatement = new Set(statement ? walk(statement) : []);
  const reads = [...walk(fn)]
    .filter((n) => n._type === 'Name' && n.id === name && hasPosition(n))
    .sort((a, b) => Number(!inStatement.has(a)) - Number(!inStatement.has(b)) || Math.abs((lineOf(a) ?? 0) - line) - Math.abs((lineOf(b) ?? 0) - line));
  const contextLine = `${request.prefix}_${index}_line`;
  const contextCol = `${request.prefix}_${index}_col`;
  for (const read of reads) {
    const pin = pinSite({ ...request, canonical: request.canonicalAt(index - 1), target: read, prefer: 'argument', line: contextLine, col: contextCol });
    if (pin) pin.record();
    if (pin) return { name, trackPattern: pin.trackPattern, trackAs: pin.trackAs, rungs: pin.rungs, ...(pin.names ? { names: pin.names } : {}), replacePattern: { ...pin.replacePattern, id: name } };
  }
  return undefined;
}

function isPlain(value: unknown): value is Pattern {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

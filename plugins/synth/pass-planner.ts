// Orders the edits into find_and_replace passes, each with a pattern that matches exactly its
// targets in the tree the previous passes left. Edits are tried in reference order, preferring
// each edit's most local encoding; an edit with no exact pattern yet is retried after the
// others (a deletion can make a later pattern unique). Edits of the same kind may share a pass.
import type { Pattern } from '../../src/plugin-kit.js';
import { canonicalizerState, type CanonicalizerState } from '../../src/plugin-kit.js';
import { isNode, type PyNode } from '../../src/plugin-kit.js';
import type { Edit, Encoding } from './edit-classifier.js';
import { applyEncoding } from './edit-application.js';
import { enclosingParameters, withParameters, type NameTiers } from './name-tiers.js';
import { anchorIds, findPattern, type PatternSearch } from './pattern-builder.js';
import { canonicalCopy, pinSite, type NameRelations, type PinnedSite, type PinnedTrack, type PinPreference } from './pinning.js';
import { confirmations } from './track-confirmation.js';
import { guardLiteral, literalNames, type GuardPass, type LiteralGuards } from './name-guards.js';
import { requireRewrittenParts } from './rewritten-parts.js';

export interface PlannedPass {
  /** One per target, all with the same replacement. */
  encodings: Encoding[];
  edits: Edit[];
  /** The find_and_replace pattern (requiring the tracked position, for a pinned target). */
  pattern: Pattern;
  /** Copies of the targets as they were just before the pass (for descriptions). */
  targetsBefore: PyNode[];
  /** Set when a find_and_track pass pins the (single) target to its position. */
  pin?: PinnedTrack;
  /** Guard passes that check the names a literal replacement writes (see name-guards). */
  guards?: GuardPass[];
}

export interface StuckEdit {
  edit: Edit;
  encoding: Encoding;
  /** How many nodes the most specific candidate pattern still matched. */
  fewestMatches: number;
}

export type PassPlan = { ok: true; passes: PlannedPass[] } | { ok: false; passes: PlannedPass[]; stuck: StuckEdit[] };

export interface PlanOptions {
  names: NameTiers;
  maxDepth: number;
  /** Let edits with the same replacement share one pass when one pattern matches all their targets. */
  groupEdits: boolean;
  /** The definition's `target_function`: the engine canonicalizes it for `find_and_track` passes. */
  targetFunction: string;
  /** Pin each edit to its site with a find_and_track pass confined to `targetFunction`, where one exists. */
  pin?: PinPreference;
  /** Pinned replacements by path require the local variable they keep by the student's name for it. */
  relateKept?: boolean;
}

/** Plans the passes, rewriting `working` (a copy of the reference tree) as it goes. */
export async function planPasses(working: PyNode, edits: readonly Edit[], options: PlanOptions): Promise<PassPlan> {
  let pending = [...edits];
  const passes: PlannedPass[] = [];
  // The engine's canonical copies of the working tree, for pins and guards. The engine rebuilds
  // its copy after every find_and_replace pass (guard passes included) with one Canonicalizer,
  // whose state carries over: copies[i] is the copy a track pass sees after i guard passes.
  let start = canonicalizerState();
  let copies: Array<{ copy: PyNode; after: CanonicalizerState }> = [];
  const copyAfter = (rebuilds: number) => {
    while (copies.length <= rebuilds) {
      const from = copies.at(-1)?.after ?? start;
      const state = { names: new Map(from.names), vars: from.vars };
      copies.push({ copy: canonicalCopy(working, options.targetFunction, state), after: state });
    }
    return copies[rebuilds]!;
  };
  const canonicalAt = (rebuilds: number): PyNode => copyAfter(rebuilds).copy;
  // How many guard passes an edit's literal would get (they come before its pinned track pass).
  const guardCounts = new Map<Encoding, number>();
  const guardCount = (encoding: Encoding): number => {
    let count = guardCounts.get(encoding);
    if (count === undefined) guardCounts.set(encoding, (count = guardLiterals(encoding, true, {})?.passes.length ?? 0));
    return count;
  };

  // Names the sites pinned so far bind (an assignment a pass deletes leaves its name unrenamed in
  // later canonical copies): a later pin may require the student's spelling of one of them.
  const bindings = new Map<string, { variable: string; record(): void }>();
  const variables = new Set<string>();
  const relations: NameRelations = {
    recorded: (name) => bindings.get(name),
    variable: (name) => {
      let variable = `name_${name}`;
      for (let n = 2; variables.has(variable); n++) variable = `name_${name}${n}`;
      variables.add(variable);
      return variable;
    },
  };
  const registerBinding = (pin: PinnedTrack, site: PyNode): void => {
    const targets = site._type === 'Assign' ? site.targets : undefined;
    const bound = Array.isArray(targets) && targets.length === 1 && isNode(targets[0]) && targets[0]._type === 'Name' ? targets[0].id : undefined;
    if (typeof bound !== 'string' || bindings.has(bound)) return;
    let variable: string | undefined;
    bindings.set(bound, {
      get variable() {
        return (variable ??= relations.variable(bound));
      },
      record() {
        if (pin.trackAs[variable!]) return;
        // The same object serves the ladder's rungs; each pattern must say where the name is.
        pin.trackAs[variable!] = 'node.targets[0].id';
        // (A spelling rung of another statement type records nothing: the name is then unset, and the later pin fails loudly.)
        for (const pattern of [pin.trackPattern, ...pin.rungs.map((r) => r.pattern)]) if (pattern.node_type === 'Assign') pattern.targets ??= [{ node_type: 'Name' }];
      },
    });
  };

  const search: Search = (encodings) => {
    const target = encodings[0]!.target;
    if (options.pin && encodings.length === 1) {
      const site = passes.length + 1;
      const pin = pinSite({
        working,
        target,
        canonical: canonicalAt(guardCount(encodings[0]!)),
        names: options.names,
        maxDepth: options.maxDepth,
        prefer: options.pin,
        ...(sourcePathOf(encodings[0]!) ? { sourcePath: sourcePathOf(encodings[0]!)! } : {}),
        ...(encodings[0]!.type === 'delete_statement' ? { deletes: true } : {}),
        ...(encodings[0]!.type === 'remove_keyword_arg' ? { dropsKeyword: true } : {}),
        ...(literalNames(encodings[0]!, working).length > 0 ? { writesReferenceNames: true } : {}),
        line: `site${site}_line`,
        col: `site${site}_col`,
        relations,
        ...(options.relateKept ? { relateKept: true } : {}),
      });
      if (pin) return { found: true, pattern: pin.replacePattern, structural: true, pin };
    }
    const names = withParameters(options.names, enclosingParameters(working, target));
    return findPattern({
      root: working,
      targets: encodings.map((e) => e.target),
      // Parameter names may disambiguate, but are not part of what an edit is about.
      anchors: anchorIds(target, options.names, sourcePathOf(encodings[0]!)),
      names,
      maxDepth: options.maxDepth,
    });
  };

  const apply = (group: readonly Member[], chosenPattern: Pattern, chosenPin: PinnedSite | undefined): void => {
    // (A pinned target's chosen pattern is its pin's replacePattern.)
    const guarded = guardLiterals(group[0]!.encoding, group.length === 1, chosenPattern);
    const targetsBefore = group.map((g) => structuredClone(g.encoding.target));
    // A literal rewrites the whole value: one pattern for several targets cannot require each one's parts.
    const pattern = group.length === 1 ? requireRewrittenParts(guarded?.pattern ?? chosenPattern, group[0]!.encoding) : (guarded?.pattern ?? chosenPattern);
    // After the guard passes' copies (literal guards, then the pin's confirmations), the engine builds one more after this pass's edit: from this state.
    start = copyAfter((guarded?.passes.length ?? 0) + (chosenPin ? confirmations(chosenPin).length : 0)).after;
    const done = new Set<PyNode>();
    for (const { encoding } of group) for (const node of applyEncoding(working, encoding)) done.add(node);
    let pin: PinnedTrack | undefined;
    if (chosenPin) {
      pin = {
        trackPattern: chosenPin.trackPattern,
        trackAs: chosenPin.trackAs,
        rungs: chosenPin.rungs,
        ...(chosenPin.after ? { after: chosenPin.after } : {}),
        ...(chosenPin.names ? { names: chosenPin.names } : {}),
        ...(chosenPin.position ? { position: chosenPin.position } : {}),
      };
      chosenPin.record();
      registerBinding(pin, chosenPin.site);
    }
    const applied = new Set(group.map((g) => g.edit));
    pending = pending.filter((e) => !applied.has(e) && !done.has(e.anchor));
    passes.push({
      encodings: group.map((g) => g.encoding),
      edits: group.map((g) => g.edit),
      pattern,
      targetsBefore,
      ...(pin ? { pin } : {}),
      ...(guarded ? { guards: guarded.passes } : {}),
    });
    copies = [];
    guardCounts.clear();
  };

  /** Literal replacements written with the reference's own names must fail loudly on other names. */
  const guardLiterals = (encoding: Encoding, requireAtSite: boolean, pattern: Pattern): LiteralGuards | undefined =>
    guardLiteral({
      working,
      canonicalAt,
      encoding,
      pattern,
      names: options.names,
      targetFunction: options.targetFunction,
      prefix: `guard${passes.length + 1}`,
      requireAtSite,
      maxDepth: options.maxDepth,
    });

  while (pending.length > 0) {
    const choices = await Promise.all(pending.map(async (edit) => ({ edit, encodings: await edit.encodings() })));
    // A pattern made only of the author's names is a last resort: an enclosing encoding with some structure is preferred.
    const next = choosePass(choices, search, options.groupEdits, false) ?? choosePass(choices, search, options.groupEdits, true);
    if (!next) return { ok: false, passes, stuck: stuckEdits(choices, search) };
    apply(next.group, next.pattern, next.pin);
  }
  return { ok: true, passes };
}

interface Choice {
  edit: Edit;
  encodings: Encoding[];
}

interface Member {
  edit: Edit;
  encoding: Encoding;
}

type Search = (encodings: readonly Encoding[]) => PatternSearch & { pin?: PinnedSite };

/** The first edit (reference order), at the lowest encoding rank, that has an acceptable exact pattern. */
function choosePass(choices: readonly Choice[], search: Search, groupEdits: boolean, acceptLocalOnly: boolean): { group: Member[]; pattern: Pattern; pin?: PinnedSite } | undefined {
  const deepest = Math.max(...choices.map((c) => c.encodings.length));
  for (let rank = 0; rank < deepest; rank++) {
    for (const { edit, encodings } of choices) {
      const encoding = encodings[rank];
      if (!encoding) continue;
      const candidates: Member[][] = [];
      if (rank === 0 && groupEdits) {
        const mates = choices.filter((c) => c.edit !== edit && c.encodings[0] && c.encodings[0].target !== encoding.target && sameReplacement(c.encodings[0], encoding));
        if (mates.length > 0) candidates.push([{ edit, encoding }, ...mates.map((m) => ({ edit: m.edit, encoding: m.encodings[0]! }))]);
      }
      candidates.push([{ edit, encoding }]);
      for (const group of candidates) {
        const found = search(group.map((m) => m.encoding));
        if (found.found && (found.structural || acceptLocalOnly)) return { group, pattern: found.pattern, ...(found.pin ? { pin: found.pin } : {}) };
      }
    }
  }
  return undefined;
}

function stuckEdits(choices: readonly Choice[], search: Search): StuckEdit[] {
  return choices.flatMap(({ edit, encodings }) => {
    const encoding = encodings[0];
    if (!encoding) return [];
    const found = search([encoding]);
    return [{ edit, encoding, fewestMatches: found.found ? 1 : found.fewestMatches }];
  });
}

function sourcePathOf(encoding: Encoding): string | undefined {
  if (encoding.type === 'replace_with') return encoding.source;
  if (encoding.type === 'replace_value_with' && encoding.sourceKind === 'path') return encoding.source;
  return undefined;
}

/** Same replacement object in the definition, and targets of the same node type. */
function sameReplacement(a: Encoding, b: Encoding): boolean {
  if (a.type !== b.type || a.target._type !== b.target._type) return false;
  if (a.type === 'remove_keyword_arg' && b.type === 'remove_keyword_arg') return a.name === b.name;
  if ((a.type === 'replace_with' || a.type === 'replace_value_with') && (b.type === 'replace_with' || b.type === 'replace_value_with')) return a.source === b.source;
  return true;
}

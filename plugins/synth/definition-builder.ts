// Assembles the v2.1 definition from the planned passes, with descriptions derived from the edits.
import type { BugContext } from '../../src/plugin-kit.js';
import type { BugDefinition, LogicPass } from '../../src/plugin-kit.js';
import { getAttr, isNode, walk, type PyNode } from '../../src/plugin-kit.js';
import { isStatement } from './ast-kinds.js';
import type { CodeSnippets } from './code-snippet.js';
import { enclosingName, type Edit, type Encoding } from './edit-classifier.js';
import type { PlannedPass } from './pass-planner.js';
import type { PinnedTrack } from './pinning.js';
import { confirmations, readingKey, type ConfirmingReadings } from './track-confirmation.js';

export async function buildDefinition(bug: BugContext, passes: readonly PlannedPass[], targetFunction: string, snippets: CodeSnippets): Promise<BugDefinition> {
  const logic: LogicPass[] = [];
  const phrases: Phrase[] = [];
  for (const pass of passes) {
    const described = await describePass(pass, snippets);
    for (const guard of pass.guards ?? []) {
      const what = `where \`${targetFunction}\` reads the variable the reference calls \`${guard.name}\``;
      pushTracks(logic, guard, (varies) => `Find ${what} as it reads with ${varies}, and remember its line and column`, `Find ${what}`, targetFunction);
      logic.push({
        pass: logic.length + 1,
        type: 'find_and_replace',
        description: `Guard (changes nothing): the next pass writes \`${guard.name}\`, so the student's code must call that variable \`${guard.name}\` too, else the injection fails instead of using an undefined name`,
        pattern: guard.replacePattern,
        replacement: { type: 'replace_with', source: 'node' },
      });
    }
    if (pass.pin) {
      const what = `${await quotedTargets(pass, snippets)} in \`${targetFunction}\``;
      pushTracks(
        logic,
        pass.pin,
        (varies) => `Find ${what} as it reads with ${varies}, and remember its line and column`,
        `Find ${what} by its shape and arguments (canonical names), whatever the student called things, and remember its line and column`,
        targetFunction,
      );
      pushConfirmations(logic, pass.pin, what, targetFunction);
    }
    logic.push({
      pass: logic.length + 1,
      type: 'find_and_replace',
      description: pass.pin ? `${described.pass}, at exactly that position` : described.pass,
      pattern: pass.pattern,
      replacement: replacementOf(pass.encodings[0]!),
    });
    phrases.push(described.phrase);
  }
  const functions = [...new Set(passes.flatMap((p) => p.edits.map((e) => enclosingName(e.change.trail))).filter((n): n is string => !!n))];
  return {
    id: `${bug.module}-${bug.name}`.replace(/_/g, '-'),
    description: sentence(phrases, functions),
    injection_type: 'ast',
    engine_version: '2.1',
    target_function: targetFunction,
    logic,
    metadata: {},
  };
}

/**
 * A pinned site's track passes: its ladder's rungs (other readings of the same site), then the
 * reference's own reading, last so that it wins when several match.
 */
function pushTracks(logic: LogicPass[], track: PinnedTrack, rungText: (varies: string) => string, ownText: string, targetFunction: string): void {
  for (const names of track.names ?? []) {
    const what = `the student's name for what the reference calls \`${names.recordsName}\`, where \`${targetFunction}\` uses it`;
    pushTracks(logic, { ...names, names: [] }, (varies) => `Record ${what}, as it reads with ${varies}`, `Record ${what} (the next site is found by that name, whatever the student called it)`, targetFunction);
  }
  // (A pinned ladder's readings also record the column where what they find starts, for their confirmation.)
  const keyed = (trackAs: Record<string, string>, index: number) => {
    const key = readingKey(track, index);
    return key ? { ...trackAs, [key]: 'node.col_offset' } : trackAs;
  };
  track.rungs.forEach((rung, i) => {
    logic.push({ pass: logic.length + 1, type: 'find_and_track', description: `${rungText(rung.varies)} (a later pass that finds it overwrites them)`, pattern: rung.pattern, track_as: keyed(rung.trackAs, i + 1) });
  });
  const own = track.rungs.length ? `${ownText}; the reference's own reading, last so that it wins when several of the ${track.rungs.length + 1} readings match` : ownText;
  logic.push({ pass: logic.length + 1, type: 'find_and_track', description: own, pattern: track.trackPattern, track_as: keyed(track.trackAs, 0) });
  for (const rung of track.after ?? []) {
    logic.push({ pass: logic.length + 1, type: 'find_and_track', description: `Find the same site in ${rung.varies}`, pattern: rung.pattern, track_as: rung.trackAs });
  }
}

/**
 * The confirmations of a pinned track's ladders (see track-confirmation): every ladder's readings
 * in the other order, then the guards, so that all of the pin's track passes see the same
 * canonical copy (a guard is a find_and_replace: the engine rebuilds the copy after it).
 */
function pushConfirmations(logic: LogicPass[], track: PinnedTrack, what: string, targetFunction: string): void {
  const confirming = confirmations(track);
  const subject = (c: ConfirmingReadings) =>
    c.ladder.recordsName ? `the student's name for what the reference calls \`${c.ladder.recordsName}\`, where \`${targetFunction}\` uses it` : what;
  for (const c of confirming) {
    const head = c.ladder.recordsName ? `Record ${subject(c)}:` : `Find ${what} again:`;
    const single = c.ladder.rungs.length === 0;
    for (const reading of c.readings) {
      logic.push({
        pass: logic.length + 1,
        type: 'find_and_track',
        description: single
          ? `${head} in the column where it was found, remembering where the first place found there ends (the column is then spent, so a later place of the same shape records nothing)`
          : `${head} the same ${c.readings.length} readings in the other order (the reference's own first), each in the column where it found something, remembering where the first place it finds ends; the last that finds something is the farthest`,
        pattern: reading.pattern,
        track_as: reading.trackAs,
      });
    }
  }
  for (const c of confirming) {
    const agree =
      c.ladder.rungs.length === 0
        ? 'the first and the last place found are one place (another function of the same name may hold the same code)'
        : 'the nearest and the farthest are one place, and each reading found one place (another function of the same name may hold the same code)';
    logic.push({
      pass: logic.length + 1,
      type: 'find_and_replace',
      description: `Guard (changes nothing): the readings of ${subject(c)} agree — ${agree}; where two places read as it, the injection fails here rather than change the wrong one`,
      pattern: c.guard,
      replacement: { type: 'replace_with', source: 'node' },
    });
  }
}

function replacementOf(encoding: Encoding): NonNullable<LogicPass['replacement']> {
  switch (encoding.type) {
    case 'delete_statement':
      return { type: 'delete_statement' };
    case 'remove_keyword_arg':
      return { type: 'remove_keyword_arg', name: encoding.name };
    case 'replace_with':
      return { type: 'replace_with', source: encoding.source };
    case 'replace_value_with':
      return { type: 'replace_value_with', source: encoding.source };
    default:
      throw new Error('synth: unknown encoding');
  }
}

/** A clause of the definition's description; deletions are merged into one clause. */
type Phrase = { kind: 'delete'; items: string[] } | { kind: 'other'; text: string };

async function quotedTargets(pass: PlannedPass, snippets: CodeSnippets): Promise<string> {
  const targets = await Promise.all(pass.targetsBefore.map((t) => snippets.of(t)));
  return list(targets.map((t) => `\`${t}\``));
}

async function describePass(pass: PlannedPass, snippets: CodeSnippets): Promise<{ pass: string; phrase: Phrase }> {
  const encoding = pass.encodings[0]!;
  const targets = await Promise.all(pass.targetsBefore.map((t) => snippets.of(t)));
  const quoted = await quotedTargets(pass, snippets);
  switch (encoding.type) {
    case 'delete_statement': {
      const what = isStatement(encoding.target) ? quoted : `the element${targets.length > 1 ? 's' : ''} ${quoted}`;
      return { pass: `Delete ${what}`, phrase: { kind: 'delete', items: targets.map((t) => `\`${t}\``) } };
    }
    case 'remove_keyword_arg': {
      const keyword = [...walk(pass.targetsBefore[0]!)].find((n) => n._type === 'keyword' && getAttr(n, 'arg') === encoding.name);
      const shown = keyword ? await snippets.of(keyword) : `${encoding.name}=…`;
      return {
        pass: `Remove the keyword argument \`${encoding.name}\` from ${quoted}`,
        phrase: { kind: 'other', text: `drops \`${shown}\` from ${quoted}` },
      };
    }
    case 'replace_with': {
      const result = await snippets.of(encoding.result);
      const unwraps = Array.isArray(encoding.result) || (isStatement(encoding.target) && isNode(encoding.result) && isStatement(encoding.result));
      return {
        pass: unwraps
          ? `Replace ${quoted} by its block (\`${result}\`, ${encoding.source})`
          : `Replace ${quoted} by its part \`${result}\` (${encoding.source})`,
        phrase: { kind: 'other', text: unwraps ? `unwraps ${quoted} into \`${result}\`` : `replaces ${quoted} by \`${result}\`` },
      };
    }
    case 'replace_value_with': {
      const value = await snippets.of(encoding.value);
      const results = await Promise.all(pass.encodings.map((e) => snippets.of((e as Extract<Encoding, { type: 'replace_value_with' }>).result)));
      return {
        pass:
          encoding.sourceKind === 'path'
            ? `Replace the value of ${quoted} by its part \`${value}\` (${encoding.source})`
            : `Replace the value of ${quoted} by \`${value}\``,
        phrase: { kind: 'other', text: `turns ${quoted} into ${list(results.map((r) => `\`${r}\``))}` },
      };
    }
    default:
      throw new Error('synth: unknown encoding');
  }
}

function sentence(phrases: readonly Phrase[], functions: readonly string[]): string {
  const clauses: Array<string | string[]> = [];
  let deletions: string[] | undefined;
  for (const phrase of phrases) {
    if (phrase.kind === 'other') {
      clauses.push(phrase.text);
    } else {
      if (!deletions) clauses.push((deletions = []));
      deletions.push(...phrase.items);
    }
  }
  const text = clauses.map((c) => (Array.isArray(c) ? `deletes ${list(c)}` : c));
  const last = text.pop()!;
  const joined = text.length === 0 ? last : `${text.join(', ')}${text.length > 1 || text[0]!.includes(' and ') ? ',' : ''} and ${last}`;
  const where = functions.length ? ` in ${list(functions.map((f) => `\`${f}\``))}` : '';
  return `${joined.charAt(0).toUpperCase()}${joined.slice(1)}${where}.`;
}

function list(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** The plain `def` around the first edit, else one the patch touches, else any in the file. */
export function chooseTargetFunction(bug: BugContext, edits: readonly Edit[]): string {
  const defs = [...walk(bug.beforeTree)].filter((n) => n._type === 'FunctionDef').map((n) => n.name as string);
  const first = edits[0]?.change.trail.map((s) => s.before).filter((n): n is PyNode => n._type === 'FunctionDef').at(-1);
  if (first && typeof first.name === 'string') return first.name;
  return bug.changedFunctions.find((name) => defs.includes(name)) ?? defs[0] ?? 'module';
}

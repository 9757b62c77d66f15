import type { BugDefinition, LogicPass, Pattern } from '../../src/plugin-kit.js';
import { canonicalNames, canonicalize, type CanonicalNames } from '../../src/plugin-kit.js';
import type { TrackedContext } from '../../src/plugin-kit.js';
import { runTrackPass } from '../../src/plugin-kit.js';
import { deepCopy, getAttr, hasAttr, isNode, pyEquals, pyTypeName, walk, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import type { SchemaProblem } from '../../src/plugin-kit.js';
import { describeWrongVariants } from '../../src/plugin-kit.js';
import type { Verification } from '../../src/plugin-kit.js';
import { lineOf } from './bug-facts.js';
import { patternJsonText } from './pattern-json.js';

/** Why an attempt was rejected, as the validation loop sees it. */
export type AttemptFailure =
  | { kind: 'parse'; error: string }
  | { kind: 'schema'; problems: readonly SchemaProblem[] }
  | { kind: 'verify'; definition: BugDefinition; verification: Verification }
  /** Exact on the reference, but silently wrong on a student-style variant of it. */
  | { kind: 'transfer'; definition: BugDefinition; verification: Verification };

const MAX_DIFF_CHARS = 8_000;
const CANDIDATES = 3;
const CANDIDATE_DEPTH = 5;
const DEFAULT_CANONICAL_TARGET = 'softmax';

/** One line for logs and the failed result's reason. */
export function summarizeFailure(failure: AttemptFailure): string {
  switch (failure.kind) {
    case 'parse':
      return `unreadable answer: ${failure.error}`;
    case 'schema':
      return `schema-invalid: ${failure.problems.map((p) => `${p.path} ${p.message}`).join('; ')}`;
    case 'verify':
      return `${failure.verification.verdict}: ${failure.verification.reason ?? 'no reason given'}`;
    case 'transfer':
      return `exact on the reference, wrong on student-style code: ${describeWrongVariants(failure.verification.transfer)}`;
  }
}

function wrongVariants(verification: Verification) {
  return verification.transfer?.variants.filter((v) => v.outcome === 'wrong') ?? [];
}

/** The feedback message for the next attempt: what was wrong, as precisely as we can say it. */
export function diagnoseFailure(failure: AttemptFailure, beforeTree: PyNode): string {
  switch (failure.kind) {
    case 'parse':
      return `Your answer could not be read as a JSON object: ${failure.error}.\nAnswer with exactly one JSON object (the bug definition), no prose.`;
    case 'schema':
      return [
        'Your definition does not match the v2.1 schema:',
        ...failure.problems.map((p) => `- at ${p.path}: ${p.message}`),
        'Fix these fields and answer with the corrected JSON object.',
      ].join('\n');
    case 'verify':
      return diagnoseVerification(failure.definition, failure.verification, beforeTree);
    case 'transfer':
      return diagnoseTransfer(failure.verification);
  }
}

/** What the student-style variants showed, and the techniques that confine a definition to the bug site. */
function diagnoseTransfer(verification: Verification): string {
  const lines = [
    'Your definition is exact on the reference, but it was also injected into student-style versions of the reference',
    '(same program, other names, other order, code restructured away from the bug site), and there it silently',
    'injects something else. That would hand a student a different bug than the lesson is about:',
    ...wrongVariants(verification).map((v) => `- ${v.kind} variant: ${v.reason ?? 'a different program'}`),
    'Fix it so that on such code the definition either injects exactly this bug or matches nothing:',
    '- never write the author\'s local variable names into a pattern unless the replacement text uses them;',
    '- confine the edit to the target function: a find_and_track pass whose pattern contains a canonical name',
    '  (e.g. {"node_type": "Name", "id": "_arg1"}) with "track_as": {"line": "node.lineno", "col": "node.col_offset"},',
    '  then the find_and_replace pattern with "lineno": {"from_context": "line"}, "col_offset": {"from_context": "col"};',
    '- when a replacement text must use local names, make the pattern require those names so it fails on other names.',
    'Answer with the corrected JSON object.',
  ];
  return lines.join('\n');
}

function diagnoseVerification(definition: BugDefinition, verification: Verification, beforeTree: PyNode): string {
  const reason = verification.reason ?? '';
  switch (verification.verdict) {
    case 'differs':
      return [
        'Your definition injects, but the result is not the patched code.',
        'Unified diff: lines starting with "-" are the patched code (what we want), "+" what your definition produced:',
        '```diff',
        clip(verification.diff ?? '(no diff available)', MAX_DIFF_CHARS),
        '```',
        'Remember: matching is file-wide (other functions with similar code are changed too), and every matching node is replaced.',
        'Answer with the corrected JSON object.',
      ].join('\n');
    case 'no-match':
      return [`The injection failed: ${reason}.`, ...noMatchDetails(definition, reason, beforeTree), 'Answer with the corrected JSON object.'].join('\n');
    case 'error':
      return [`The definition was rejected: ${reason}.`, ...errorHints(reason), 'Answer with the corrected JSON object.'].join('\n');
    default:
      return `Unexpected verdict ${verification.verdict}. Answer with the corrected JSON object.`;
  }
}

function errorHints(reason: string): string[] {
  if (/not valid Python/.test(reason)) {
    return ['A deletion probably left a body empty (the injector does not catch that): delete or replace the enclosing statement instead.'];
  }
  if (/injector raised/.test(reason)) {
    return ['Check every "source" is a string, replace_with sources are "node..." paths, and replacements fit the matched node.'];
  }
  return [];
}

function noMatchDetails(definition: BugDefinition, reason: string, beforeTree: PyNode): string[] {
  if (/ast\.unparse failed/.test(reason)) {
    return ['A node held in a single field (not a statement in a body) was removed, so the tree could not be unparsed. Use delete_statement only on statements in a body, or replace_with / replace_value_with on the parent.'];
  }
  const missingTarget = /target function '([^']*)' not found/.exec(reason);
  if (missingTarget) {
    const defs = [...walk(beforeTree)].filter((n) => n._type === 'FunctionDef').map((n) => String(n.name));
    return [`"target_function" must name a def in the file; the file defines: ${[...new Set(defs)].join(', ')}.`];
  }
  const failed = /pass (\d+) \(find_and_replace\) matched nothing/.exec(reason);
  const logic = Array.isArray(definition.logic) ? definition.logic : [];
  if (!failed) return [];
  const number = Number(failed[1]);
  const index = logic.findIndex((step) => step?.pass === number);
  const at = index >= 0 ? index : number - 1;
  const step = logic[at];
  if (!step || !isObject(step.pattern)) return [];
  const context = trackedContext(definition, logic.slice(0, at), beforeTree);
  const lines = [`Pass ${number} pattern: ${JSON.stringify(step.pattern)}`];
  lines.push(...contextNotes(step.pattern, context, logic.slice(0, at), definition, beforeTree));
  lines.push(...nearestCandidates(step.pattern, beforeTree, context, 'the reference file'));
  return lines;
}

/** The context the track passes before the failing pass produce on the reference (earlier replace passes are not replayed). */
function trackedContext(definition: BugDefinition, earlier: LogicPass[], beforeTree: PyNode): TrackedContext {
  const context: TrackedContext = new Map();
  const canonical = canonicalView(definition, beforeTree);
  if (!canonical) return context;
  for (const step of earlier) {
    if (step?.type !== 'find_and_track' || !isObject(step.pattern)) continue;
    try {
      runTrackPass(beforeTree, canonical, step.pattern, step.conditions, step.track_as, context);
    } catch {
      // A malformed pass is reported by verification itself.
    }
  }
  return context;
}

function canonicalView(definition: BugDefinition, beforeTree: PyNode): CanonicalNames | undefined {
  try {
    return canonicalNames(beforeTree, canonicalTarget(definition));
  } catch {
    return undefined;
  }
}

/** The canonical copy itself, to show its nodes. */
function canonicalTree(definition: BugDefinition, beforeTree: PyNode): PyNode | undefined {
  try {
    const tree = canonicalize(deepCopy(beforeTree), canonicalTarget(definition));
    return isNode(tree) ? tree : undefined;
  } catch {
    return undefined;
  }
}

function canonicalTarget(definition: BugDefinition): string {
  return typeof definition.target_function === 'string' ? definition.target_function : DEFAULT_CANONICAL_TARGET;
}

function contextNotes(pattern: Pattern, context: TrackedContext, earlier: LogicPass[], definition: BugDefinition, beforeTree: PyNode): string[] {
  const used = contextVariables(pattern);
  if (used.length === 0) return [];
  const lines: string[] = [];
  for (const name of used) {
    if (context.has(name)) {
      lines.push(`Context variable "${name}" is ${JSON.stringify(describe(context.get(name)))} after the earlier track passes.`);
      continue;
    }
    const setter = earlier.find((step) => step?.type === 'find_and_track' && isObject(step.track_as) && name in step.track_as);
    if (!setter) {
      lines.push(`Context variable "${name}" is never set: no earlier find_and_track pass has it in track_as.`);
      continue;
    }
    lines.push(
      `Context variable "${name}" was never set: pass ${String(setter.pass)} (find_and_track) matched nothing, or its track_as path led nowhere. ` +
        `Track patterns match the CANONICAL tree, where inside def ${String(definition.target_function)} parameters are _arg0, _arg1… and assigned names _var0, _var1….`,
    );
    const canonical = canonicalTree(definition, beforeTree);
    if (canonical && isObject(setter.pattern)) lines.push(...nearestCandidates(setter.pattern, canonical, new Map(), 'the canonical tree'));
  }
  return lines;
}

function contextVariables(pattern: unknown, out: string[] = []): string[] {
  if (Array.isArray(pattern)) for (const item of pattern) contextVariables(item, out);
  else if (isObject(pattern)) {
    if (typeof pattern.from_context === 'string' && !out.includes(pattern.from_context)) out.push(pattern.from_context);
    for (const value of Object.values(pattern)) contextVariables(value, out);
  }
  return out;
}

/** The nodes of the pattern's node_type that come closest to matching it, with the fields that differ. */
export function nearestCandidates(pattern: Pattern, tree: PyNode, context: TrackedContext, where: string): string[] {
  const nodeType = pattern.node_type;
  if (typeof nodeType !== 'string') return ['The pattern has no "node_type"; name the ast class of the node to match.'];
  const scored = [...walk(tree)]
    .filter((node) => node._type === nodeType)
    .map((node) => ({ node, ...compare(node, pattern, context, '') }))
    .sort((a, b) => b.score - a.score);
  if (scored.length === 0) {
    const types = new Set([...walk(tree)].map((n) => n._type));
    return [`There is no ${nodeType} node anywhere in ${where}. Node types present include: ${[...types].slice(0, 40).join(', ')}.`];
  }
  const lines = [`The ${Math.min(CANDIDATES, scored.length)} closest ${nodeType} nodes in ${where} (of ${scored.length}), with their actual fields:`];
  for (const { node, mismatches } of scored.slice(0, CANDIDATES)) {
    lines.push(`- line ${lineOf(node) ?? '?'}: ${patternJsonText(node, { maxDepth: CANDIDATE_DEPTH })}`);
    if (mismatches.length > 0) lines.push(`  differs from your pattern at: ${mismatches.slice(0, 6).join('; ')}`);
  }
  return lines;
}

interface Comparison {
  score: number;
  mismatches: string[];
}

/** A graded version of matchesPattern: how much of the pattern holds, and where it fails. */
function compare(node: PyValue | undefined, pattern: Pattern, context: TrackedContext, path: string): Comparison {
  let score = 0;
  const mismatches: string[] = [];
  const at = (key: string) => (path ? `${path}.${key}` : key);
  for (const [key, expected] of Object.entries(pattern)) {
    if (key === 'node_type') {
      if (pyEquals(pyTypeName(node), expected)) score++;
      else mismatches.push(`${path || 'node'} is ${pyTypeName(node)}, not ${JSON.stringify(expected)}`);
      continue;
    }
    if (!hasAttr(node, key)) {
      mismatches.push(`${at(key)} does not exist on ${pyTypeName(node)}`);
      continue;
    }
    const actual = getAttr(node, key);
    if (key === 'op' && typeof expected === 'string') {
      if (pyTypeName(actual) === expected) score++;
      else mismatches.push(`${at(key)} is ${pyTypeName(actual)}, not ${expected}`);
    } else if (isObject(expected) && 'from_context' in expected) {
      const name = String(expected.from_context);
      if (context.has(name) && pyEquals(context.get(name), actual)) score++;
      else mismatches.push(`${at(key)} is ${JSON.stringify(describe(actual))}; context "${name}" is ${context.has(name) ? JSON.stringify(describe(context.get(name))) : 'unset'}`);
    } else if (isObject(expected)) {
      const inner = compare(actual, expected, context, at(key));
      score += inner.score;
      mismatches.push(...inner.mismatches);
    } else if (Array.isArray(expected)) {
      if (!Array.isArray(actual) || actual.length !== expected.length) {
        mismatches.push(`${at(key)} has ${Array.isArray(actual) ? actual.length : 'no'} elements, the pattern lists ${expected.length}`);
        continue;
      }
      score++;
      expected.forEach((item, i) => {
        if (!isObject(item)) return;
        const inner = compare(actual[i], item, context, `${at(key)}[${i}]`);
        score += inner.score;
        mismatches.push(...inner.mismatches);
      });
    } else if (pyEquals(expected, actual)) score++;
    else mismatches.push(`${at(key)} is ${JSON.stringify(describe(actual))}, not ${JSON.stringify(expected)}`);
  }
  return { score, mismatches };
}

function describe(value: PyValue | undefined): unknown {
  if (value === undefined) return null;
  if (isNode(value)) return `<${value._type} node>`;
  if (Array.isArray(value)) return `<list of ${value.length}>`;
  if (typeof value === 'object' && value !== null && '$py' in value) return 'v' in value ? value.v : value.$py;
  return value;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function clip(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}\n… (diff truncated)` : text;
}

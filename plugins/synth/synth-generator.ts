// The deterministic generator: derives a v2.1 definition from the AST difference between the
// reference and the patched reference, and emits it only when it verifies `exact`.
import type { BugContext, GeneratorContext, GeneratorPlugin, GeneratorResult } from '../../src/plugin-kit.js';
import { stableStringify } from '../../src/plugin-kit.js';
import type { BugDefinition } from '../../src/plugin-kit.js';
import { deepCopy, sameTree } from '../../src/plugin-kit.js';
import type { Verification } from '../../src/plugin-kit.js';
import { codeSnippets, type CodeSnippets } from './code-snippet.js';
import { chooseTargetFunction, buildDefinition } from './definition-builder.js';
import { classifyChanges } from './edit-classifier.js';
import { nameTiers } from './name-tiers.js';
import { planPasses, type StuckEdit } from './pass-planner.js';
import type { PinPreference } from './pinning.js';
import { diffTrees } from './tree-diff.js';

export interface SynthOptions {
  /** How deep below the matched node a pattern may constrain the tree (default 8). */
  maxPatternDepth?: number;
  /** Let edits with the same replacement share one pass (default true). */
  groupEdits?: boolean;
  /**
   * Pin each edit to its site with a track pass confined to the target function by canonical
   * names, where one exists (default true). Off, patterns are only as specific as the
   * reference needs: smaller, but blind to look-alike code elsewhere in a student's file.
   */
  pin?: boolean;
}

/** Bumped whenever the same inputs could yield a different definition. */
export const SYNTH_VERSION = 10;

export function synthGenerator(options: SynthOptions = {}): GeneratorPlugin {
  const settings = { maxDepth: options.maxPatternDepth ?? 8, groupEdits: options.groupEdits ?? true, pin: options.pin ?? true };
  return {
    name: 'synth',
    kind: 'deterministic',
    settingsKey: () => `synth/${SYNTH_VERSION}/depth=${settings.maxDepth}/group=${settings.groupEdits}/pin=${settings.pin}`,
    available: () => ({ ok: true }),
    async generate(bug, context) {
      try {
        return await synthesize(bug, context, settings);
      } catch (err) {
        // A synth defect must not stop the build: the next generator still gets its chance.
        return { status: 'failed', reason: `synth failed unexpectedly: ${err instanceof Error ? err.message : String(err)}` };
      }
    },
  };
}

/**
 * Ways to write the same edits, in order of preference: transfer to student-style code decides
 * between them, then this order (a pinned edit is robust to look-alikes no variant shows).
 */
const STRATEGIES: ReadonlyArray<{ pin?: PinPreference; group: boolean; relateKept?: boolean }> = [
  { pin: 'argument', group: false },
  { pin: 'argument', group: false, relateKept: true },
  { pin: 'nearest', group: false },
  { pin: 'nearest', group: false, relateKept: true },
  { group: true },
];

interface Candidate {
  definition: BugDefinition;
  verification: Verification;
  /** The strategy's place in STRATEGIES. */
  rank: number;
}

async function synthesize(bug: BugContext, context: GeneratorContext, settings: { maxDepth: number; groupEdits: boolean; pin: boolean }): Promise<GeneratorResult> {
  if (context.signal?.aborted) return { status: 'failed', reason: 'cancelled', retryable: true };
  const snippets = codeSnippets(context.python);
  const names = nameTiers(bug.beforeTree);
  const candidates: Candidate[] = [];
  const seen = new Set<string>();
  let stuck: string | undefined;
  for (const [rank, strategy] of STRATEGIES.entries()) {
    if (strategy.pin && !settings.pin) continue;
    // An unpinned definition is blind to look-alikes no variant shows: only when no pinned one is right everywhere it injects.
    if (!strategy.pin && candidates.some((c) => STRATEGIES[c.rank]!.pin && c.verification.verdict === 'exact' && c.verification.transfer?.worst !== 'wrong')) continue;
    // Requiring the kept variable by name costs students who inlined it: only when the plain pin injects something else somewhere.
    if (strategy.relateKept && !candidates.some((c) => c.rank === rank - 1 && c.verification.transfer?.worst === 'wrong')) continue;
    const working = deepCopy(bug.beforeTree);
    const changes = diffTrees(working, bug.afterTree);
    if (changes.length === 0) {
      return { status: 'unsupported', reason: 'the patch changes no code: the reference and the patched reference have the same AST (only comments or formatting differ)' };
    }
    const { edits, unsupported } = await classifyChanges(changes, snippets);
    if (unsupported.length > 0) return { status: 'unsupported', reason: unsupported.join('; ') };

    const targetFunction = chooseTargetFunction(bug, edits);
    const plan = await planPasses(working, edits, {
      names,
      maxDepth: settings.maxDepth,
      groupEdits: strategy.group && settings.groupEdits,
      targetFunction,
      ...(strategy.pin ? { pin: strategy.pin } : {}),
      ...(strategy.relateKept ? { relateKept: true } : {}),
    });
    if (!plan.ok) {
      stuck ??= await stuckReason(plan.stuck, snippets);
      continue;
    }
    if (!sameTree(working, bug.afterTree)) {
      return { status: 'failed', reason: 'the planned edits do not rebuild the patched tree (a synth diff/classification bug)' };
    }
    const definition = await buildDefinition(bug, plan.passes, targetFunction, snippets);
    const key = stableStringify(definition.logic);
    if (seen.has(key)) continue;
    seen.add(key);
    if (context.signal?.aborted) return { status: 'failed', reason: 'cancelled', retryable: true };
    const verification = await context.verify(definition);
    candidates.push({ definition, verification, rank });
    // Exact on the reference and on every variant (or with no variants to rank by): no later strategy can do better.
    if (verification.verdict === 'exact' && (verification.transfer?.worst ?? 'exact') === 'exact') break;
  }
  if (candidates.length === 0) return { status: 'failed', reason: stuck ?? 'no candidate definition' };

  const exact = candidates.filter((c) => c.verification.verdict === 'exact').sort((a, b) => transferRank(a) - transferRank(b));
  const best = exact[0];
  if (best && (best.verification.transfer?.worst ?? 'exact') !== 'wrong') return { status: 'generated', definition: best.definition, verification: best.verification };
  if (best) {
    const wrong = best.verification.transfer!.variants.filter((v) => v.outcome === 'wrong');
    return {
      status: 'failed',
      reason: `every synthesized definition that is exact on the reference injects something else into a student-style variant (${wrong.map((v) => `${v.kind}: ${v.reason}`).join('; ')})`,
      draft: { definition: best.definition, verification: best.verification },
    };
  }
  const draft = candidates.find((c) => c.verification.verdict === 'differs') ?? candidates[0]!;
  return {
    status: 'failed',
    reason: `the synthesized definition verifies as ${draft.verification.verdict}${draft.verification.reason ? `: ${draft.verification.reason}` : ''}`,
    draft: { definition: draft.definition, verification: draft.verification },
  };
}

/** Fewer silently wrong variants first, then more exact ones, then the strategy order. */
function transferRank({ verification, rank }: Candidate): number {
  const transfer = verification.transfer;
  const wrong = transfer ? transfer.variants.filter((v) => v.outcome === 'wrong').length : 0;
  const exact = transfer ? transfer.exact : 0;
  return wrong * 1_000_000 - exact * 1_000 + rank;
}

async function stuckReason(stuck: readonly StuckEdit[], snippets: CodeSnippets): Promise<string> {
  const parts = await Promise.all(
    stuck.map(async ({ encoding, fewestMatches }) => {
      const target = await snippets.of(encoding.target);
      return `no pattern matches only \`${target}\` for ${encoding.type} (the most specific candidate still matches ${fewestMatches} nodes in the file)`;
    }),
  );
  return parts.join('; ');
}

// The deterministic generator: derives a v2.1 definition from the AST difference between the
// reference and the patched reference, and emits it only when it verifies `exact`.
import type { BugContext, GeneratorContext, GeneratorPlugin, GeneratorResult } from '../../src/generate/generator.js';
import { deepCopy, sameTree } from '../../src/python/tree.js';
import { codeSnippets, type CodeSnippets } from './code-snippet.js';
import { chooseTargetFunction, buildDefinition } from './definition-builder.js';
import { classifyChanges } from './edit-classifier.js';
import { nameTiers } from './name-tiers.js';
import { planPasses, type StuckEdit } from './pass-planner.js';
import { diffTrees } from './tree-diff.js';

export interface SynthOptions {
  /** How deep below the matched node a pattern may constrain the tree (default 8). */
  maxPatternDepth?: number;
  /** Let edits with the same replacement share one pass (default true). */
  groupEdits?: boolean;
}

/** Bumped whenever the same inputs could yield a different definition. */
export const SYNTH_VERSION = 2;

export function synthGenerator(options: SynthOptions = {}): GeneratorPlugin {
  const settings = { maxDepth: options.maxPatternDepth ?? 8, groupEdits: options.groupEdits ?? true };
  return {
    name: 'synth',
    kind: 'deterministic',
    settingsKey: () => `synth/${SYNTH_VERSION}/depth=${settings.maxDepth}/group=${settings.groupEdits}`,
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

async function synthesize(bug: BugContext, context: GeneratorContext, settings: { maxDepth: number; groupEdits: boolean }): Promise<GeneratorResult> {
  if (context.signal?.aborted) return { status: 'failed', reason: 'cancelled', retryable: true };
  const snippets = codeSnippets(context.python);
  const working = deepCopy(bug.beforeTree);
  const changes = diffTrees(working, bug.afterTree);
  if (changes.length === 0) {
    return { status: 'unsupported', reason: 'the patch changes no code: the reference and the patched reference have the same AST (only comments or formatting differ)' };
  }
  const { edits, unsupported } = await classifyChanges(changes, snippets);
  if (unsupported.length > 0) return { status: 'unsupported', reason: unsupported.join('; ') };

  const targetFunction = chooseTargetFunction(bug, edits);
  const plan = await planPasses(working, edits, { names: nameTiers(bug.beforeTree), maxDepth: settings.maxDepth, groupEdits: settings.groupEdits });
  if (!plan.ok) return { status: 'failed', reason: await stuckReason(plan.stuck, snippets) };
  if (!sameTree(working, bug.afterTree)) {
    return { status: 'failed', reason: 'the planned edits do not rebuild the patched tree (a synth diff/classification bug)' };
  }

  const definition = await buildDefinition(bug, plan.passes, targetFunction, snippets);
  if (context.signal?.aborted) return { status: 'failed', reason: 'cancelled', retryable: true };
  const verification = await context.verify(definition);
  if (verification.verdict === 'exact') return { status: 'generated', definition, verification };
  return {
    status: 'failed',
    reason: `the synthesized definition verifies as ${verification.verdict}${verification.reason ? `: ${verification.reason}` : ''}`,
    draft: { definition, verification },
  };
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

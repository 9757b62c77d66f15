import pLimit from 'p-limit';
import type { BugRef } from '../discover/bug-ref.js';
import type { GenerationUsage } from '../generate/generator.js';
import type { PythonBackendInfo } from '../python/runtime.js';
import type { BugOutcome } from './bug-outcome.js';
import { buildBug } from './build-bug.js';
import type { BuildEnvironment } from './build-environment.js';

export interface BuildRun {
  outcomes: BugOutcome[];
  ms: number;
  usage: GenerationUsage;
  /** Python had to be started (false on a fully cached re-run). */
  pythonLoaded: boolean;
  /** Which Python served, when it was started. */
  python?: PythonBackendInfo;
}

/** Builds the bugs with bounded concurrency; `onOutcome` sees each bug as it finishes. */
export async function runBuild(bugs: readonly BugRef[], env: BuildEnvironment, onOutcome?: (outcome: BugOutcome) => void): Promise<BuildRun> {
  const started = performance.now();
  const limit = pLimit(env.config.concurrency);
  const outcomes = await Promise.all(
    bugs.map((bug) =>
      limit(async () => {
        const outcome = await buildBug(bug, env);
        onOutcome?.(outcome);
        return outcome;
      }),
    ),
  );
  return {
    outcomes: outcomes.sort((a, b) => a.bug.id.localeCompare(b.bug.id)),
    ms: Math.round(performance.now() - started),
    usage: totalUsage(env),
    pythonLoaded: env.python.loaded,
    ...(env.python.backend ? { python: env.python.backend } : {}),
  };
}

function totalUsage(env: BuildEnvironment): GenerationUsage {
  const total: GenerationUsage = { calls: 0, cachedCalls: 0, promptTokens: 0, completionTokens: 0, costUsd: 0 };
  for (const generator of env.generators) {
    const u = generator.usage?.();
    if (!u) continue;
    total.calls += u.calls;
    total.cachedCalls += u.cachedCalls;
    total.promptTokens += u.promptTokens;
    total.completionTokens += u.completionTokens;
    total.costUsd += u.costUsd;
  }
  return total;
}

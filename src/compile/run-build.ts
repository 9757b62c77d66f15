import type { BugRef } from '../discover/bug-ref.js';
import type { BugOutcome } from './bug-outcome.js';
import { buildBug } from './build-bug.js';
import type { BuildEnvironment } from './build-environment.js';
import type { BuildRun } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { BuildRun } from '../contracts.js';

/**
 * Builds the bugs (bounded by the environment's work lanes: at most `concurrency` bugs per lane are
 * in memory at once); `onOutcome` sees each bug as it finishes, before it gives its slot up.
 */
export async function runBuild(bugs: readonly BugRef[], env: BuildEnvironment, onOutcome?: (outcome: BugOutcome) => void): Promise<BuildRun> {
  const started = performance.now();
  const outcomes = await Promise.all(bugs.map((bug) => buildBug(bug, env, onOutcome)));
  return {
    outcomes: outcomes.sort((a, b) => a.bug.id.localeCompare(b.bug.id)),
    ms: Math.round(performance.now() - started),
    usage: env.runner.llmUsage(),
    pythonLoaded: env.python.loaded,
    ...(env.python.backend ? { python: env.python.backend } : {}),
  };
}

import type { BugRef } from '../discover/bug-ref.js';
import type { GenerationUsage } from '../generate/generator.js';
import type { PythonBackendInfo } from '../python/runtime.js';
import type { BugOutcome } from './bug-outcome.js';
import { buildBug } from './build-bug.js';
import type { BuildEnvironment } from './build-environment.js';

export interface BuildRun {
  outcomes: BugOutcome[];
  ms: number;
  /** What the `kind: 'llm'` generators used: requests (failed ones too), tokens, cost. */
  usage: GenerationUsage;
  /** Python had to be started (false on a fully cached re-run). */
  pythonLoaded: boolean;
  /** Which Python served, when it was started. */
  python?: PythonBackendInfo;
}

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

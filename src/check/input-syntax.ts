import path from 'node:path';
import { contentHash } from '../cache/hash.js';
import { relativeToRoot } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { BugInputs } from '../inputs/read-bug-inputs.js';
import { packageVersion } from '../package-root.js';
import { prepareBugContext } from '../prepare/prepare-bug-context.js';
import type { CheckEnvironment } from './check-environment.js';

interface Remembered {
  problem?: { file: string; reason: string; line?: number };
}

/**
 * The Python syntax error in a bug's reference or patched reference, if any (build's wording).
 * Remembered by content, like verdicts, so an unchanged failing check does not load Python again.
 */
export async function inputSyntaxError(inputs: BugInputs, env: CheckEnvironment): Promise<InputError | undefined> {
  const key = contentHash('input-syntax', packageVersion, inputs.referenceText, inputs.patchedText, String(inputs.snippet));
  let remembered = await env.cache.get<Remembered>('input-syntax', key);
  if (!remembered) {
    remembered = await diagnose(inputs, env);
    await env.cache.put('input-syntax', key, remembered);
  }
  const { problem } = remembered;
  return problem && new InputError('python-syntax', path.resolve(env.config.root, problem.file), problem.reason, problem.line);
}

async function diagnose(inputs: BugInputs, env: CheckEnvironment): Promise<Remembered> {
  try {
    await prepareBugContext(inputs, env.config, env.python);
    return {};
  } catch (err) {
    if (!(err instanceof InputError)) throw err;
    return { problem: { file: relativeToRoot(env.config, err.file), reason: err.reason, ...(err.line ? { line: err.line } : {}) } };
  }
}

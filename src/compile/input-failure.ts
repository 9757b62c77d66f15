import path from 'node:path';
import { relativeToRoot } from '../discover/bug-ref.js';
import type { InputError } from '../errors.js';
import { failedOutcome, type Outcome } from './bug-outcome.js';

/** A bug whose inputs are broken: failed, naming the file (and line) to fix. */
export function inputFailure(err: InputError, env: { config: { root: string } }): Outcome {
  const file = path.isAbsolute(err.file) ? relativeToRoot(env.config, err.file) : err.file;
  return failedOutcome(`${file}${err.line ? `:${err.line}` : ''}: ${err.reason}`, {
    verdict: 'error',
    inputFile: err.file,
    needsAuthoring: false,
    ...(err.kind === 'does-not-apply' ? { patchRotted: true } : {}),
  });
}


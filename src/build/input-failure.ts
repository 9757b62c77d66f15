import path from 'node:path';
import { relativeToRoot } from '../discover/bug-ref.js';
import type { InputError } from '../errors.js';
import type { BugOutcome } from './bug-outcome.js';

/** A bug whose inputs are broken: failed, naming the file (and line) to fix. */
export function inputFailure(err: InputError, env: { config: { root: string } }): Omit<BugOutcome, 'bug' | 'ms'> {
  const file = path.isAbsolute(err.file) ? relativeToRoot(env.config, err.file) : err.file;
  return {
    status: 'failed',
    written: false,
    verdict: 'error',
    reason: `${file}${err.line ? `:${err.line}` : ''}: ${err.reason}`,
    inputFile: err.file,
    needsAuthoring: false,
  };
}


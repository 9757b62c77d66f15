import { relativeToRoot } from '../discover/bug-ref.js';
import type { Finding } from './finding.js';
import { shellQuote } from './shell-quote.js';

/** A JSON where outputs go that no patch produces: a warning (it may be a leftover). */
export function orphanFinding(file: string, options: { root: string; tracked: boolean }): Finding {
  const json = relativeToRoot(options, file);
  return {
    kind: 'orphan',
    severity: 'warning',
    file: json,
    message: `${json} is not the output of any patch (its patch was renamed or deleted?)`,
    fix: `${options.tracked ? 'git rm' : 'rm'} ${shellQuote(json)}, or restore its patch`,
  };
}

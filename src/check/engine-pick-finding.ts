import path from 'node:path';
import type { PatchOnlyRule, ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import type { Finding } from './finding.js';

/**
 * The engine's harden stage picks uniformly among every `*.patch` and `*.json` in a bugs
 * folder: a bug whose patch stays beside its JSON is offered twice, and half of those times
 * through the legacy path (the patch applied to the reference, not the student's code).
 */
export function enginePickFinding(beside: readonly BugRef[], config: ResolvedConfig): Finding {
  const folders = new Set(beside.map((b) => path.dirname(b.patchFile))).size;
  const n = beside.length;
  return {
    kind: 'engine-pick',
    severity: 'warning',
    file: config.file ? relativeToRoot(config, config.file) : relativeToRoot(config, beside[0]!.patchFile),
    message:
      `${n} bug${n === 1 ? ' has its' : 's have their'} .patch beside ${n === 1 ? 'its' : 'their'} .json (${folders} folder${folders === 1 ? '' : 's'}): the engine picks uniformly among every *.patch and *.json in a bugs folder, ` +
      `so ${n === 1 ? 'it is' : 'each is'} offered twice as often as a patch-only bug, and half of those times through the legacy patch path, on the reference code instead of the student's`,
    fix: `move the patches to a sibling folder and point the config there: bug-author relocate-sources (a dry run; --apply does it with git mv); or set enginePickWarning: false`,
    detail: beside
      .slice(0, 5)
      .map((b) => relativeToRoot(config, b.patchFile))
      .concat(n > 5 ? [`… and ${n - 5} more`] : [])
      .join('\n'),
  };
}

/** A patchOnly entry that matches no patch: a renamed bug or a typo, and the bug it meant is now built (or missing). */
export function patchOnlyRuleFinding(rule: PatchOnlyRule, config: ResolvedConfig): Finding {
  return {
    kind: 'config',
    severity: 'warning',
    file: config.file ? relativeToRoot(config, config.file) : '.',
    message: `patchOnly entry '${rule.pattern}' matches no patch`,
    fix: `correct or remove '${rule.pattern}' in patchOnly`,
  };
}

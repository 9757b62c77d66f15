import path from 'node:path';
import type { PatchOnlyRule, ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import type { Finding } from './finding.js';
import { shellQuote } from './shell-quote.js';

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

/** What the engine does when it picks a file of a bugs folder (see src/discover/engine-picks.ts), all paths relative to the root. */
export interface EnginePickFacts {
  /** The bugs folder. */
  folder: string;
  /** How many files the engine chooses among there. */
  among: number;
  /** `<stem>_symptom.txt`, which it requires beside the file, and whether it is there. */
  symptom: string;
  symptomExists: boolean;
  /** Why the engine cannot load it (a JSON), when it cannot. */
  loadProblem?: string;
  /** The folder above the bugs folder: out of the engine's reach. */
  moveTo: string;
}

/** "the engine picks it as a bug (1 time in 4) and …": what happens then, in the engine's order (the symptom is looked for first). */
export function describeEnginePick(file: string, what: 'json' | 'patch', facts: EnginePickFacts): string {
  const odds = facts.among > 1 ? ` (1 time in ${facts.among})` : '';
  const then = !facts.symptomExists
    ? `stops ("Symptom file missing for ${path.posix.basename(file)}": there is no ${facts.symptom}), so the student gets no harden challenge`
    : what === 'patch'
      ? "applies it to the reference code through its legacy patch path: a bug bug-author never checked"
      : facts.loadProblem
        ? `fails loading it (${facts.loadProblem}), so the student gets no harden challenge`
        : "injects it into the student's code: a definition bug-author never verified";
  return `the engine picks it as a bug${odds} and ${then}`;
}

/** The command that moves a file of a bugs folder out of the engine's reach. */
export function moveOutOfBugsFolder(file: string, facts: Pick<EnginePickFacts, 'moveTo'> & { tracked: boolean }): string {
  return `move it out of the bugs folder: ${facts.tracked ? 'git mv' : 'mv'} ${shellQuote(file)} ${shellQuote(facts.moveTo || '.')}/`;
}

/**
 * A `.patch` in a bugs folder that is no bug of bug-author's (the config's globs or `ignore`
 * leave it out): the engine picks it all the same, so an error.
 */
export function strayPatchFinding(file: string, facts: EnginePickFacts & { root: string; tracked: boolean }): Finding {
  const patch = relativeToRoot(facts, file);
  return {
    kind: 'engine-pick',
    severity: 'error',
    file: patch,
    message: `${patch} sits in ${facts.folder}, where the engine picks bugs, but it is no bug bug-author builds or checks (the config's \`bugs\` globs or \`ignore\` leave it out): ${describeEnginePick(patch, 'patch', facts)}`,
    fix: `${moveOutOfBugsFolder(patch, facts)}; or, if it is a bug, let the config's \`bugs\` globs find it`,
  };
}

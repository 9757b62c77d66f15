import { relativeToRoot } from '../discover/bug-ref.js';
import type { Finding } from './finding.js';
import { shellQuote } from './shell-quote.js';

/** What is known about a JSON no discovered patch claims. */
export interface OrphanFacts {
  root: string;
  tracked: boolean;
  /** A `<name>.patch` in the same folder that discovery left out (the config's globs or `ignore`), relative to the root. */
  patchBeside?: string;
  /** No bug-author provenance: an author wrote it (the engine serves it as it is). */
  handWritten?: boolean;
  /** Why it is not a definition at all (empty, not JSON): the engine fails when it picks it. */
  unreadable?: string;
  /** It sits in a folder the engine picks bugs from. */
  inEngineFolder?: boolean;
}

/**
 * A JSON where outputs go that no patch produces: a warning, explained. Deleting it is advised
 * only for a generated JSON whose patch is gone; a hand-written one, or one whose patch sits in
 * the same folder, is a bug the engine serves.
 */
export function orphanFinding(file: string, facts: OrphanFacts): Finding {
  const json = relativeToRoot(facts, file);
  const about = { kind: 'orphan' as const, severity: 'warning' as const, file: json };
  if (facts.patchBeside) {
    return {
      ...about,
      message: `${json} has its patch ${facts.patchBeside} in the same folder, but that patch is not among the bugs (the config's \`bugs\` globs or \`ignore\` leave it out), so nothing checks this JSON against it`,
      fix: `add ${facts.patchBeside} to \`bugs\` in the config (or take it out of \`ignore\`)`,
    };
  }
  if (facts.unreadable !== undefined && facts.inEngineFolder) {
    return {
      ...about,
      message: `${json} is ${facts.unreadable}, and it sits where the engine picks bugs: when the engine picks it, the student's harden stage fails`,
      fix: `write the definition into ${json}, or remove it: ${facts.tracked ? 'git rm' : 'rm'} ${shellQuote(json)}`,
    };
  }
  if (facts.handWritten) {
    return {
      ...about,
      message: `${json} is a hand-written bug with no patch: the engine serves it as it is, and bug-author has no patch to verify it against`,
      fix: `nothing to do if that is intended; to have it verified, write the bug as a diff of the reference beside it (${json.replace(/\.json$/, '.patch')})`,
    };
  }
  return {
    ...about,
    message: `${json} is not the output of any patch (its patch was renamed or deleted?)`,
    fix: `${facts.tracked ? 'git rm' : 'rm'} ${shellQuote(json)}, or restore its patch`,
  };
}

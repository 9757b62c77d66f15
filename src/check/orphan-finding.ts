import { relativeToRoot } from '../discover/bug-ref.js';
import { describeEnginePick, moveOutOfBugsFolder, type EnginePickFacts } from './engine-pick-finding.js';
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
  /** What the engine does when it picks it (it sits in a folder the engine picks bugs from). */
  picked?: EnginePickFacts;
  /** A scratch name (`*_draft*.json`, `*_v2.json`): never an output, never checked. */
  scratch?: boolean;
  /** It carries bug-author's near-miss draft stamp (`metadata.draft`): build moves it to .bug-author/drafts/. */
  ourDraft?: boolean;
}

/**
 * A JSON where outputs go that no patch produces: a warning, explained. Deleting it is advised
 * only for a generated JSON whose patch is gone; a hand-written one, or one whose patch sits in
 * the same folder, is a bug the engine serves. In a folder the engine picks bugs from, a scratch
 * file or one that is no bug definition at all is an error: the engine picks it as a bug.
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
  // The engine picks every *.json of its bugs folders: a file that is no bug definition there is an error.
  if (facts.picked && facts.scratch) {
    const move = moveOutOfBugsFolder(json, { ...facts.picked, tracked: facts.tracked });
    return {
      ...about,
      severity: 'error',
      message: `${json} has a scratch name bug-author never builds or checks, but it sits in ${facts.picked.folder}, where the engine picks bugs: ${describeEnginePick(json, 'json', facts.picked)}`,
      fix: facts.ourDraft ? `run bug-author build (it moves its own near-miss drafts to .bug-author/drafts/), or ${move}` : move,
    };
  }
  if (facts.picked?.loadProblem !== undefined) {
    return {
      ...about,
      severity: 'error',
      message: `${json} is no bug definition (${facts.picked.loadProblem}), but it sits in ${facts.picked.folder}, where the engine picks bugs: ${describeEnginePick(json, 'json', facts.picked)}`,
      fix: `${moveOutOfBugsFolder(json, { ...facts.picked, tracked: facts.tracked })}; or write the definition into it`,
    };
  }
  if (facts.handWritten) {
    const noSymptom = facts.picked && !facts.picked.symptomExists ? facts.picked.symptom : undefined;
    return {
      ...about,
      message: noSymptom
        ? `${json} is a hand-written bug with no patch, and the engine would refuse to serve it: it requires ${noSymptom} beside it, which does not exist`
        : `${json} is a hand-written bug with no patch: the engine serves it as it is, and bug-author has no patch to verify it against`,
      fix: noSymptom
        ? `write ${noSymptom} (what the student observes)`
        : `nothing to do if that is intended; to have it verified, write the bug as a diff of the reference beside it (${json.replace(/\.json$/, '.patch')})`,
    };
  }
  return {
    ...about,
    message: `${json} is not the output of any patch (its patch was renamed or deleted?)`,
    fix: `${facts.tracked ? 'git rm' : 'rm'} ${shellQuote(json)}, or restore its patch`,
  };
}

import path from 'node:path';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import type { InputError } from '../errors.js';
import type { FailureRecord } from '../cache/failure-record.js';
import { describeWrongVariants } from '../report/describe-transfer.js';
import type { TransferReport } from '../transfer/check-transfer.js';
import type { Verification } from '../verify/verify-definition.js';
import type { Finding } from './finding.js';
import { shellQuote } from './shell-quote.js';

/** The findings one bug can have, worded for its files; `staged` fixes end in `git add`. */
export function describeFindings(bug: BugRef, options: { root: string; staged: boolean }) {
  const rel = (file: string) => relativeToRoot(options, path.resolve(options.root, file));
  const patch = rel(bug.patchFile);
  const json = rel(bug.outputFile);
  const stage = options.staged ? ` && git add ${shellQuote(json)}` : '';
  const build = `bug-author build ${shellQuote(patch)}${stage}`;
  const rebuild = `bug-author build --force ${shellQuote(patch)}${stage}`;
  const byHand = `fix ${json} by hand, or replace it with a generated one: ${rebuild}`;
  const about = { bug: bug.id, file: json };
  const error = (kind: Finding['kind'], message: string, fix: string): Finding => ({ kind, severity: 'error', ...about, message, fix });
  const warning = (kind: Finding['kind'], message: string, fix: string): Finding => ({ kind, severity: 'warning', ...about, message, fix });
  const snippet = (v: Verification) => (v.snippet ? ' (snippet mode: no reference file, verified against the hunks alone)' : '');

  return {
    missing: (lastFailure?: FailureRecord) =>
      lastFailure
        ? {
            ...error(
              'missing',
              `${patch} has no JSON: the last build could not make one (${lastFailure.reason})`,
              `write ${json} by hand${lastFailure.draftFile ? ` (start from the draft ${lastFailure.draftFile})` : ''}, or set OPENAI_API_KEY and run: ${build}${lastFailure.inexpressible ? `; or, as v2.1 cannot express it, accept it as patch-only (in \`bug-author review\`, or add { patch: '${patch}', reason: '…' } to patchOnly in the config)` : ''}`,
            ),
            ...(lastFailure.inexpressible ? { inexpressible: { reason: lastFailure.reason } } : {}),
          }
        : error('missing', `${patch} has no JSON: ${json} does not exist${options.staged ? ' in the index' : ''}`, build),
    unstaged: () => error('untracked', `${json} exists but is not staged, so the commit would leave ${patch} without its JSON`, build),
    untracked: () => error('untracked', `${json} is not tracked by git`, `git add ${shellQuote(json)}`),
    stale: () =>
      error('stale', `${json} is stale: it was generated from another version of its patch, symptom or reference than the ${options.staged ? 'staged' : 'current'} one`, build),
    handEdited: () =>
      warning(
        'hand-edited',
        `${json} was edited by hand after it was generated, so it is now treated as hand-written (verified, never regenerated)`,
        `keep the edit: delete "bug_author" from its metadata; or discard it: ${rebuild}`,
      ),
    /** A hand-written JSON the engine would fail on, or misuse (e.g. Python code where it takes only a node path). */
    engineDialectErrors: (problems: string) =>
      error('schema-invalid', `${json} (hand-written) would make the engine fail or misbehave: ${problems}`, byHand),
    /** What a hand-written JSON lacks that the schema asks for but the engine never reads: a warning. */
    engineDialectWarnings: (problems: string) =>
      warning('engine-dialect', `${json} (hand-written) lacks what the v2.1 schema asks for but the engine never reads: ${problems}`, `nothing the engine needs; add them for reviewers, or replace it with a generated one: ${rebuild}`),
    notJson: (reason: string, text: string) => ({ ...error('schema-invalid', `${json} is ${reason}`, byHand), ...lineOf(text, reason) }),
    schemaInvalid: (problems: string, handWritten: boolean) =>
      error('schema-invalid', `${json} is not a valid v2.1 bug definition: ${problems}`, handWritten ? byHand : rebuild),
    differs: (v: Verification, label: string, handWritten: boolean): Finding => {
      const finding = handWritten
        ? warning('does-not-verify', `${json} (hand-written) injects, but the result is not the patched ${label}${snippet(v)}`, `review the diff; to replace it with a generated one: ${rebuild}`)
        : error('does-not-verify', `${json} injects, but the result is not the patched ${label}${snippet(v)}`, rebuild);
      return { ...finding, verdict: 'differs', ...(v.diff ? { detail: v.diff } : {}) };
    },
    doesNotVerify: (v: Verification, label: string, handWritten: boolean): Finding => {
      const what = v.verdict === 'no-match' ? 'matches nothing in' : 'fails on';
      // The engine judge could not run: nothing about the JSON to fix, and the verdict is not cached.
      const fix = v.engineFailed
        ? `fix the curriculum's engine or its environment (the next run asks it again), or turn the judge off with verify: { engine: 'off' } in the config`
        : handWritten
          ? byHand
          : rebuild;
      const finding = error('does-not-verify', `${json} ${what} ${label}: ${v.reason ?? v.verdict}${snippet(v)}`, fix);
      return { ...finding, ...(v.verdict !== 'exact' ? { verdict: v.verdict } : {}), ...(v.diff ? { detail: v.diff } : {}) };
    },
    /** Exact on the reference, silently wrong on a student-style variant: an error for generated JSON, a warning for the author's own. */
    doesNotTransfer: (transfer: TransferReport, handWritten: boolean): Finding => {
      const message = `${json}${handWritten ? ' (hand-written)' : ''} is exact on the reference but injects something else into student-style code: ${describeWrongVariants(transfer)}`;
      return handWritten
        ? warning('does-not-transfer', message, `make its patterns specific to the bug site (see \`bug-author try\`), or replace it with a generated one: ${rebuild}`)
        : error('does-not-transfer', message, rebuild);
    },
    patchOnlyBroken: (err: InputError): Finding => {
      const file = rel(err.file);
      return {
        ...error(
          'patch-only',
          `${file}${err.line ? `:${err.line}` : ''}: ${err.reason}`,
          `refresh the patch against the current reference (bug-author refresh-patch ${shellQuote(patch)}), re-author it, or restore the reference`,
        ),
        file,
        ...(err.line ? { line: err.line } : {}),
      };
    },
    patchOnlyWithJson: (): Finding =>
      error(
        'patch-only',
        `${patch} is patch-only, yet ${json} exists: the engine picks one of the two at random, and nothing verifies that JSON against the patch`,
        `${options.staged ? 'git rm' : 'delete'} ${shellQuote(json)}, or take ${patch} out of patchOnly to build and check its JSON`,
      ),
    patchOnlyOutsideBugsFolder: (engineDir: string): Finding => ({
      ...error(
        'patch-only',
        `${patch} is patch-only but sits outside ${rel(engineDir)}, the folder the engine picks bugs from, so it is never served`,
        `git mv ${shellQuote(patch)} ${shellQuote(rel(engineDir))}/`,
      ),
      file: patch,
    }),
    patchOnlyWithoutSymptom: (symptom: string): Finding => ({
      ...error('patch-only', `${patch} is patch-only but ${rel(symptom)} does not exist: the engine needs it to present the bug and stops without it`, `write ${rel(symptom)}`),
      file: patch,
    }),
    /** `noReference`: why its reference was not found (snippet mode), when it was not: refresh-patch then has nothing to rewrite it against. */
    stalePatch: (what: string, detail: string, noReference?: string): Finding => ({
      ...(noReference === undefined
        ? warning('stale-patch', `${patch}: patch is stale: ${what}; refresh it with \`bug-author refresh-patch\``, `bug-author refresh-patch ${shellQuote(patch)}${options.staged ? ` && git add ${shellQuote(patch)}` : ''}`)
        : warning(
            'stale-patch',
            `${patch}: patch is stale: ${what}; \`bug-author refresh-patch\` cannot rewrite it, as it has no reference to rewrite it against (${noReference})`,
            `correct ${patch} by hand (its @@ line counts), or make its reference findable (the patch header's path under sourceRoots)`,
          )),
      file: patch,
      detail,
    }),
    /** The engine would pick `picked` and stop, finding no `symptom` beside it (it knows no other place for one). */
    engineSymptomMissing: (picked: string, symptom: string, how: { readInstead?: string; unstaged: boolean }): Finding => {
      const create = rel(symptom);
      const add = options.staged ? ` && git add ${shellQuote(create)}` : '';
      const { readInstead, unstaged } = how;
      const elsewhere = readInstead ? `; bug-author read ${rel(readInstead)}, which the engine never looks at` : '';
      const fix = unstaged
        ? `git add ${shellQuote(create)}`
        : readInstead
          ? `cp ${shellQuote(rel(readInstead))} ${shellQuote(create)}${add}`
          : `write ${create} (what the student observes)${add}`;
      return {
        ...warning(
          'engine-pick',
          `${rel(picked)}: the engine would refuse to serve this bug: it requires ${create} beside it, which ${unstaged ? 'is not staged' : 'does not exist'} (it stops with "Symptom file missing for ${path.basename(picked)}")${elsewhere}`,
          fix,
        ),
        file: rel(picked),
      };
    },
    notVerified: (why: string) =>
      error('does-not-verify', `${json} could not be verified: ${why}`, `run the check again; if Python keeps failing, use pyodide: BUG_AUTHOR_PYTHON=pyodide bug-author check`),
    inputError: (err: InputError): Finding => {
      const file = rel(err.file);
      return {
        ...error(
          'input-error',
          `${file}${err.line ? `:${err.line}` : ''}: ${err.reason}`,
          // A patch that no longer applies is what refresh-patch repairs; fixing it by hand is the fallback.
          err.kind === 'does-not-apply' ? `bug-author refresh-patch ${shellQuote(file)} (drafts a repair for review), or fix ${file} by hand, then run: ${build}` : `fix ${file}, then run: ${build}`,
        ),
        file,
        ...(err.line ? { line: err.line } : {}),
      };
    },
  };
}

export type FindingWords = ReturnType<typeof describeFindings>;

/** The line of a JSON.parse error, from the line or position in its message (V8 gives one or the other, or neither). */
function lineOf(text: string, reason: string): { line?: number } {
  const line = /\bline (\d+)/.exec(reason);
  if (line) return { line: Number(line[1]) };
  const position = /position (\d+)/.exec(reason);
  return position ? { line: text.slice(0, Number(position[1])).split('\n').length } : {};
}

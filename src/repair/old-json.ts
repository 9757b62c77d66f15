import { copyFile, mkdir, rename, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { ContentCache } from '../cache/content-cache.js';
import { stateDir, type ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import { workingTreeFiles } from '../files/project-files.js';
import { readBugInputs } from '../inputs/read-bug-inputs.js';
import { readExistingOutput } from '../outputs/existing-output.js';
import { PythonWorkerError } from '../python/python-errors.js';
import type { PythonRuntime } from '../python/runtime.js';
import { describeWrongVariants } from '../report/describe-transfer.js';
import type { VariantSource } from '../transfer/student-variants.js';
import { verifyHandWritten, verifyTargetOf } from '../verify/cached-verdict.js';
import type { EngineJudge } from '../verify/engine-judge.js';
import type { Verification } from '../verify/verify-definition.js';
import { withDraftPatch } from './verify-draft.js';

/** What verifying a bug's JSON the way build does needs (Python starts only when it is used). */
export interface VerifySources {
  python: PythonRuntime;
  variants: VariantSource;
  judge?: EngineJudge | undefined;
  cache: ContentCache;
}

/** What becomes of the JSON beside a patch when a draft replaces that patch. */
export type OldJson =
  /** No JSON, or a generated one: build sees it stale and settles it. */
  | { state: 'none' }
  /** Hand-written, and it injects the accepted patch exactly without a wrong transfer. */
  | { state: 'kept'; file: string; verification: Verification }
  /** Hand-written for the old patch; `why` is its verdict against the accepted one. */
  | { state: 'retire'; file: string; why: string }
  /** It could not be judged (Python or the engine failed, it lies outside the project): nothing may change. */
  | { state: 'unjudged'; file: string; reason: string };

/**
 * Judges the JSON beside `bug`'s patch against the draft that is about to replace the patch,
 * with the verification build uses (the engine dialect, transfer measured). A hand-written JSON
 * is kept only when it still injects the draft exactly and never something else into
 * student-style code; any other is to be retired.
 */
export async function judgeOldJson(bug: BugRef, draftText: string, config: ResolvedConfig, sources: VerifySources): Promise<OldJson> {
  const existing = await readExistingOutput(bug.outputFile);
  if (existing.state === 'missing' || existing.state === 'generated') return { state: 'none' };
  const file = bug.outputFile;
  if (isOutside(config, file)) return { state: 'unjudged', file, reason: `it lies outside the project, so it has no place under ${retiredLabel(config)}; move it away by hand` };
  if (existing.state === 'unreadable') return { state: 'retire', file, why: `it is ${existing.reason}` };
  let verification: Verification;
  try {
    const inputs = await readBugInputs(bug, config, withDraftPatch(workingTreeFiles, bug.patchFile, draftText));
    verification = await verifyHandWritten(existing.definition, verifyTargetOf(inputs, config, sources), sources.python, sources.cache);
  } catch (err) {
    if (err instanceof InputError) return { state: 'unjudged', file, reason: `it could not be verified against the draft: ${err.reason}` };
    if (err instanceof PythonWorkerError) return { state: 'unjudged', file, reason: `it could not be verified: Python failed: ${err.message}` };
    throw err;
  }
  if (verification.engineFailed) return { state: 'unjudged', file, reason: `it could not be verified: ${verification.reason ?? 'the engine could not run'}` };
  if (verification.verdict === 'exact' && verification.transfer?.worst !== 'wrong') return { state: 'kept', file, verification };
  return { state: 'retire', file, why: describeVerdict(verification) };
}

function describeVerdict(v: Verification): string {
  if (v.verdict === 'exact') return `exact, but it injects something else into student-style code: ${describeWrongVariants(v.transfer)}`;
  return `${v.verdict}${v.reason ? `: ${v.reason}` : ''}`;
}

/** `.bug-author/retired/`, where retired JSON goes, mirroring its path in the project. */
export function retiredDir(root: string): string {
  return path.join(stateDir(root), 'retired');
}

function retiredLabel(config: ResolvedConfig): string {
  return `${relativeToRoot(config, retiredDir(config.root))}/`;
}

function isOutside(config: ResolvedConfig, file: string): boolean {
  const relative = path.relative(config.root, file);
  return relative.startsWith('..') || path.isAbsolute(relative);
}

/**
 * Moves a JSON out of the engine's bugs folder to `.bug-author/retired/<its path>` (never over an
 * earlier retired copy: `<name>.2.json`, …) and returns where it went.
 */
export async function retireJson(config: ResolvedConfig, file: string): Promise<string> {
  const mirrored = path.join(retiredDir(config.root), path.relative(config.root, file));
  const { dir, name, ext } = path.parse(mirrored);
  let to = mirrored;
  for (let n = 2; await exists(to); n++) to = path.join(dir, `${name}.${n}${ext}`);
  await mkdir(dir, { recursive: true });
  await moveFile(file, to);
  return to;
}

/** Puts a retired JSON back where it was (the accept it belonged to failed). */
export function restoreJson(file: string, retiredTo: string): Promise<void> {
  return moveFile(retiredTo, file);
}

async function moveFile(from: string, to: string): Promise<void> {
  try {
    await rename(from, to);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EXDEV') throw err;
    await copyFile(from, to);
    await rm(from);
  }
}

function exists(file: string): Promise<boolean> {
  return stat(file).then(
    () => true,
    () => false,
  );
}

import { createTwoFilesPatch } from 'diff';
import pLimit from 'p-limit';
import { PythonWorkerError } from '../python/python-errors.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { InjectResult } from '../injector/inject.js';
import { createContentCache, type ContentCache } from '../cache/content-cache.js';
import { describeChoice, interpreterFor } from '../python/python-choice.js';
import { unservedInterpreters } from './unserved-interpreters.js';
import type { PythonRuntime } from '../python/runtime.js';
import { sameProgram } from '../python/same-program.js';
import { locateEngine, type EngineLocation } from './engine-location.js';

/**
 * The engine's answer for one injection, compared with the built-in injector's. `ok` is false
 * when the two disagree or the engine could not run: verification then fails with `reason`.
 */
export type Judgement =
  | { ok: true; verdict: 'agree'; judgedBy: string; engine: InjectResult }
  /** The engine needs CPython, and Python here is pyodide: nothing was judged. */
  | { ok: true; verdict: 'skipped'; reason: string }
  /** The engine hung once this run and was switched off: judged by the built-in injector alone (not cross-checked). */
  | { ok: true; verdict: 'off'; reason: string }
  | { ok: false; verdict: 'disagree'; judgedBy: string; engine: InjectResult; reason: string; diff?: string }
  | { ok: false; verdict: 'engine-error'; judgedBy: string; reason: string };

export interface EngineJudge {
  readonly location: EngineLocation;
  /**
   * Injects `definition` into `source` with the engine (in `python`'s CPython worker) and compares
   * the result with `ours`, the built-in injector's result for the same definition and source.
   */
  judge(definition: unknown, source: string, ours: InjectResult, python: PythonRuntime): Promise<Judgement>;
  /** What this judge has seen so far (for --verbose). */
  readonly counts: Readonly<Record<Judgement['verdict'], number>>;
  /** Why the judge was switched off for the rest of the run (the engine hung), once it was. */
  switchedOff(): string | undefined;
}

/** A project's engine judge, or why it has none. */
export type EngineSetup = { judge: EngineJudge } | { none: string };

/**
 * The judge for a project: its engine (found under the root, or `verify.engine`) run by CPython.
 * Known up front not to be CPython (pyodide asked for, no interpreter found, or one that could
 * not serve when last started and has not changed since) means no judge: deciding that must not
 * need Python, or every check would start it to learn it again.
 */
export async function setUpEngineJudge(config: ResolvedConfig, python: PythonRuntime, cache: ContentCache = createContentCache(config.cacheDir)): Promise<EngineSetup> {
  const location = await locateEngine(config);
  if ('none' in location) return location;
  const interpreter = interpreterFor(python.choice);
  if (!interpreter) return { none: `${location.label} needs CPython, and ${describeChoice(python.choice)} asks for pyodide` };
  if ('unavailable' in interpreter) return { none: `${location.label} needs CPython: ${interpreter.unavailable}` };
  const unserved = unservedInterpreters(cache);
  const reason = await unserved.reason(interpreter.executable);
  if (reason) return { none: `${location.label} needs CPython, and ${interpreter.executable}: ${reason} (when last started; tried again once it changes)` };
  return { judge: createEngineJudge(location) };
}

interface EngineAnswer {
  loaded: boolean;
  error?: string;
  raised?: string;
  ok?: boolean;
  output?: string;
  /** Stopped after this many seconds. */
  timedOut?: number;
}

/** How long the engine may take over one injection (milliseconds, normally). */
export const ENGINE_TIMEOUT_SECONDS = 10;

/** The curriculum's own engine as a second judge, run by the CPython worker (bridge.py `engine_inject`). */
export interface EngineJudgeOptions {
  timeoutSeconds?: number;
}

/**
 * An engine that hangs once (past its time limit, or killed with its worker because it would not
 * stop) is switched off for the rest of the run: every later judgement is `off` at once, and the
 * definitions are judged by the built-in injector alone (not cross-checked), never failed for the
 * engine's fault. The engine's calls are sent one at a time, so none is left queued in the worker
 * behind a hung one.
 */
export function createEngineJudge(location: EngineLocation, options: EngineJudgeOptions = {}): EngineJudge {
  const timeoutSeconds = options.timeoutSeconds ?? ENGINE_TIMEOUT_SECONDS;
  const counts = { agree: 0, skipped: 0, off: 0, disagree: 0, 'engine-error': 0 };
  const counted = (judgement: Judgement): Judgement => {
    counts[judgement.verdict]++;
    return judgement;
  };
  const oneAtATime = pLimit(1);
  let off: string | undefined;
  const switchOff = (why: string): Judgement => {
    off ??= `the engine's injector (${location.label}) ${why}, so the engine judge was switched off for the rest of this run: definitions are verified by bug-author's own injector alone (not cross-checked); fix the engine, or set verify.engine: 'off'`;
    return counted({ ok: true, verdict: 'off', reason: off });
  };
  return {
    location,
    counts,
    switchedOff: () => off,
    async judge(definition, source, ours, python) {
      if (off) return counted({ ok: true, verdict: 'off', reason: off });
      const bridge = await python.bridge();
      const backend = python.backend;
      if (backend?.kind !== 'cpython') {
        const why = backend?.fallbackReason ? ` (${backend.fallbackReason})` : '';
        return counted({ ok: true, verdict: 'skipped', reason: `the engine judge needs CPython, and Python here is pyodide${why}` });
      }
      return oneAtATime(async () => {
        if (off) return counted({ ok: true, verdict: 'off', reason: off });
        let answer: EngineAnswer;
        try {
          answer = JSON.parse(await bridge.engineInject(location.root, location.id, JSON.stringify(definition), source, timeoutSeconds)) as EngineAnswer;
        } catch (err) {
          // Past its deadline the worker is killed with everything it started: the engine would not even stop.
          if (err instanceof PythonWorkerError && /did not finish within/.test(err.message)) return switchOff(`did not stop ${timeoutSeconds} s into an injection (its worker was killed)`);
          throw err;
        }
        const judgedBy = location.id;
        if (answer.timedOut !== undefined) return switchOff(`was stopped after ${answer.timedOut} s ${answer.loaded ? 'injecting' : 'loading'} a definition (does it loop?)`);
        if (!answer.loaded) {
          const reason = `the engine's injector (${location.label}) could not be loaded: ${answer.error}; fix it, or set verify.engine: 'off' to verify without it`;
          return counted({ ok: false, verdict: 'engine-error', judgedBy, reason });
        }
        const engine: InjectResult = answer.raised !== undefined ? { ok: false, output: null, error: answer.raised } : { ok: answer.ok === true, output: answer.output ?? null };
        if (await sameResult(python, ours, engine)) return counted({ ok: true, verdict: 'agree', judgedBy, engine });
        const diff =
          ours.output !== null && engine.output !== null && ours.output !== engine.output
            ? createTwoFilesPatch('built-in injector', `engine (${location.label})`, withNewline(ours.output), withNewline(engine.output), '', '', { context: 2 })
            : undefined;
        const reason =
          `the engine's injector (${location.label}) and bug-author's built-in one disagree: ${describeBoth(ours, engine)}. ` +
          `The engine changed, and bug-author's injector must follow it (verify.engine: 'off' turns this check off)`;
        return counted({ ok: false, verdict: 'disagree', judgedBy, engine, reason, ...(diff ? { diff } : {}) });
      });
    },
  };
}

/** The same exception class, or the same flag and the same program. */
async function sameResult(python: PythonRuntime, ours: InjectResult, engine: InjectResult): Promise<boolean> {
  if (ours.error !== undefined || engine.error !== undefined) return exceptionClass(ours.error) === exceptionClass(engine.error);
  if (ours.ok !== engine.ok) return false;
  return sameProgram(python, ours.output ?? '', engine.output ?? '');
}

function exceptionClass(error: string | undefined): string | undefined {
  return error?.split(':')[0]?.trim();
}

function describeBoth(ours: InjectResult, engine: InjectResult): string {
  const both = `built-in ${describe(ours)}; engine ${describe(engine)}`;
  if (!ours.ok || !engine.ok || ours.output === null || engine.output === null) return both;
  const a = ours.output.split('\n');
  const b = engine.output.split('\n');
  const line = a.findIndex((text, i) => text !== b[i]);
  const at = line === -1 ? a.length : line;
  return `${both}; first difference at line ${at + 1}: built-in \`${clip(a[at])}\`, engine \`${clip(b[at])}\``;
}

function describe(result: InjectResult): string {
  if (result.error !== undefined) return `raised ${result.error}`;
  if (!result.ok) return 'injected nothing (ok=False)';
  return `injected ${result.output?.split('\n').length ?? 0} lines (ok=True)`;
}

function clip(text: string | undefined): string {
  if (text === undefined) return '(end of output)';
  const trimmed = text.trim();
  return trimmed.length > 70 ? `${trimmed.slice(0, 69)}…` : trimmed;
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

import type { ContentCache } from '../cache/content-cache.js';
import { contentHash } from '../cache/hash.js';
import type { GeneratorPlugin, GeneratorResult, GoldenExample } from '../generate/generator.js';
import { packageVersion } from '../package-root.js';
import { validateDefinition } from '../schema/validate-definition.js';

const NAMESPACE = 'results';

/**
 * A generator's result for exact inputs, keyed by the generator's own settings too, and by the
 * engine that judged its candidates (a failure an engine caused does not outlive a fix of it).
 */
export function resultKey(generator: GeneratorPlugin, goldenExamples: readonly GoldenExample[], inputHash: string, judgeId?: string): string {
  return contentHash('generate', packageVersion, generator.name, generator.settingsKey?.(goldenExamples) ?? '', inputHash, judgeId ?? 'no-judge');
}

/**
 * A cached result, or undefined when there is none or it does not hold up: nothing from the
 * cache is trusted that a fresh result could not be (a definition must pass the schema; the
 * caller still verifies it before writing).
 */
export async function readCachedResult(cache: ContentCache, key: string): Promise<GeneratorResult | undefined> {
  const entry = await cache.get<GeneratorResult>(NAMESPACE, key).catch(() => undefined);
  if (!entry || typeof entry !== 'object') return undefined;
  switch (entry.status) {
    case 'generated':
      return entry.definition && validateDefinition(entry.definition).valid ? entry : undefined;
    case 'unsupported':
      return typeof entry.reason === 'string' ? entry : undefined;
    case 'failed': {
      if (typeof entry.reason !== 'string' || entry.fatal || entry.retryable) return undefined;
      const draftOk = !entry.draft || validateDefinition(entry.draft.definition).valid;
      if (draftOk) return entry;
      const { draft: _draft, ...withoutDraft } = entry;
      return withoutDraft;
    }
    default:
      return undefined;
  }
}

/** Whether a result may be reused by a later run: passing failures (the server's, a timeout, a throw) are tried again. */
export function isCacheable(result: GeneratorResult, cancelled: boolean): boolean {
  return !cancelled && !(result.status === 'failed' && (result.fatal || result.retryable || result.stack));
}

/** Stores what a later run may reuse: not the spending of this call (a cached answer costs nothing), nor the injector's output. */
export async function storeResult(cache: ContentCache, key: string, result: GeneratorResult): Promise<void> {
  const { usage: _usage, ...reusable } = result;
  const stored = reusable.status === 'generated' ? { ...reusable, verification: withoutOutput(reusable.verification) } : reusable;
  await cache.put(NAMESPACE, key, stored);
}

function withoutOutput<T extends { output?: string }>(verification: T): Omit<T, 'output'> {
  const { output: _output, ...rest } = verification;
  return rest;
}

const RETRIES = 'retries';

/**
 * A failure that is not final (the generator may do better next time: an unreadable LLM answer,
 * a timeout, a server error) is not cached as the result; only why it failed is kept, so the
 * next run, which asks again, can say so.
 */
export async function storeRetryNote(cache: ContentCache, key: string, reason: string): Promise<void> {
  await cache.put(RETRIES, key, { reason });
}

/** Why the last run's attempt failed, when it is being tried again. */
export async function readRetryNote(cache: ContentCache, key: string): Promise<string | undefined> {
  const entry = await cache.get<{ reason?: unknown }>(RETRIES, key).catch(() => undefined);
  return typeof entry?.reason === 'string' ? entry.reason : undefined;
}

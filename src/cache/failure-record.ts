import type { ContentCache } from './content-cache.js';

/** Why the last build of these exact inputs produced no JSON, kept so `check` can say what really fixes it. */
export interface FailureRecord {
  reason: string;
  /** Only an author (or the LLM generator) can make it: rebuilding alone will not. */
  needsAuthoring: boolean;
  draftFile?: string;
  /** A generator said v2.1 cannot express the edit: accepting the bug as patch-only is the way out. */
  inexpressible?: boolean;
}

const NAMESPACE = 'failures';

export function recordBuildFailure(cache: ContentCache, inputHash: string, record: FailureRecord): Promise<void> {
  return cache.put(NAMESPACE, inputHash, record);
}

export async function lastBuildFailure(cache: ContentCache, inputHash: string): Promise<FailureRecord | undefined> {
  const record = await cache.get<FailureRecord>(NAMESPACE, inputHash);
  return record && typeof record.reason === 'string' ? record : undefined;
}

import { contentHash, stableStringify } from '../cache/hash.js';
import type { ContentCache } from '../cache/content-cache.js';
import { packageVersion } from '../package-root.js';
import type { PythonRuntime } from '../python/runtime.js';
import { verifyDefinition, type Verification, type VerifyTarget } from './verify-definition.js';

/** Bumped whenever injector or verifier behaviour changes, so cached verdicts are not trusted across versions. */
export const INJECTOR_VERSION = `2.1/${packageVersion}/3`;

export function verdictKey(definition: unknown, reference: string, patched: string): string {
  return contentHash('verdict', INJECTOR_VERSION, stableStringify(definition), reference, patched);
}

/** verifyDefinition, remembered by the hash of (definition, reference, patched, injector version). */
export async function verifyWithCache(
  definition: unknown,
  target: VerifyTarget,
  python: PythonRuntime,
  cache: ContentCache,
): Promise<Verification & { cached: boolean }> {
  const key = verdictKey(definition, target.reference, target.patched);
  const hit = await cache.get<Verification>('verdicts', key);
  if (hit && typeof hit.verdict === 'string') return { ...hit, cached: true };
  const fresh = await verifyDefinition(definition, target, python);
  const { output: _output, ...remembered } = fresh;
  await cache.put('verdicts', key, remembered);
  return { ...fresh, cached: false };
}

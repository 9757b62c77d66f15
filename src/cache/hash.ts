import { createHash } from 'node:crypto';

/** sha256 of the parts, each length-prefixed so that ("ab","c") and ("a","bc") differ. */
export function contentHash(...parts: (string | Uint8Array)[]): string {
  const hash = createHash('sha256');
  for (const part of parts) {
    const bytes = typeof part === 'string' ? Buffer.from(part, 'utf8') : part;
    hash.update(`${bytes.length}:`);
    hash.update(bytes);
  }
  return hash.digest('hex');
}

/**
 * Stable JSON (sorted keys) for hashing structured values: the text `JSON.stringify` gives for
 * the value with every object's keys sorted (and so, as for any object, integer-like keys first
 * in numeric order). Written out directly: a warm `check` hashes every definition, and rebuilding
 * each object sorted before stringifying it was most of its time.
 */
export function stableStringify(value: unknown): string {
  return stableText(value) ?? 'null';
}

/** The text of a value; undefined where JSON leaves the value out (undefined, a function, a symbol). */
function stableText(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      break;
    case 'bigint':
      return JSON.stringify(value); // throws, as JSON.stringify does
    default:
      return undefined;
  }
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return stableText((value as { toJSON: (key: string) => unknown }).toJSON(''));
  if (Array.isArray(value)) {
    let text = '[';
    for (let i = 0; i < value.length; i++) text += `${i > 0 ? ',' : ''}${stableText(value[i]) ?? 'null'}`;
    return `${text}]`;
  }
  const record = value as Record<string, unknown>;
  let text = '{';
  for (const key of sortedKeys(record)) {
    const item = stableText(record[key]);
    if (item === undefined) continue;
    text += `${text.length > 1 ? ',' : ''}${JSON.stringify(key)}:${item}`;
  }
  return `${text}}`;
}

/** The keys sorted, then in the order an object built from them enumerates them (array indices first, ascending). */
function sortedKeys(record: Record<string, unknown>): string[] {
  const keys = Object.keys(record).sort();
  const indices = keys.filter(isArrayIndex);
  if (indices.length === 0) return keys;
  return [...indices.sort((a, b) => Number(a) - Number(b)), ...keys.filter((k) => !isArrayIndex(k))];
}

function isArrayIndex(key: string): boolean {
  return /^(0|[1-9][0-9]*)$/.test(key) && Number(key) < 4294967295;
}

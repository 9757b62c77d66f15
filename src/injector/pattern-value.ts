import { isScalar, type PyValue } from '../python/tree.js';

/**
 * The JSON value a pattern must hold to equal this Python value under the engine's `==`
 * (strings, None, booleans, ints in the safe range, finite floats); undefined when JSON
 * cannot state it exactly (big ints, nan/inf, complex, bytes, nodes, lists).
 */
export function patternValueOf(value: PyValue): { value: unknown } | undefined {
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return { value };
  if (!isScalar(value)) return undefined;
  if (value.$py === 'int') {
    const n = BigInt(value.v);
    return n <= BigInt(Number.MAX_SAFE_INTEGER) && n >= BigInt(Number.MIN_SAFE_INTEGER) ? { value: Number(n) } : undefined;
  }
  if (value.$py === 'float') {
    const n = Number(value.v);
    return Number.isFinite(n) ? { value: n } : undefined;
  }
  return undefined;
}

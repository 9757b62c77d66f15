import { timingSafeEqual } from 'node:crypto';

/** The header a page sends its token in; state changes are accepted only with it (a cookie or URL alone never does). */
export const TOKEN_HEADER = 'x-review-token';

export type Refusal = { status: 401 | 403; reason: string };

/**
 * A request reaches the studio only when addressed to the loopback address it listens on (not a
 * DNS name that happens to resolve there: DNS rebinding) and carrying the token. Reads take it
 * from the header or the `token` query parameter (links, `<script src>`, EventSource); state
 * changes only from the header, and not from another origin.
 */
export function refusal(request: { method: string; url: URL; host: string | undefined; origin: string | undefined; headerToken: string | undefined }, expected: { token: string; port: number }): Refusal | undefined {
  const allowedHosts = new Set([`127.0.0.1:${expected.port}`, `localhost:${expected.port}`]);
  if (!request.host || !allowedHosts.has(request.host.toLowerCase())) return { status: 403, reason: 'this page answers only at its loopback address' };
  const changesState = request.method !== 'GET' && request.method !== 'HEAD';
  if (changesState && request.origin !== undefined && !allowedHosts.has(request.origin.replace(/^http:\/\//, '').toLowerCase())) {
    return { status: 403, reason: 'requests from another origin are refused' };
  }
  const given = changesState ? request.headerToken : (request.headerToken ?? request.url.searchParams.get('token') ?? undefined);
  if (given === undefined || given === '') return { status: 401, reason: changesState ? `the token is required in the ${TOKEN_HEADER} header` : 'the token is required: open the URL bug-author printed' };
  if (!sameToken(given, expected.token)) return { status: 403, reason: 'wrong token' };
  return undefined;
}

function sameToken(given: string, token: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

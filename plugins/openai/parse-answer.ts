/** Answers longer than this are not parsed: a bug definition is a few kilobytes at most. */
export const MAX_ANSWER_CHARS = 200_000;

export type ParsedAnswer = { ok: true; value: Record<string, unknown> } | { ok: false; error: string };

/**
 * Reads a model answer defensively: tolerates ``` fences, prose around the JSON and trailing
 * text, taking the first balanced JSON object. A definition wrapped in a single key
 * (`{"bug_definition": {...}}`) is unwrapped.
 */
export function parseAnswer(text: string | null | undefined, options: { totalChars?: number } = {}): ParsedAnswer {
  const total = options.totalChars ?? text?.length ?? 0;
  if (total > MAX_ANSWER_CHARS) {
    return { ok: false, error: `the answer was ${total} characters long; a bug definition is a single JSON object of a few kilobytes` };
  }
  if (!text || !text.trim()) return { ok: false, error: 'the answer was empty' };
  const body = stripFences(text);
  const start = body.indexOf('{');
  if (start < 0) return { ok: false, error: 'the answer contains no JSON object (no "{" found)' };
  const end = balancedEnd(body, start);
  if (end < 0) return { ok: false, error: 'the JSON object is not closed (unbalanced braces or an unterminated string)' };
  let value: unknown;
  try {
    value = JSON.parse(body.slice(start, end + 1));
  } catch (err) {
    return { ok: false, error: `invalid JSON: ${(err as Error).message}` };
  }
  return { ok: true, value: unwrap(value as Record<string, unknown>) };
}

function stripFences(text: string): string {
  const fenced = /```[a-zA-Z0-9_-]*\s*\n([\s\S]*?)```/.exec(text);
  return fenced && fenced[1]!.includes('{') ? fenced[1]! : text;
}

/** Index of the brace closing the object opened at `start`, honouring strings and escapes; -1 if none. */
function balancedEnd(text: string, start: number): number {
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{') depth++;
    else if (c === '}' && --depth === 0) return i;
  }
  return -1;
}

function unwrap(value: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(value);
  if (!('logic' in value) && keys.length === 1) {
    const inner = value[keys[0]!];
    if (inner && typeof inner === 'object' && !Array.isArray(inner) && 'logic' in inner) return inner as Record<string, unknown>;
  }
  return value;
}

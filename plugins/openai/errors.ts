/** The API key was rejected (401/403): all LLM work of the plugin instance stops. */
export class FatalLLMError extends Error {
  override readonly name = 'FatalLLMError';
}

/** The run's AbortSignal fired. */
export class CancelledError extends Error {
  override readonly name = 'CancelledError';
  constructor() {
    super('cancelled');
  }
}

/** A request failed for good (after the SDK's own retries): timeout, connection, 429/5xx, other 4xx. */
export class RequestFailedError extends Error {
  override readonly name = 'RequestFailedError';
  /** A passing condition (timeout, connection, 429, 5xx) rather than a request the server will always refuse. */
  readonly transient: boolean;
  constructor(message: string, options: { transient: boolean }) {
    super(message);
    this.transient = options.transient;
  }
}

/** The server answered 200 but the body was not a readable chat completion; the attempt counts as a bad answer. */
export class UnreadableResponseError extends Error {
  override readonly name = 'UnreadableResponseError';
}

/** The server rejected `response_format: json_schema` (400): the caller falls back to json_object. */
export class StructuredOutputUnsupportedError extends Error {
  override readonly name = 'StructuredOutputUnsupportedError';
}

const KEY_LIKE = /\b(sk-[A-Za-z0-9_*-]{6,}|Bearer\s+\S+)/g;

/** Removes the API key (and anything shaped like one) from text we show or store. */
export function redact(text: string, apiKey: string | undefined): string {
  let out = text;
  if (apiKey) out = out.split(apiKey).join('[redacted]');
  return out.replace(KEY_LIKE, '[redacted]');
}

import OpenAI, {
  APIConnectionError,
  APIConnectionTimeoutError,
  APIError,
  APIUserAbortError,
  AuthenticationError,
  BadRequestError,
  PermissionDeniedError,
} from 'openai';
import type { ChatCompletionCreateParamsNonStreaming } from 'openai/resources/chat/completions';
import { AsyncLocalStorage } from 'node:async_hooks';
import { CancelledError, FatalLLMError, RequestFailedError, StructuredOutputUnsupportedError, UnreadableResponseError, redact } from './errors.js';
import { untilAborted } from '../../src/plugin-kit.js';
import { MAX_ANSWER_CHARS } from './parse-answer.js';

export type ChatRequest = ChatCompletionCreateParamsNonStreaming;

/** What we keep of a completion (and cache). */
export interface ChatAnswer {
  /** The message content; only a prefix when the answer was larger than MAX_ANSWER_CHARS. */
  content: string;
  totalChars: number;
  finishReason?: string;
  refusal?: string;
  promptTokens: number;
  completionTokens: number;
}

export interface ClientSettings {
  apiKey: string;
  baseURL?: string;
  timeoutMs: number;
  maxRetries: number;
}

export interface ChatClient {
  /**
   * Throws FatalLLMError, CancelledError, RequestFailedError, UnreadableResponseError or
   * StructuredOutputUnsupportedError. `onRequest` is called for every HTTP request sent,
   * the SDK's own retries included.
   */
  complete(request: ChatRequest, signal: AbortSignal, onRequest?: () => void): Promise<ChatAnswer>;
}

const KEPT_PREFIX_CHARS = 2_000;

export function createChatClient(settings: ClientSettings): ChatClient {
  // The SDK retries inside one create() call; its fetch runs in that call's async context.
  const requestCounter = new AsyncLocalStorage<() => void>();
  const countingFetch: typeof fetch = (input, init) => {
    requestCounter.getStore()?.();
    return fetch(input, init);
  };
  const sdk = new OpenAI({
    fetch: countingFetch,
    apiKey: settings.apiKey,
    ...(settings.baseURL ? { baseURL: settings.baseURL } : {}),
    timeout: settings.timeoutMs,
    maxRetries: settings.maxRetries,
    // The CLI prints one line per bug; SDK retry chatter would interleave with it.
    logLevel: 'off',
  });
  const tries = settings.maxRetries + 1;
  return {
    async complete(request, signal, onRequest = () => {}) {
      if (signal.aborted) throw abortReason(signal);
      let completion: unknown;
      try {
        // The SDK's retry back-off sleep does not watch the signal; the race returns as soon as it fires.
        completion = await untilAborted(requestCounter.run(onRequest, () => sdk.chat.completions.create(request, { signal })), signal, abortReason);
      } catch (err) {
        throw mapError(err, signal, settings, tries);
      }
      return readCompletion(completion);
    },
  };
}

function readCompletion(completion: unknown): ChatAnswer {
  if (typeof completion !== 'object' || completion === null || !Array.isArray((completion as { choices?: unknown }).choices)) {
    const text = typeof completion === 'string' ? completion : JSON.stringify(completion) ?? '';
    throw new UnreadableResponseError(`the server's response is not a chat completion (${text.length} characters, starting ${JSON.stringify(text.slice(0, 80))})`);
  }
  const c = completion as OpenAI.Chat.Completions.ChatCompletion;
  const choice = c.choices[0];
  const content = choice?.message?.content ?? '';
  return {
    content: content.length > MAX_ANSWER_CHARS ? content.slice(0, KEPT_PREFIX_CHARS) : content,
    totalChars: content.length,
    ...(choice?.finish_reason ? { finishReason: choice.finish_reason } : {}),
    ...(choice?.message?.refusal ? { refusal: choice.message.refusal } : {}),
    promptTokens: c.usage?.prompt_tokens ?? 0,
    completionTokens: c.usage?.completion_tokens ?? 0,
  };
}

function mapError(err: unknown, signal: AbortSignal, settings: ClientSettings, tries: number): Error {
  if (err instanceof FatalLLMError || err instanceof CancelledError) return err;
  if (signal.aborted || err instanceof APIUserAbortError) return abortReason(signal);
  if (err instanceof AuthenticationError || err instanceof PermissionDeniedError) {
    return new FatalLLMError(`OpenAI rejected the API key (${err.status}): LLM generation stopped`);
  }
  const clean = (text: string) => redact(text, settings.apiKey);
  if (err instanceof BadRequestError && isStructuredOutputRejection(err)) {
    return new StructuredOutputUnsupportedError(clean(err.message));
  }
  const after = tries > 1 ? ` (after ${tries} tries)` : '';
  if (err instanceof APIConnectionTimeoutError) {
    return new RequestFailedError(`OpenAI request timed out after ${settings.timeoutMs} ms${after}`, { transient: true });
  }
  if (err instanceof APIConnectionError) {
    return new RequestFailedError(clean(`cannot reach the OpenAI API${settings.baseURL ? ` at ${settings.baseURL}` : ''}${after}: ${causeOf(err)}`), { transient: true });
  }
  if (err instanceof APIError) {
    const transient = err.status === 408 || err.status === 409 || err.status === 429 || (err.status ?? 0) >= 500;
    return new RequestFailedError(clean(`OpenAI request failed${transient ? after : ''}: ${err.message}`), { transient });
  }
  // The SDK parses JSON bodies itself: a 200 with a non-JSON body surfaces as a SyntaxError.
  if (err instanceof SyntaxError) return new UnreadableResponseError(`the server's response is not valid JSON (${clean(err.message).slice(0, 200)})`);
  return new RequestFailedError(clean(`OpenAI request failed: ${err instanceof Error ? err.message : String(err)}`), { transient: true });
}

function causeOf(err: APIConnectionError): string {
  const cause = (err as { cause?: unknown }).cause;
  if (cause instanceof Error) {
    const code = (cause as { code?: string }).code ?? (cause.cause as { code?: string } | undefined)?.code;
    return code ? `${cause.message} (${code})` : cause.message;
  }
  return err.message;
}

function isStructuredOutputRejection(err: BadRequestError): boolean {
  const text = `${err.message} ${err.param ?? ''} ${err.code ?? ''}`;
  return /response_format|json_schema/i.test(text);
}

/** The error an aborted signal stands for: the instance's fatal stop, or the run's cancellation. */
function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof FatalLLMError ? signal.reason : new CancelledError();
}


import { setMaxListeners } from 'node:events';
import pLimit, { type LimitFunction } from 'p-limit';
import type { GenerationUsage } from '../../src/plugin-kit.js';
import { definitionSchema } from '../../src/plugin-kit.js';
import { CancelledError, FatalLLMError, RequestFailedError, StructuredOutputUnsupportedError } from './errors.js';
import { createChatClient, type ChatAnswer, type ChatClient, type ChatRequest } from './openai-client.js';
import type { ResolvedOptions } from './options.js';
import type { ChatMessage } from './prompt.js';
import type { ResponseCache } from './response-cache.js';
import { addUsage, askUsage, emptyUsage } from './usage.js';

type OutputMode = 'json_schema' | 'json_object';

export interface AskOptions {
  cache: ResponseCache;
  signal?: AbortSignal;
  /** The bug's own usage, added to alongside the instance totals. */
  usage: GenerationUsage;
  /** Ask the server even when the cache has the answer (`--force`). */
  fresh?: boolean;
  /**
   * Told of each answer the server gave, with its cache key. Nothing is cached here: the caller
   * caches a conversation's answers once it ended in a verified definition, so an unreadable or
   * invalid answer is never replayed as final (the next run asks again).
   */
  answered?: (key: string, answer: ChatAnswer) => void;
}

/**
 * Everything one plugin instance shares across the bugs of a run: the SDK client, the
 * concurrency limiter, the fatal stop (a rejected key ends every pending and future request),
 * the structured-output mode (downgraded once if the server rejects json_schema) and usage totals.
 */
export interface LLMGateway {
  ask(messages: readonly ChatMessage[], options: AskOptions): Promise<ChatAnswer>;
  /** Set once the API key was rejected. */
  readonly fatal: FatalLLMError | undefined;
  totals(): GenerationUsage;
}

export function createGateway(options: ResolvedOptions): LLMGateway {
  const limit: LimitFunction = pLimit(options.concurrency);
  const stop = new AbortController();
  // Every queued request of the run listens to this one signal.
  setMaxListeners(0, stop.signal);
  const totals = emptyUsage();
  let fatal: FatalLLMError | undefined;
  let mode: OutputMode = 'json_schema';
  let client: ChatClient | undefined;
  let schema: object | undefined;

  const clientFor = (): ChatClient => {
    if (client) return client;
    const apiKey = options.apiKey();
    if (!apiKey) throw new FatalLLMError('OPENAI_API_KEY is not set: LLM generation skipped');
    const baseURL = options.baseURL();
    client = createChatClient({ apiKey, ...(baseURL ? { baseURL } : {}), timeoutMs: options.timeoutMs, maxRetries: options.maxRetries });
    return client;
  };

  const requestFor = (messages: readonly ChatMessage[], as: OutputMode): ChatRequest => ({
    model: options.model,
    ...(options.temperature === null ? {} : { temperature: options.temperature }),
    max_completion_tokens: options.maxCompletionTokens,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    response_format:
      as === 'json_schema'
        ? { type: 'json_schema', json_schema: { name: 'bug_definition', schema: (schema ??= loadSchema()) as Record<string, unknown>, strict: false } }
        : { type: 'json_object' },
  });

  const record = (usage: GenerationUsage, delta: GenerationUsage) => {
    addUsage(usage, delta);
    addUsage(totals, delta);
  };

  const fromCache = async (messages: readonly ChatMessage[], opts: AskOptions): Promise<ChatAnswer | undefined> => {
    // A run that fell back to json_object cached its answers under that mode: look there too.
    const modes: OutputMode[] = mode === 'json_schema' ? ['json_schema', 'json_object'] : ['json_object'];
    for (const as of modes) {
      const hit = await opts.cache.get(opts.cache.keyOf(requestFor(messages, as)));
      if (hit) return hit;
    }
    return undefined;
  };

  /** Sends one request (the SDK may retry it); every HTTP request counts as a call, failed ones too. */
  const send = (request: ChatRequest, signal: AbortSignal, usage: GenerationUsage): Promise<ChatAnswer> =>
    limit(async () => {
      // Queued work re-checks: the key may have been rejected, or the run cancelled, while it waited.
      if (fatal) throw fatal;
      if (signal.aborted) throw signal.reason instanceof FatalLLMError ? signal.reason : new CancelledError();
      let requests = 0;
      const price = options.prices[options.model];
      try {
        const answer = await clientFor().complete(request, signal, () => void requests++);
        record(usage, askUsage(price, requests, answer));
        return answer;
      } catch (err) {
        record(usage, askUsage(price, requests));
        throw err;
      }
    });

  return {
    get fatal() {
      return fatal;
    },
    totals: () => ({ ...totals }),
    async ask(messages, opts) {
      if (fatal) throw fatal;
      if (opts.signal?.aborted) throw new CancelledError();
      const cached = opts.fresh ? undefined : await fromCache(messages, opts);
      if (cached) {
        record(opts.usage, { ...emptyUsage(), cachedCalls: 1 });
        return cached;
      }
      const signal = opts.signal ? AbortSignal.any([stop.signal, opts.signal]) : stop.signal;
      for (;;) {
        const as = mode;
        const request = requestFor(messages, as);
        let answer: ChatAnswer;
        try {
          answer = await send(request, signal, opts.usage);
        } catch (err) {
          if (err instanceof FatalLLMError && !fatal) {
            fatal = err;
            stop.abort(err);
          }
          if (err instanceof StructuredOutputUnsupportedError) {
            if (as === 'json_schema') {
              mode = 'json_object';
              continue;
            }
            throw new RequestFailedError(err.message, { transient: false });
          }
          throw err;
        }
        opts.answered?.(opts.cache.keyOf(request), answer);
        return answer;
      }
    },
  };
}

/** The v2.1 schema as sent in response_format (the `$schema`/`$id` keywords are dropped). */
function loadSchema(): object {
  const { $schema: _s, $id: _i, ...schema } = definitionSchema();
  return schema;
}

import { createContentCache, type ContentCache } from '../../src/plugin-kit.js';
import { contentHash, stableStringify } from '../../src/plugin-kit.js';
import type { ChatAnswer, ChatRequest } from './openai-client.js';

const NAMESPACE = 'openai-responses';

/**
 * Completions cached by a hash of the whole request body (model, temperature, messages,
 * response_format…). The API key and base URL are not part of the body, so they never reach
 * the key; an unchanged re-run is answered from disk without a single HTTP request.
 */
export interface ResponseCache {
  keyOf(request: ChatRequest): string;
  get(key: string): Promise<ChatAnswer | undefined>;
  put(key: string, answer: ChatAnswer): Promise<void>;
}

export function createResponseCache(dir: string): ResponseCache {
  const store: ContentCache = createContentCache(dir);
  return {
    keyOf: (request) => contentHash('openai-chat-v1', stableStringify(request)),
    async get(key) {
      const value = await store.get<ChatAnswer>(NAMESPACE, key);
      return isAnswer(value) ? value : undefined;
    },
    async put(key, answer) {
      try {
        await store.put(NAMESPACE, key, answer);
      } catch {
        // A cache that cannot be written only costs a request next time.
      }
    },
  };
}

function isAnswer(value: unknown): value is ChatAnswer {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Partial<ChatAnswer>;
  return typeof v.content === 'string' && typeof v.totalChars === 'number' && typeof v.promptTokens === 'number' && typeof v.completionTokens === 'number';
}

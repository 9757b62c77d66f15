import type { GoldenExample } from '../../src/plugin-kit.js';

export interface ModelPrice {
  /** US dollars per million prompt tokens. */
  inputPerMTok: number;
  /** US dollars per million completion tokens. */
  outputPerMTok: number;
}

export interface OpenAIGeneratorOptions {
  /** Chat model (default `gpt-4o-mini`). */
  model?: string;
  /** Default 0.3; `null` leaves it out of the request (for models that only accept their default). */
  temperature?: number | null;
  /** Validation-feedback attempts per bug (default 3). */
  maxAttempts?: number;
  /** Per HTTP try, in milliseconds (default 60 000). */
  timeoutMs?: number;
  /** Requests in flight at once across all bugs of the run (default 4). */
  concurrency?: number;
  /** SDK retries on 408/409/429/5xx and connection errors, honouring retry-after (default 2). */
  maxRetries?: number;
  /** Default: `OPENAI_BASE_URL`, else the SDK's default. */
  baseURL?: string;
  /** Default: `OPENAI_API_KEY`, read when first needed (the CLI may load .env after building the config). */
  apiKey?: string;
  /** Cap on completion tokens per answer (default 4096). */
  maxCompletionTokens?: number;
  /** Merged over DEFAULT_PRICES. */
  prices?: Record<string, ModelPrice>;
  /**
   * Golden examples to use instead of `context.goldenExamples`. When given they are also part of
   * settingsKey(); otherwise pass the golden examples to settingsKey(examples).
   */
  goldenExamples?: readonly GoldenExample[];
  /** Environment to read OPENAI_API_KEY / OPENAI_BASE_URL from (default process.env; tests override it). */
  env?: Readonly<Record<string, string | undefined>>;
}

/** List prices in USD per million tokens (standard tier); override with `prices` when they change. */
export const DEFAULT_PRICES: Readonly<Record<string, ModelPrice>> = {
  'gpt-4o-mini': { inputPerMTok: 0.15, outputPerMTok: 0.6 },
  'gpt-4o': { inputPerMTok: 2.5, outputPerMTok: 10 },
  'gpt-4.1': { inputPerMTok: 2, outputPerMTok: 8 },
  'gpt-4.1-mini': { inputPerMTok: 0.4, outputPerMTok: 1.6 },
  'gpt-4.1-nano': { inputPerMTok: 0.1, outputPerMTok: 0.4 },
  'o4-mini': { inputPerMTok: 1.1, outputPerMTok: 4.4 },
  'gpt-5': { inputPerMTok: 1.25, outputPerMTok: 10 },
  'gpt-5-mini': { inputPerMTok: 0.25, outputPerMTok: 2 },
  'gpt-5-nano': { inputPerMTok: 0.05, outputPerMTok: 0.4 },
};

export interface ResolvedOptions {
  model: string;
  temperature: number | null;
  maxAttempts: number;
  timeoutMs: number;
  concurrency: number;
  maxRetries: number;
  maxCompletionTokens: number;
  prices: Record<string, ModelPrice>;
  goldenExamples?: readonly GoldenExample[];
  /** Read lazily: see OpenAIGeneratorOptions.apiKey. */
  apiKey(): string | undefined;
  baseURL(): string | undefined;
}

/** `runEnv` is the environment of the run using the plugin (set by the pipeline), read when options.env is absent. */
export function resolveOptions(options: OpenAIGeneratorOptions = {}, runEnv: () => Readonly<Record<string, string | undefined>> | undefined = () => undefined): ResolvedOptions {
  const env = () => options.env ?? runEnv() ?? process.env;
  const positive = (value: number | undefined, fallback: number, name: string): number => {
    const v = value ?? fallback;
    if (!Number.isFinite(v) || v < 1) throw new RangeError(`openai: ${name} must be a positive number, got ${String(value)}`);
    return Math.floor(v);
  };
  const maxRetries = options.maxRetries ?? 2;
  if (!Number.isInteger(maxRetries) || maxRetries < 0) throw new RangeError(`openai: maxRetries must be a non-negative integer, got ${maxRetries}`);
  return {
    model: options.model ?? 'gpt-4o-mini',
    temperature: options.temperature === undefined ? 0.3 : options.temperature,
    maxAttempts: positive(options.maxAttempts, 3, 'maxAttempts'),
    timeoutMs: positive(options.timeoutMs, 60_000, 'timeoutMs'),
    concurrency: positive(options.concurrency, 4, 'concurrency'),
    maxRetries,
    maxCompletionTokens: positive(options.maxCompletionTokens, 4096, 'maxCompletionTokens'),
    prices: { ...DEFAULT_PRICES, ...options.prices },
    ...(options.goldenExamples ? { goldenExamples: options.goldenExamples } : {}),
    apiKey: () => nonEmpty(options.apiKey) ?? nonEmpty(env().OPENAI_API_KEY),
    baseURL: () => nonEmpty(options.baseURL) ?? nonEmpty(env().OPENAI_BASE_URL),
  };
}

function nonEmpty(value: string | undefined): string | undefined {
  return value && value.trim() ? value.trim() : undefined;
}

import type { Availability, BugContext, GenerationUsage, GeneratorContext, GeneratorPlugin, GeneratorResult, GoldenExample, RunEnv } from '../../src/plugin-kit.js';
import { contentHash, stableStringify } from '../../src/plugin-kit.js';
import type { BugDefinition } from '../../src/plugin-kit.js';
import { validateDefinition } from '../../src/plugin-kit.js';
import type { Verification } from '../../src/plugin-kit.js';
import { diagnoseFailure, summarizeFailure, type AttemptFailure } from './diagnose-failure.js';
import { CancelledError, FatalLLMError, RequestFailedError, UnreadableResponseError, redact } from './errors.js';
import { createGateway, type LLMGateway } from './llm-gateway.js';
import type { ChatAnswer } from './openai-client.js';
import { resolveOptions, type OpenAIGeneratorOptions, type ResolvedOptions } from './options.js';
import { parseAnswer } from './parse-answer.js';
import { PROMPT_VERSION, initialMessages, type ChatMessage } from './prompt.js';
import { createResponseCache } from './response-cache.js';
import { emptyUsage } from './usage.js';

/** The previous answer is echoed back to the model; a runaway answer is not. */
const MAX_ECHOED_ANSWER_CHARS = 20_000;

export interface OpenAIGeneratorPlugin extends GeneratorPlugin {
  name: 'openai';
  kind: 'llm';
  /** Per bug: every attempt with every SDK retry timing out, plus the retries' back-off. */
  timeoutMs: number;
  /** Hash of model, temperature, prompt version and golden examples (options', else the ones given here). */
  settingsKey(goldenExamples?: readonly GoldenExample[]): string;
  available(): Availability;
  usage(): GenerationUsage;
}

/** The SDK's longest back-off between two retries. */
const MAX_RETRY_BACKOFF_MS = 8_000;

/** The LLM generator: prompts with the format rules and golden examples, verifies, feeds failures back. */
export function openaiGenerator(userOptions: OpenAIGeneratorOptions = {}): OpenAIGeneratorPlugin {
  // The run's environment (process env over the project's .env), given by setup().
  let runEnv: RunEnv | undefined;
  const options = resolveOptions(userOptions, () => runEnv);
  // One gateway per run or watch session: its totals, its fatal error (a rejected key) and its
  // client belong to that run, even when the same config module serves several runs in one process.
  let gateway = createGateway(options);
  return {
    name: 'openai',
    kind: 'llm',
    timeoutMs: options.maxAttempts * ((options.maxRetries + 1) * options.timeoutMs + options.maxRetries * MAX_RETRY_BACKOFF_MS) + 30_000,
    setup(context) {
      runEnv = context.env;
      gateway = createGateway(options);
    },
    settingsKey(goldenExamples) {
      return contentHash(
        'openai-generator',
        stableStringify({
          model: options.model,
          temperature: options.temperature,
          maxCompletionTokens: options.maxCompletionTokens,
          prompt: PROMPT_VERSION,
          golden: (options.goldenExamples ?? goldenExamples ?? []).map((g) => ({ definition: g.definition, patch: g.patchText ?? null })),
        }),
      );
    },
    available() {
      if (options.apiKey()) return { ok: true };
      return { ok: false, reason: 'OPENAI_API_KEY is not set', hint: 'set OPENAI_API_KEY (environment or .env) or pass --no-llm' };
    },
    usage: () => gateway.totals(),
    generate: (bug, context) => {
      runEnv ??= context.env;
      return generateOne(bug, context, options, gateway);
    },
  };
}

interface Candidate {
  definition: BugDefinition;
  verification: Verification;
}

async function generateOne(bug: BugContext, context: GeneratorContext, options: ResolvedOptions, gateway: LLMGateway): Promise<GeneratorResult> {
  const usage = emptyUsage();
  if (gateway.fatal) return fatalResult(gateway.fatal, usage);
  if (!options.apiKey()) return { status: 'failed', reason: 'OPENAI_API_KEY is not set', fatal: true, usage };

  const cache = createResponseCache(context.cacheDir);
  const base = initialMessages(bug, options.goldenExamples ?? context.goldenExamples);
  let messages: ChatMessage[] = base;
  let best: Candidate | undefined;
  let lastProblem = 'no attempt was made';
  // Only a conversation that ends in a verified definition is cached: an unreadable, invalid or
  // wrong answer is a failure the next run asks again about (the results cache keeps no
  // failure of this generator either: every failure is `retryable`).
  const answers: Array<{ key: string; answer: ChatAnswer }> = [];
  const answered = (key: string, answer: ChatAnswer) => void answers.push({ key, answer });
  const failed = (reason: string): GeneratorResult => ({
    status: 'failed',
    reason,
    ...(best ? { draft: { definition: best.definition, verification: best.verification } } : {}),
    usage,
    retryable: true,
  });

  const cancelled = (): GeneratorResult => failed('cancelled');

  for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
    if (context.signal?.aborted) return cancelled();
    let answer: ChatAnswer;
    try {
      answer = await gateway.ask(messages, { cache, usage, answered, ...(context.fresh ? { fresh: true } : {}), ...(context.signal ? { signal: context.signal } : {}) });
    } catch (err) {
      if (err instanceof FatalLLMError) return fatalResult(err, usage, best);
      if (err instanceof CancelledError) return cancelled();
      if (err instanceof UnreadableResponseError) {
        // No answer to echo back: try the same request again on the next attempt.
        lastProblem = err.message;
        continue;
      }
      if (err instanceof RequestFailedError) return failed(err.message);
      return failed(`OpenAI request failed: ${redact(err instanceof Error ? err.message : String(err), options.apiKey())}`);
    }

    const failure = await judge(answer, context);
    if (failure.kind === 'exact') {
      // The whole conversation that led here is kept: a re-run replays it without a request.
      for (const { key, answer: reply } of answers) await cache.put(key, reply);
      return { status: 'generated', definition: failure.definition, verification: failure.verification, model: options.model, usage };
    }
    if (context.signal?.aborted) return cancelled();
    if ((failure.kind === 'verify' && failure.verification.verdict === 'differs') || failure.kind === 'transfer') best = better(best, failure);
    lastProblem = summarizeFailure(failure);
    messages = [
      ...base,
      { role: 'assistant', content: echo(answer) },
      { role: 'user', content: `Attempt ${attempt} was rejected.\n${diagnoseFailure(failure, bug.beforeTree)}` },
    ];
  }
  return failed(`no exact definition after ${options.maxAttempts} attempt${options.maxAttempts === 1 ? '' : 's'} (last: ${lastProblem})`);
}

type Judgement = AttemptFailure | { kind: 'exact'; definition: BugDefinition; verification: Verification };

/** parse → schema → injection against the full reference. */
async function judge(answer: ChatAnswer, context: GeneratorContext): Promise<Judgement> {
  if (answer.refusal) return { kind: 'parse', error: `the model refused: ${answer.refusal}` };
  const parsed = parseAnswer(answer.content, { totalChars: answer.totalChars });
  if (!parsed.ok) {
    const cut = answer.finishReason === 'length' ? ' (the answer was cut off at the token limit)' : '';
    return { kind: 'parse', error: `${parsed.error}${cut}` };
  }
  const schema = validateDefinition(parsed.value);
  if (!schema.valid) return { kind: 'schema', problems: schema.problems };
  const definition = parsed.value as BugDefinition;
  const verification = await context.verify(definition);
  if (verification.verdict === 'exact' && verification.transfer?.worst === 'wrong') return { kind: 'transfer', definition, verification };
  if (verification.verdict === 'exact') return { kind: 'exact', definition, verification };
  return { kind: 'verify', definition, verification };
}

/** The draft kept: one exact on the reference (wrong only on student-style code) first, else the smallest diff. */
function better(current: Candidate | undefined, next: Candidate): Candidate {
  if (!current) return next;
  const distance = (c: Candidate) => (c.verification.verdict === 'exact' ? 0 : (c.verification.diff?.length ?? Infinity));
  return distance(next) < distance(current) ? next : current;
}

function echo(answer: ChatAnswer): string {
  if (answer.totalChars > answer.content.length || answer.content.length > MAX_ECHOED_ANSWER_CHARS) {
    return `${answer.content.slice(0, 2_000)}\n… (answer of ${answer.totalChars} characters, truncated here)`;
  }
  return answer.content;
}

function fatalResult(err: FatalLLMError, usage: GenerationUsage, best?: Candidate): GeneratorResult {
  return { status: 'failed', reason: err.message, fatal: true, usage, ...(best ? { draft: best } : {}) };
}

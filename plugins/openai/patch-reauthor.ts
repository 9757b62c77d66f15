import type { GenerationUsage } from '../../src/plugin-kit.js';
import type { PatchReauthor, ReauthorRequest, ReauthorResult } from '../../src/plugin-kit.js';
import type { DraftVerdict } from '../../src/plugin-kit.js';
import { CancelledError, FatalLLMError, RequestFailedError, UnreadableResponseError, redact } from './errors.js';
import { createChatClient, type ChatAnswer, type ChatClient, type ChatRequest } from './openai-client.js';
import { resolveOptions, type OpenAIGeneratorOptions } from './options.js';
import type { ChatMessage } from './prompt.js';
import { createResponseCache, type ResponseCache } from './response-cache.js';
import { addUsage, askUsage, emptyUsage } from './usage.js';

const SYSTEM = `You repair bugs of a programming course. A bug is a unified diff against a Python reference
implementation; a teaching engine applies it to show students a realistic mistake. The reference has
changed since the bug was written, so its diff no longer applies. Write a NEW unified diff against
TODAY's reference that introduces the SAME bug (the same mistake, producing the symptom the student is
told about), adapted to today's code.

Rules:
- Change only the function(s) shown; keep every other line as it is.
- The new diff must apply cleanly to today's file: its context and removed lines are copied exactly
  from today's code (same indentation), with about 3 lines of context around each change.
- Introduce the bug and nothing else: no refactoring, no fixes. A short "# BUG: ..." comment is fine.
- Use the file names given for the --- and +++ lines.
Answer with a JSON object only: {"patch": "<the unified diff, lines joined with \\n>"}`;

/** The LLM re-author of rotted patches: asks for a new diff, has each answer verified, feeds failures back. */
export function openaiPatchReauthor(userOptions: OpenAIGeneratorOptions = {}): PatchReauthor {
  const options = resolveOptions(userOptions);
  const totals = emptyUsage();
  let client: ChatClient | undefined;
  const clientFor = (): ChatClient => {
    if (client) return client;
    const apiKey = options.apiKey();
    if (!apiKey) throw new FatalLLMError('OPENAI_API_KEY is not set');
    const baseURL = options.baseURL();
    client = createChatClient({ apiKey, ...(baseURL ? { baseURL } : {}), timeoutMs: options.timeoutMs, maxRetries: options.maxRetries });
    return client;
  };

  const ask = async (request: ChatRequest, cache: ResponseCache, usage: GenerationUsage, signal: AbortSignal): Promise<ChatAnswer> => {
    const key = cache.keyOf(request);
    const hit = await cache.get(key);
    if (hit) {
      addBoth(usage, totals, { ...emptyUsage(), cachedCalls: 1 });
      return hit;
    }
    let requests = 0;
    const price = options.prices[options.model];
    try {
      const answer = await clientFor().complete(request, signal, () => void requests++);
      addBoth(usage, totals, askUsage(price, requests, answer));
      await cache.put(key, answer);
      return answer;
    } catch (err) {
      addBoth(usage, totals, askUsage(price, requests));
      throw err;
    }
  };

  return {
    name: 'openai',
    kind: 'llm',
    available() {
      if (options.apiKey()) return { ok: true };
      return { ok: false, reason: 'OPENAI_API_KEY is not set', hint: 'set OPENAI_API_KEY (environment or .env) to re-author with the LLM' };
    },
    usage: () => ({ ...totals }),
    async reauthor(request, context): Promise<ReauthorResult> {
      const cache = createResponseCache(context.cacheDir);
      const usage = emptyUsage();
      const signal = context.signal ?? new AbortController().signal;
      const base: ChatMessage[] = [
        { role: 'system', content: SYSTEM },
        { role: 'user', content: describeRequest(request) },
      ];
      let messages = base;
      const rejected: string[] = [];
      for (let attempt = 1; attempt <= options.maxAttempts; attempt++) {
        let answer: ChatAnswer;
        try {
          answer = await ask(requestFor(messages, options), cache, usage, signal);
        } catch (err) {
          if (err instanceof UnreadableResponseError) {
            rejected.push(`attempt ${attempt}: ${err.message}`);
            continue;
          }
          if (err instanceof FatalLLMError || err instanceof CancelledError || err instanceof RequestFailedError) return { status: 'failed', reason: err.message };
          return { status: 'failed', reason: `OpenAI request failed: ${redact(err instanceof Error ? err.message : String(err), options.apiKey())}` };
        }
        const patch = patchOf(answer.content);
        const verdict: DraftVerdict = patch === undefined ? { ok: false, stage: 'parse', reason: 'the answer holds no unified diff (expected {"patch": "--- …"})' } : await context.verify(patch);
        if (verdict.ok) {
          return {
            status: 'drafted',
            text: verdict.text ?? patch!,
            model: options.model,
            verdict,
            notes: [`re-authored by ${options.model} on attempt ${attempt} of ${options.maxAttempts}`, ...rejected],
          };
        }
        rejected.push(`attempt ${attempt} rejected: ${verdict.reason}`);
        messages = [
          ...base,
          { role: 'assistant', content: answer.content.slice(0, 20_000) },
          { role: 'user', content: `That patch was rejected: ${verdict.reason}.\nWrite a corrected patch against today's code shown above; answer with the JSON object only.` },
        ];
      }
      return { status: 'failed', reason: `no verified patch after ${options.maxAttempts} attempt${options.maxAttempts === 1 ? '' : 's'} (${rejected.join('; ')}); no draft written` };
    },
  };
}

function addBoth(usage: GenerationUsage, totals: GenerationUsage, delta: GenerationUsage): void {
  addUsage(usage, delta);
  addUsage(totals, delta);
}

function requestFor(messages: readonly ChatMessage[], options: ReturnType<typeof resolveOptions>): ChatRequest {
  return {
    model: options.model,
    ...(options.temperature === null ? {} : { temperature: options.temperature }),
    max_completion_tokens: options.maxCompletionTokens,
    messages: messages.map((m) => ({ role: m.role, content: m.content })),
    response_format: { type: 'json_object' },
  };
}

function describeRequest(request: ReauthorRequest): string {
  const functions = request.functions
    .map((f) => `Today's \`${f.name}\` (lines ${f.firstLine}-${f.firstLine + f.text.split('\n').length - 1} of ${request.referenceFile}):\n\`\`\`python\n${f.text}\n\`\`\``)
    .join('\n\n');
  return [
    `Bug ${request.bug} (${request.patchFile}).`,
    request.symptom !== undefined ? `What the student is told (the symptom):\n${request.symptom.trim()}` : 'There is no symptom file.',
    `The old patch, the statement of the bug's intent:\n\`\`\`diff\n${request.oldPatch.trimEnd()}\n\`\`\``,
    `Why it no longer applies: ${request.why}`,
    functions,
    `Use these file names: --- ${request.header.oldName} and +++ ${request.header.newName}.`,
  ].join('\n\n');
}

/** The diff in an answer: `{"patch": "…"}`, else a fenced ```diff block, else the text itself when it is a diff. */
export function patchOf(content: string): string | undefined {
  try {
    const value = JSON.parse(content) as { patch?: unknown };
    if (typeof value?.patch === 'string' && value.patch.trim()) return value.patch.endsWith('\n') ? value.patch : `${value.patch}\n`;
  } catch {
    // not JSON: look for a diff in the text
  }
  const fenced = /```(?:diff|patch)?\n([\s\S]*?)```/.exec(content)?.[1];
  const text = fenced ?? content;
  return /^(---|@@) /m.test(text) ? text : undefined;
}

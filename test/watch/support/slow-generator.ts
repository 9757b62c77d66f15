import { appendFileSync } from 'node:fs';
import type { GeneratorPlugin } from '../../../src/generate/generator.js';
import { synthGenerator } from '../../../plugins/synth/index.js';

export interface SlowGeneratorOptions {
  /** The generator's name (what provenance records). */
  name?: string;
  /** Waits this long before synthesising, honouring the AbortSignal like the LLM generator does. */
  delayMs?: number;
  /** Appends `start <id>`, `aborted <id>`, `done <id>` lines here (a file outside the project). */
  log?: string;
  /** Also appends `env <id> <value>`: this variable as the generator sees it (the process environment over .env). */
  logEnv?: string;
}

/** The real synth plugin behind a cancellable delay: makes "during a generation" deterministic in tests. */
export function slowGenerator(options: SlowGeneratorOptions = {}): GeneratorPlugin {
  const synth = synthGenerator();
  const log = (line: string) => {
    if (options.log) appendFileSync(options.log, `${line}\n`);
  };
  return {
    name: options.name ?? 'slow-synth',
    settingsKey: () => `${options.name ?? 'slow-synth'}:${synth.settingsKey?.() ?? ''}`,
    async generate(bug, context) {
      log(`start ${bug.id}`);
      if (options.logEnv) log(`env ${bug.id} ${context.env[options.logEnv] ?? '(unset)'}`);
      process.stderr.write(`slow-generator: start ${bug.id}\n`);
      const delayMs = options.delayMs ?? 0;
      if (delayMs > 0) {
        const aborted = await new Promise<boolean>((resolve) => {
          if (context.signal?.aborted) return resolve(true);
          const timer = setTimeout(() => {
            context.signal?.removeEventListener('abort', onAbort);
            resolve(false);
          }, delayMs);
          const onAbort = () => {
            clearTimeout(timer);
            resolve(true);
          };
          context.signal?.addEventListener('abort', onAbort, { once: true });
        });
        if (aborted) {
          log(`aborted ${bug.id}`);
          return { status: 'failed', reason: 'cancelled', retryable: true };
        }
      }
      const result = await synth.generate(bug, context);
      log(`done ${bug.id}`);
      return result;
    },
  };
}

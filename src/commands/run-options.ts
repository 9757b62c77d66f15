import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { UsageError } from '../errors.js';
import type { Reporter } from '../report/reporter.js';
import type { CommandIO } from './command.js';

/** The reporters `--reporter` asks for; checked before anything runs. */
export async function cliReporters(command: string, options: { reporter?: string[] | undefined; 'output-file'?: string | undefined }, io: CommandIO): Promise<Reporter[]> {
  const names = new Set(options.reporter ?? []);
  const outputFile = options['output-file'];
  if (names.has('junit') && !outputFile) throw new UsageError(`${command}: --reporter junit needs --output-file <file>`);
  if (outputFile !== undefined && !names.has('junit')) throw new UsageError(`${command}: --output-file is for a file reporter: add --reporter junit`);
  if (!names.has('junit')) return [];
  const { junitReporter } = await import('../../plugins/junit/index.js');
  return [junitReporter({ outputFile: path.resolve(io.cwd, outputFile!) })];
}

/** `--concurrency` and `--llm-timeout` over the config's values. */
export function withRunOverrides(command: string, config: ResolvedConfig, options: { concurrency?: string | undefined; 'llm-timeout'?: string | undefined }, io: CommandIO): ResolvedConfig {
  let next = config;
  if (options.concurrency !== undefined) {
    const n = Number(options.concurrency);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`${command}: --concurrency must be a positive integer (got ${options.concurrency})`);
    next = { ...next, concurrency: n };
  }
  const timeoutMs = llmTimeoutMs(command, options['llm-timeout']);
  if (timeoutMs !== undefined) {
    if (config.generators) io.stderr(`bug-author ${command}: --llm-timeout applies to the built-in LLM generator; the config lists its own generators (set openaiGenerator({ timeoutMs }) there)\n`);
    next = withLlmTimeout(next, timeoutMs);
  }
  return next;
}

/** `--llm-timeout <seconds>` in milliseconds. */
export function llmTimeoutMs(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${command}: --llm-timeout must be a positive number of seconds (got ${value})`);
  return Math.round(seconds * 1000);
}

export function withLlmTimeout(config: ResolvedConfig, timeoutMs: number): ResolvedConfig {
  return { ...config, llm: { ...config.llm, timeoutMs } };
}

import path from 'node:path';
import { UsageError } from '../errors.js';
import type { Reporter } from '../contracts.js';
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

/** `--concurrency <n>` as a number. */
export function concurrencyOption(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`${command}: --concurrency must be a positive integer (got ${value})`);
  return n;
}

/** `--llm-timeout <seconds>` in milliseconds. */
export function llmTimeoutMs(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const seconds = Number(value);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new UsageError(`${command}: --llm-timeout must be a positive number of seconds (got ${value})`);
  return Math.round(seconds * 1000);
}

export { withLlmTimeout } from '../project/config-overrides.js';

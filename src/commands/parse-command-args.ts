import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;
type WithHelp<O extends Options> = O & { help: { type: 'boolean'; short: 'h' } };

/** node:util parseArgs with usage errors as UsageError (exit 2), `-h/--help`, and `--no-x` for boolean `x`. */
export function parseCommandArgs<O extends Options>(command: string, args: string[], options: O, allowPositionals = true) {
  const config = {
    args,
    options: { ...options, help: { type: 'boolean', short: 'h' } } as WithHelp<O>,
    allowPositionals: true as const,
    strict: true as const,
    allowNegative: true,
  };
  try {
    const parsed = parseArgs(config);
    if (!allowPositionals && parsed.positionals.length) throw new Error(`unexpected argument '${parsed.positionals[0]}'`);
    return parsed;
  } catch (err) {
    throw new UsageError(`${command}: ${(err as Error).message.replace(/\. To specify .*$/s, '')}`);
  }
}

import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from '../errors.js';
import { EXIT_OK, EXIT_USAGE } from './command.js';
import type { CommandGroupSpec, CommandSpec, DefinedCommand, OptionSpec, OptionSpecs, ParsedArgs, ParsedOptions } from './command-spec.js';

const HELP: OptionSpec = { type: 'boolean', short: 'h', description: 'show this help' };

/** A command from its one spec: `--help` is rendered from it and run() parses with it. */
export function defineCommand<const O extends OptionSpecs>(spec: CommandSpec<O>, parent?: string): DefinedCommand {
  const fullName = parent ? `${parent} ${spec.name}` : spec.name;
  return {
    name: spec.name,
    summary: spec.summary,
    usage: renderCommandHelp(spec, parent),
    spec: spec as unknown as CommandSpec<OptionSpecs>,
    async run(args, io) {
      const parsed = parseCommandLine(spec, args, fullName);
      if (parsed === 'help') {
        io.stdout(`${renderCommandHelp(spec, parent)}\n`);
        return EXIT_OK;
      }
      return spec.run(parsed, io);
    },
  };
}

/** A command whose first argument picks a subcommand (`bug-author hook install`). */
export function defineCommandGroup(spec: Omit<CommandGroupSpec, 'subcommands'>, subcommands: (parent: string) => readonly DefinedCommand[]): DefinedCommand {
  const group: CommandGroupSpec = { ...spec, subcommands: subcommands(spec.name) };
  return {
    name: group.name,
    summary: group.summary,
    usage: renderGroupHelp(group),
    spec: group,
    async run(args, io) {
      const [first, ...rest] = args;
      if (first === '--help' || first === '-h') {
        io.stdout(`${renderGroupHelp(group)}\n`);
        return EXIT_OK;
      }
      const sub = group.subcommands.find((c) => c.name === first);
      if (!sub) {
        const names = group.subcommands.map((c) => `\`${group.name} ${c.name}\``).join(', ');
        io.stderr(`bug-author ${group.name}: ${first ? `unknown subcommand '${first}'` : 'a subcommand is needed'} (expected ${names})\n\n${renderGroupHelp(group)}\n`);
        return EXIT_USAGE;
      }
      return sub.run(rest, io);
    },
  };
}

/** Parses arguments by the spec (node:util parseArgs, strict): the typed values, or 'help'. Usage problems throw UsageError. */
export function parseCommandLine<const O extends OptionSpecs>(spec: CommandSpec<O>, args: string[], fullName = spec.name): ParsedArgs<O> | 'help' {
  const options: NonNullable<ParseArgsConfig['options']> = {};
  for (const [name, option] of Object.entries({ ...spec.options, help: HELP })) {
    options[name] = {
      type: option.type,
      ...(option.short ? { short: option.short } : {}),
      ...(option.multiple ? { multiple: true } : {}),
      ...(option.default !== undefined ? { default: option.default } : {}),
    } as NonNullable<ParseArgsConfig['options']>[string];
  }
  let parsed: { values: Record<string, unknown>; positionals: string[] };
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true, allowNegative: true });
  } catch (err) {
    throw new UsageError(`${fullName}: ${(err as Error).message.replace(/\. To specify .*$/s, '')}`);
  }
  if (parsed.values.help) return 'help';
  const positionals = spec.positionals ?? [];
  const maxPositionals = positionals.some((p) => p.variadic) ? Infinity : positionals.length;
  if (parsed.positionals.length > maxPositionals) throw new UsageError(`${fullName}: unexpected argument '${parsed.positionals[maxPositionals]}'`);
  for (const [name, option] of Object.entries(spec.options)) {
    const value = parsed.values[name];
    if (option.required && (value === undefined || value === '')) throw new UsageError(`${fullName}: ${flagOf(name, option)} is required`);
    if (option.type === 'string' && option.valueHint && value === '') throw new UsageError(`${fullName}: ${flagOf(name, option)} needs a value`);
    if (option.choices && value !== undefined) {
      for (const v of Array.isArray(value) ? value : [value]) {
        if (!option.choices.includes(v as string)) throw new UsageError(`${fullName}: ${flagOf(name, option)} must be one of ${option.choices.join(', ')} (got ${String(v)})`);
      }
    }
  }
  const { help: _help, ...values } = parsed.values;
  return { options: values as ParsedOptions<O>, positionals: parsed.positionals };
}

/** The `--help` text: usage line, description, arguments, options, exit codes — all from the spec. */
export function renderCommandHelp(spec: CommandSpec<OptionSpecs>, parent?: string): string {
  const name = parent ? `${parent} ${spec.name}` : spec.name;
  const positionals = (spec.positionals ?? []).map((p) => (p.variadic ? `[${p.name} ...]` : `<${p.name}>`));
  const required = Object.entries(spec.options)
    .filter(([, o]) => o.required)
    .map(([n, o]) => `${flagOf(n, o)}${valuePart(o)}`);
  const hasOptional = Object.values(spec.options).some((o) => !o.required);
  const usage = ['Usage: bug-author', name, ...positionals, ...required, ...(hasOptional ? ['[options]'] : [])].join(' ');
  const argumentRows = (spec.positionals ?? []).map((p) => [p.variadic ? `${p.name} ...` : p.name, p.description] as const);
  const optionRows = Object.entries({ ...spec.options, help: HELP }).map(([n, o]) => [`${o.short ? `-${o.short}, ` : ''}${flagOf(n, o)}${valuePart(o)}`, describe(o)] as const);
  const sections = [usage, spec.description.trim()];
  if (argumentRows.length) sections.push(`Arguments:\n${table(argumentRows)}`);
  sections.push(`Options:\n${table(optionRows)}`);
  sections.push(`Exit codes: ${exitCodeLine(spec.exitCodes)}.`);
  return sections.join('\n\n');
}

export function renderGroupHelp(group: CommandGroupSpec): string {
  const rows = group.subcommands.map((c) => [`${group.name} ${c.name}`, c.summary] as const);
  return [
    `Usage: bug-author ${group.name} <subcommand> [options]`,
    group.description.trim(),
    `Subcommands:\n${table(rows)}`,
    `Run \`bug-author ${group.name} <subcommand> --help\` for its options.`,
  ].join('\n\n');
}

/** `--name`, or `--no-name` for a boolean that is on unless turned off. */
export function flagOf(name: string, option: OptionSpec): string {
  return option.type === 'boolean' && option.default === true ? `--no-${name}` : `--${name}`;
}

function valuePart(option: OptionSpec): string {
  return option.type === 'string' ? ` <${option.valueHint ?? 'value'}>` : '';
}

function describe(option: OptionSpec): string {
  const notes: string[] = [];
  if (option.choices) notes.push(`one of: ${option.choices.join(', ')}`);
  if (option.type === 'string' && typeof option.default === 'string') notes.push(`default: ${option.default}`);
  if (option.multiple) notes.push('repeatable');
  return notes.length ? `${option.description} (${notes.join('; ')})` : option.description;
}

function table(rows: readonly (readonly [string, string])[]): string {
  const width = Math.max(18, ...rows.map(([left]) => left.length)) + 2;
  return rows.map(([left, right]) => `  ${left.padEnd(width)}${right}`).join('\n');
}

function exitCodeLine(codes: Readonly<Record<number, string>>): string {
  return Object.entries(codes)
    .map(([code, meaning]) => `${code} ${meaning}`)
    .join(', ');
}

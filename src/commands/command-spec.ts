import type { Command, CommandIO } from './command.js';

/** One option, declared once: the parser, the `--help` line and the typed value all come from it. */
export interface OptionSpec {
  type: 'boolean' | 'string';
  description: string;
  short?: string;
  /** The value's name in `--help` (`--concurrency <n>`). */
  valueHint?: string;
  /** A boolean defaulting to true is shown (and given) as `--no-<name>`. */
  default?: boolean | string;
  /** May be given more than once; the values arrive as an array. */
  multiple?: boolean;
  /** The only values accepted (checked by the parser, listed in `--help`). */
  choices?: readonly string[];
  /** Refused when missing. */
  required?: boolean;
}

export interface PositionalSpec {
  name: string;
  description: string;
  /** Any number of them (`[patch ...]`). */
  variadic?: boolean;
}

export type OptionSpecs = Record<string, OptionSpec>;

type ValueOf<O extends OptionSpec> = O['type'] extends 'boolean' ? boolean : O['multiple'] extends true ? string[] : string;

/** The parsed options, typed from the spec: present when given, defaulted or required. */
export type ParsedOptions<O extends OptionSpecs> = {
  [K in keyof O]: O[K] extends { default: boolean | string } | { required: true } ? ValueOf<O[K]> : ValueOf<O[K]> | undefined;
};

export interface ParsedArgs<O extends OptionSpecs> {
  options: ParsedOptions<O>;
  positionals: string[];
}

/** A command, declared once: name, words for `--help`, arguments, exit codes and what it does. */
export interface CommandSpec<O extends OptionSpecs = OptionSpecs> {
  name: string;
  /** One line, for `bug-author --help`. */
  summary: string;
  /** What it does, for `bug-author <command> --help`. */
  description: string;
  positionals?: readonly PositionalSpec[];
  options: O;
  /** One line per exit code, e.g. `{ 0: 'all built', 1: 'some bugs failed' }`. */
  exitCodes: Readonly<Record<number, string>>;
  run(args: ParsedArgs<O>, io: CommandIO): Promise<number>;
}

/** A command with subcommands (`hook install`): each is a command of its own. */
export interface CommandGroupSpec {
  name: string;
  summary: string;
  description: string;
  subcommands: readonly DefinedCommand[];
}

/** What defineCommand gives: a runnable Command that keeps its spec (tests and help read it). */
export type DefinedCommand = Command & { spec: CommandSpec<OptionSpecs> | CommandGroupSpec };

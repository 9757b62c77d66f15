import { ConfigError, InputError, UsageError } from './errors.js';
import { buildCommand } from './commands/build-command.js';
import { EXIT_USAGE, EXIT_FINDINGS, type Command, type CommandIO } from './commands/command.js';
import { injectCommand } from './commands/inject-command.js';
import { packageVersion } from './package-root.js';

const commands: Command[] = [buildCommand, injectCommand];

function usage(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return `bug-author ${packageVersion} — compile curriculum bug patches into verified v2.1 bug definitions

Usage: bug-author <command> [options]

Commands:
${commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`).join('\n')}

Run \`bug-author <command> --help\` for a command's options.`;
}

/** Runs one command line; turns typed errors into messages and exit codes (0 ok, 1 findings, 2 usage/config). */
export async function runCli(argv: string[], io: CommandIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.stdout(`${usage()}\n`);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${packageVersion}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`bug-author: unknown command '${name}'\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  try {
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`bug-author ${err.message}\nRun \`bug-author ${command.name} --help\` for usage.\n`);
      return EXIT_USAGE;
    }
    if (err instanceof ConfigError) {
      io.stderr(`bug-author: configuration error in ${err.file}: ${err.reason}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError) {
      io.stderr(`bug-author: ${err.message}\n`);
      return err.kind === 'bad-json' || err.kind === 'unreadable' ? EXIT_USAGE : EXIT_FINDINGS;
    }
    throw err;
  }
}

export function addCommand(command: Command): void {
  commands.push(command);
}

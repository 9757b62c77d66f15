import { buildCommand } from './commands/build-command.js';
import { checkCommand } from './commands/check-command.js';
import { EXIT_FINDINGS, EXIT_USAGE, type Command, type CommandIO } from './commands/command.js';
import { hookCommand } from './commands/hook-command.js';
import { injectCommand } from './commands/inject-command.js';
import { refreshPatchCommand } from './commands/refresh-patch-command.js';
import { relocateSourcesCommand } from './commands/relocate-sources-command.js';
import { reviewCommand } from './commands/review-command.js';
import { tryCommand } from './commands/try-command.js';
import { watchCommand } from './commands/watch-command.js';
import { ConfigError, InputError, UsageError } from './errors.js';
import { packageVersion } from './package-root.js';

/**
 * Every command, each declared once (name, summary, arguments, help) with defineCommand. The
 * declarations are light: a command's implementation is imported only when it runs, since
 * start-up time is part of `check`'s contract.
 */
export const commands: readonly Command[] = [buildCommand, checkCommand, hookCommand, injectCommand, refreshPatchCommand, relocateSourcesCommand, reviewCommand, tryCommand, watchCommand];

export function topLevelUsage(): string {
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
    io.stdout(`${topLevelUsage()}\n`);
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.stdout(`${packageVersion}\n`);
    return 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.stderr(`bug-author: unknown command '${name}'\n\n${topLevelUsage()}\n`);
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
      io.stderr(`bug-author: configuration error in ${err.where}: ${err.reason}\n`);
      return EXIT_USAGE;
    }
    if (err instanceof InputError) {
      io.stderr(`bug-author: ${err.message}\n`);
      return err.kind === 'bad-json' || err.kind === 'unreadable' ? EXIT_USAGE : EXIT_FINDINGS;
    }
    // A defect or a broken environment: one line, the stack only when asked for.
    const message = err instanceof Error ? err.message : String(err);
    const stack = err instanceof Error && err.stack && rest.includes('--verbose') ? `\n${err.stack}` : '\n(run again with --verbose for the stack)';
    io.stderr(`bug-author ${command.name}: internal error: ${message}${stack}\n`);
    return EXIT_FINDINGS;
  }
}

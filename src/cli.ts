import { ConfigError, InputError, UsageError } from './errors.js';
import { EXIT_USAGE, EXIT_FINDINGS, type Command, type CommandIO } from './commands/command.js';
import { packageVersion } from './package-root.js';

/** Commands are imported only when run: start-up time is part of `check`'s contract. */
interface CommandEntry {
  name: string;
  summary: string;
  load: () => Promise<Command>;
}

const commands: CommandEntry[] = [
  { name: 'build', summary: 'compile patches into verified v2.1 JSON bug definitions', load: async () => (await import('./commands/build-command.js')).buildCommand },
  { name: 'check', summary: 'fail when any JSON is missing, stale, invalid or does not verify (CI, pre-commit)', load: async () => (await import('./commands/check-command.js')).checkCommand },
  { name: 'hook', summary: 'install a git pre-commit hook that runs `bug-author check --staged`', load: async () => (await import('./commands/hook-command.js')).hookCommand },
  { name: 'refresh-patch', summary: 'rewrite stale patches against the current reference (same edit, fresh context and line numbers)', load: async () => (await import('./commands/refresh-patch-command.js')).refreshPatchCommand },
  { name: 'relocate-sources', summary: "move patches out of the engine's bugs folders into a sibling folder (dry run unless --apply)", load: async () => (await import('./commands/relocate-sources-command.js')).relocateSourcesCommand },
  { name: 'inject', summary: 'print what the engine would give a student for a bug JSON and a source file', load: async () => (await import('./commands/inject-command.js')).injectCommand },
  { name: 'watch', summary: 'keep every JSON up to date while you edit patches (daemon)', load: async () => (await import('./commands/watch-command.js')).watchCommand },
];

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
  const entry = commands.find((c) => c.name === name);
  if (!entry) {
    io.stderr(`bug-author: unknown command '${name}'\n\n${usage()}\n`);
    return EXIT_USAGE;
  }
  try {
    const command = await entry.load();
    return await command.run(rest, io);
  } catch (err) {
    if (err instanceof UsageError) {
      io.stderr(`bug-author ${err.message}\nRun \`bug-author ${entry.name} --help\` for usage.\n`);
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

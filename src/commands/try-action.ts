import { tryDefinitions } from '../api/try-definitions.js';
import { formatTryJson, formatTryText } from '../try/format-try-report.js';
import { commandCwd, type CommandIO } from './command.js';
import type { TryArgs } from './try-command.js';

/** `bug-author try`: the public tryDefinitions(), printed as a matrix or JSON. */
export async function runTryCommand({ options, positionals }: TryArgs, io: CommandIO): Promise<number> {
  const result = await tryDefinitions({
    cwd: commandCwd(io, options.cwd),
    ...(options.config ? { configFile: options.config } : {}),
    env: io.env,
    students: positionals,
    ...(options.bug?.length ? { bugs: options.bug } : {}),
    ...(options.module ? { module: options.module } : {}),
    diff: options.diff === true,
  });
  const { definitions, files, exitCode: _exitCode, ...report } = result;
  io.stdout(options.format === 'json' ? formatTryJson(report) : formatTryText(report, { definitions, files }));
  return result.exitCode;
}

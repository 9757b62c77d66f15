import { UsageError } from '../errors.js';
import { refreshOnSave } from '../review/live-refresh.js';
import { reviewerName } from '../review/reviewer-name.js';
import { startReviewServer, type ReviewServer } from '../review/review-server.js';
import { ReviewStudio } from '../review/review-studio.js';
import { EXIT_OK, EXIT_USAGE, type CommandIO } from './command.js';
import { loadProject, type Project } from '../project/load-project.js';
import type { ReviewArgs } from './review-command.js';

export async function runReviewCommand({ options }: ReviewArgs, io: CommandIO): Promise<number> {
  const port = portOption('review', options.port);
  const project = await loadProject(io, { config: options.config, cwd: options.cwd });
  const studio = studioFor(project, io);
  const server = await listen(studio, port, 'review', io);
  if (!server) return EXIT_USAGE;
  const files = await refreshOnSave(project.config, () => void studio.refresh(), (err) => io.stderr(`bug-author review: ${err.message}\n`));
  try {
    await studio.refresh();
    io.stdout(`Reviewing ${studio.list().length} bugs in ${project.config.root} (Ctrl-C stops)\n`);
    await stopped(io.signal);
    return EXIT_OK;
  } finally {
    await files.close();
    await server.close();
  }
}

/** Starts the studio's server and prints its URL first; a taken port is a usage error (undefined). */
export async function listen(studio: ReviewStudio, port: number | undefined, command: string, io: CommandIO): Promise<ReviewServer | undefined> {
  try {
    const server = await startReviewServer(studio, { mode: command === 'watch' ? 'watch' : 'review', ...(port !== undefined ? { port } : {}) });
    io.stdout(`${server.url}\n`);
    return server;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code !== 'EADDRINUSE' && code !== 'EACCES') throw err;
    io.stderr(`bug-author ${command}: cannot listen on 127.0.0.1:${port} (${code === 'EADDRINUSE' ? 'the port is taken' : 'not allowed'}); leave --port out to use a free one\n`);
    return undefined;
  }
}

export function portOption(command: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`${command}: --port must be a port number (got ${value})`);
  return n;
}

/** A studio on the project as loaded for this command (the public API is asked with the same cwd, config and environment). */
export function studioFor(project: Project, io: CommandIO): ReviewStudio {
  const location = { cwd: project.cwd, env: io.env, ...(project.config.file ? { configFile: project.config.file } : {}) };
  return new ReviewStudio(location, () => reviewerName(project.config.root));
}

function stopped(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) return new Promise(() => {});
  if (signal.aborted) return Promise.resolve();
  return new Promise((resolve) => signal.addEventListener('abort', () => resolve(), { once: true }));
}

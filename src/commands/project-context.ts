import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { CommandIO } from './command.js';

/** Loads the config for a command and the project's `.env` (values already in the environment win). */
export async function loadProject(io: CommandIO, options: { config?: string | undefined; cwd?: string | undefined }): Promise<{ config: ResolvedConfig; env: NodeJS.ProcessEnv }> {
  const cwd = path.resolve(io.cwd, options.cwd ?? '.');
  const config = await loadConfig({ cwd, ...(options.config ? { configFile: options.config } : {}) });
  const envFile = path.join(config.root, '.env');
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  return { config, env: { ...fromFile, ...io.env } };
}

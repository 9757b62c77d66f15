import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';
import { loadConfig } from '../config/load-config.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { pythonChoiceOf } from '../python/python-choice.js';
import { createContentCache } from '../cache/content-cache.js';
import { sharedPythonRuntimes, type PythonRuntime } from '../python/runtime.js';
import { unservedInterpreters } from '../verify/unserved-interpreters.js';
import { setUpEngineJudge, type EngineSetup } from '../verify/engine-judge.js';

export interface Project {
  config: ResolvedConfig;
  /** The directory the command runs in (`--cwd` against the working directory): named files are relative to it. */
  cwd: string;
  /** The process environment over the project's `.env`. */
  env: NodeJS.ProcessEnv;
  /** The Python the config and BUG_AUTHOR_PYTHON ask for (started only when a bug needs it). */
  python: PythonRuntime;
  /** The curriculum's engine as a second judge, or why there is none. */
  engine: EngineSetup;
}

/**
 * Loads the config for a command and the project's `.env` (values already in the environment
 * win), and chooses its Python: BUG_AUTHOR_PYTHON, else the config's `python`, else auto.
 */
export async function loadProject(
  io: { cwd: string; env: NodeJS.ProcessEnv },
  options: { config?: string | undefined; cwd?: string | undefined; python?: PythonRuntime | undefined },
): Promise<Project> {
  const cwd = path.resolve(io.cwd, options.cwd ?? '.');
  const config = await loadConfig({ cwd, ...(options.config ? { configFile: options.config } : {}) });
  const envFile = path.join(config.root, '.env');
  const fromFile = existsSync(envFile) ? parseEnv(readFileSync(envFile, 'utf8')) : {};
  const env = { ...fromFile, ...io.env };
  const cache = createContentCache(config.cacheDir);
  const choice = pythonChoiceOf({ env, cwd, configured: config.python, root: config.root });
  // An interpreter that could not serve when last started (broken, or it never answered) is not started again until it changes.
  const python = options.python ?? sharedPythonRuntimes().runtimeFor(choice, { unserved: unservedInterpreters(cache) });
  return { config, cwd, env, python, engine: await setUpEngineJudge(config, python, cache) };
}

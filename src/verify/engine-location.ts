import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import { contentHash } from '../cache/hash.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { ConfigError } from '../errors.js';

/** The engine's injector, as a curriculum that ships its engine has it. */
export const ENGINE_INJECTOR = path.join('engine', 'ast_harden', 'generic_injector.py');

export interface EngineLocation {
  /** The directory holding the `engine` package (what would be on the engine's sys.path). */
  root: string;
  injectorFile: string;
  /** The injector's path for messages (relative to the project root when inside it). */
  label: string;
  /** `found under the project root` or `verify.engine`. */
  how: string;
  /** A fingerprint of the engine's Python files: a changed engine judges every definition again. */
  id: string;
}

/** Where the curriculum's engine is, or why there is none (`verify.engine: 'off'`, nothing under the root). */
export async function locateEngine(config: ResolvedConfig): Promise<EngineLocation | { none: string }> {
  const setting = config.verify.engine;
  if (setting === 'off') return { none: `verify.engine: 'off'` };
  if (setting === 'auto') {
    if (!existsSync(path.join(config.root, ENGINE_INJECTOR))) return { none: `no ${ENGINE_INJECTOR} under the project root` };
    return located(config, config.root, 'found under the project root');
  }
  if (existsSync(path.join(setting, ENGINE_INJECTOR))) return located(config, setting, 'verify.engine');
  // verify.engine may also name the `engine` package itself.
  if (path.basename(setting) === 'engine' && existsSync(path.join(setting, 'ast_harden', 'generic_injector.py'))) {
    return located(config, path.dirname(setting), 'verify.engine');
  }
  throw new ConfigError(config.file ?? path.join(config.root, '(defaults)'), `'verify.engine': ${setting} holds no ${ENGINE_INJECTOR} (use 'off' to verify without the engine)`);
}

/**
 * The `engine` package directory `verify.engine` points at, whether or not it exists yet (watch
 * watches it: an edit there is a new engine); undefined with `verify.engine: 'off'`.
 */
export function engineDirectory(config: ResolvedConfig): string | undefined {
  const setting = config.verify.engine;
  if (setting === 'off') return undefined;
  if (setting === 'auto') return path.join(config.root, 'engine');
  if (path.basename(setting) === 'engine' && !existsSync(path.join(setting, ENGINE_INJECTOR))) return setting;
  return path.join(setting, 'engine');
}

async function located(config: ResolvedConfig, root: string, how: string): Promise<EngineLocation> {
  const files = (await fg('engine/**/*.py', { cwd: root, ignore: ['**/__pycache__/**'], onlyFiles: true })).sort();
  const parts: (string | Buffer)[] = [];
  for (const file of files) parts.push(file, await readFile(path.join(root, file)));
  const injectorFile = path.join(root, ENGINE_INJECTOR);
  const relative = path.relative(config.root, injectorFile);
  const label = relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : injectorFile;
  return { root, injectorFile, label, how, id: contentHash('engine', ...parts).slice(0, 16) };
}

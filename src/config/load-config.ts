import { existsSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ConfigError } from '../errors.js';
import { importTypeScriptConfig } from './compile-config.js';
import { resolveConfig, type ResolvedConfig } from './resolved-config.js';

export const CONFIG_NAMES = ['bug-author.config.ts', 'bug-author.config.mts', 'bug-author.config.mjs', 'bug-author.config.js'];

/** The config file for `cwd`: the nearest one upwards, stopping at the repository root. */
export function findConfigFile(cwd: string): string | undefined {
  let dir = path.resolve(cwd);
  for (;;) {
    for (const name of CONFIG_NAMES) {
      const candidate = path.join(dir, name);
      if (existsSync(candidate)) return candidate;
    }
    const parent = path.dirname(dir);
    if (existsSync(path.join(dir, '.git')) || parent === dir) return undefined;
    dir = parent;
  }
}

export interface LoadConfigOptions {
  cwd: string;
  /** An explicit `--config` path. */
  configFile?: string;
}

/** Finds, imports (TypeScript through tsx) and validates the config; no file means the defaults at `cwd`. */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const file = options.configFile ? path.resolve(options.cwd, options.configFile) : findConfigFile(options.cwd);
  if (!file) return resolveConfig({}, path.resolve(options.cwd));
  if (!existsSync(file)) throw new ConfigError(file, 'config file not found');
  let exported: unknown;
  try {
    const module = (await importConfigModule(file)) as { default?: unknown };
    exported = unwrapInteropDefault(module.default);
  } catch (err) {
    throw new ConfigError(file, `cannot load: ${firstLine(err)}`);
  }
  if (exported === undefined) throw new ConfigError(file, 'has no default export (export default defineConfig({...}))');
  return resolveConfig(exported, path.dirname(file), file);
}

async function importConfigModule(file: string): Promise<unknown> {
  if (/\.(c|m)?ts$/.test(file)) return importTypeScriptConfig(file);
  return import(`${pathToFileURL(file).href}?t=${Date.now()}`);
}

/** A .ts config outside an ESM package is loaded as CommonJS: its `default` arrives wrapped once more. */
function unwrapInteropDefault(value: unknown): unknown {
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).every((k) => k === 'default' || k === '__esModule')) {
    return (value as { default: unknown }).default;
  }
  return value;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? 'unknown error';
}

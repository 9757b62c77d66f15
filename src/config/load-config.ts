import { existsSync } from 'node:fs';
import path from 'node:path';
import { ConfigError } from '../errors.js';
import { importCompiledConfig } from './compile-config.js';
import { findProjectRoot } from './find-project-root.js';
import { resolveConfig, type ResolvedConfig } from './resolved-config.js';

export { CONFIG_NAMES } from './find-project-root.js';

export interface LoadConfigOptions {
  cwd: string;
  /** An explicit `--config` path. */
  configFile?: string;
}

/**
 * Finds, imports (compiled by esbuild) and validates the config. Without a config file the
 * defaults apply at the project root findProjectRoot chooses (not blindly at `cwd`).
 */
export async function loadConfig(options: LoadConfigOptions): Promise<ResolvedConfig> {
  const found = options.configFile ? undefined : findProjectRoot(options.cwd);
  const file = options.configFile ? path.resolve(options.cwd, options.configFile) : found?.configFile;
  if (!file) return resolveConfig({}, found!.root);
  if (!existsSync(file)) throw new ConfigError(file, 'config file not found');
  let exported: unknown;
  let inputs: string[];
  try {
    const compiled = await importCompiledConfig(file);
    inputs = compiled.inputs;
    exported = unwrapInteropDefault((compiled.module as { default?: unknown }).default);
  } catch (err) {
    if (err instanceof ConfigError) throw err;
    throw new ConfigError(file, `cannot load: ${firstLine(err)}`, evaluationPlace(err, file));
  }
  if (exported === undefined) throw new ConfigError(file, 'has no default export (export default defineConfig({...}))');
  if (exported === null) throw new ConfigError(file, 'its default export is null; the default export must be an object (use defineConfig({...}))');
  const imports = inputs.filter((input) => input !== file);
  return { ...resolveConfig(exported, path.dirname(file), file), ...(imports.length ? { imports } : {}) };
}

/** A .ts config outside an ESM package is loaded as CommonJS: its `default` arrives wrapped once more. */
function unwrapInteropDefault(value: unknown): unknown {
  if (value && typeof value === 'object' && 'default' in value && Object.keys(value).every((k) => k === 'default' || k === '__esModule')) {
    return (value as { default: unknown }).default;
  }
  return value;
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : `it threw ${typeof err === 'string' ? JSON.stringify(err) : String(err)} (not an Error)`;
  return text.split('\n').find((l) => l.trim().length > 0)?.trim() ?? 'unknown error';
}

/** Where evaluating the config threw, from its stack (the compiled module maps back to the source). */
function evaluationPlace(err: unknown, file: string): { line?: number; column?: number } {
  const stack = err instanceof Error ? (err.stack ?? '') : '';
  const name = path.basename(file).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const frame = new RegExp(`${name}:(\\d+):(\\d+)`).exec(stack);
  return frame ? { line: Number(frame[1]), column: Number(frame[2]) } : {};
}

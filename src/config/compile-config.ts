import { createHash } from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BuildFailure, Message, Plugin } from 'esbuild';
import { ConfigError } from '../errors.js';
import { exportSource, packageExports, packageFile, packageRoot, packageVersion } from '../package-root.js';
import { containment, describeEscape } from '../files/contained-path.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { stateDir } from './resolved-config.js';

interface CompiledConfigManifest {
  /** Every file esbuild read (absolute) and the sha256 of its content. */
  inputs: Record<string, string>;
  output: string;
  /** The bug-author copy (root and version) its `bug-author` imports point to. */
  runner: string;
}

/** Running the TypeScript sources (tsx) rather than the compiled dist/. */
const FROM_SOURCE = import.meta.url.endsWith('.ts');

/** Another copy running (npx, then a global install; sources, then dist/) must not reuse a module importing the first. */
const RUNNER = `${packageRoot}@${packageVersion}${FROM_SOURCE ? ' (sources)' : ''}`;

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/** Where a config's compiled module and manifest are kept: `<configDir>/.bug-author/config/`. */
export function compiledConfigDir(configFile: string): string {
  return path.join(stateDir(path.dirname(configFile)), 'config');
}

/**
 * Imports a config file (TypeScript or JavaScript) compiled by esbuild into one ES module whose
 * package imports are absolute file URLs: `bug-author` and `bug-author/…` resolve to the copy
 * that is running (npx, a global install, a checkout), everything else as Node would from the
 * config's directory. The compiled module is kept in `compiledConfigDir` and reused while none
 * of its inputs changed (compiling on every run would cost more than a cached `check`); when
 * that directory cannot be written, the module is imported from memory instead. `inputs`: every
 * file esbuild read for it (absolute), the config file included.
 */
export async function importCompiledConfig(file: string): Promise<{ module: unknown; inputs: string[] }> {
  const outDir = compiledConfigDir(file);
  const manifestFile = path.join(outDir, `${path.basename(file)}.manifest.json`);
  const manifest = await readManifest(manifestFile);
  if (manifest && manifest.runner === RUNNER && (await inputsUnchanged(manifest))) {
    try {
      return { module: await importMapped(pathToFileURL(path.join(outDir, manifest.output)).href), inputs: Object.keys(manifest.inputs) };
    } catch (err) {
      // A package it imported moved (reinstalled elsewhere): compile again.
      if ((err as NodeJS.ErrnoException).code !== 'ERR_MODULE_NOT_FOUND') throw err;
    }
  }
  const { code, inputs } = await compileConfig(file);
  const output = `${path.basename(file, path.extname(file))}.${sha256(code).slice(0, 16)}.mjs`;
  try {
    await writeFileAtomic(path.join(outDir, output), code);
    await writeFileAtomic(manifestFile, JSON.stringify({ inputs, output, runner: RUNNER } satisfies CompiledConfigManifest));
    if (manifest && manifest.output !== output) await rm(path.join(outDir, manifest.output), { force: true });
  } catch {
    return { module: await importMapped(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`), inputs: Object.keys(inputs) };
  }
  return { module: await importMapped(pathToFileURL(path.join(outDir, output)).href), inputs: Object.keys(inputs) };
}

/** Imports with source maps on, so that an error thrown while the config runs names the config's own line. */
async function importMapped(url: string): Promise<unknown> {
  const before = process.sourceMapsEnabled;
  process.setSourceMapsEnabled(true);
  try {
    return await import(url);
  } catch (err) {
    if (err instanceof Error) void err.stack; // formatted now, while the maps are on (a config may throw anything, `undefined` included)
    throw err;
  } finally {
    process.setSourceMapsEnabled(before);
  }
}

async function compileConfig(file: string): Promise<{ code: string; inputs: Record<string, string> }> {
  const { build } = await import('esbuild');
  const workingDir = path.dirname(file);
  let result;
  try {
    result = await build({
      entryPoints: [file],
      absWorkingDir: workingDir,
      bundle: true,
      format: 'esm',
      platform: 'node',
      target: 'node20',
      write: false,
      metafile: true,
      // So that an error thrown while the config runs points at the config's own lines.
      sourcemap: 'inline',
      logLevel: 'silent',
      // Files are named as the config reaches them (through links), so a link leading out of the project is named.
      preserveSymlinks: true,
      // The compiled module runs from elsewhere: `import.meta` still means the config file.
      define: {
        'import.meta.url': JSON.stringify(pathToFileURL(file).href),
        'import.meta.filename': JSON.stringify(file),
        'import.meta.dirname': JSON.stringify(workingDir),
      },
      // A CommonJS config's require() calls need a require in an ES module.
      banner: { js: `import { createRequire as __bugAuthorRequire } from 'node:module'; const require = __bugAuthorRequire(${JSON.stringify(file)});` },
      plugins: [absolutePackageImports()],
    });
  } catch (err) {
    throw configSyntaxError(err, file, workingDir);
  }
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const absolute = path.resolve(workingDir, input);
    // The project's path rule for the config's own modules: a link in the project leading out is
    // refused. A module the config names outside the project by its own path (a shared config)
    // is the author's explicit choice, imported as written (and watched).
    const escape = containment(absolute, workingDir);
    if (!escape.inside && !escape.lexical) throw new ConfigError(file, describeEscape(escape, absolute, { base: workingDir, what: 'imported module', boundaryName: 'the project root' }));
    inputs[absolute] = sha256(await readFile(absolute));
  }
  return { code: result.outputFiles[0]!.text, inputs };
}

const BUILTINS = new Set(builtinModules);
const isBuiltin = (specifier: string) => specifier.startsWith('node:') || BUILTINS.has(specifier.split('/')[0]!) || BUILTINS.has(specifier);

/**
 * Keeps packages out of the bundle, as absolute file URLs so that the compiled module works
 * from any directory; `bug-author` itself is the running copy, through its own exports map.
 */
function absolutePackageImports(): Plugin {
  return {
    name: 'bug-author-absolute-package-imports',
    setup(build) {
      build.onResolve({ filter: /^[^./]/ }, async (args) => {
        if (args.pluginData === 'resolving' || isBuiltin(args.path)) return undefined;
        if (/^[a-z][a-z\d+.-]+:/i.test(args.path)) return { path: args.path, external: true }; // a URL (file:, data:)
        if (args.path === 'bug-author' || args.path.startsWith('bug-author/')) return { path: pathToFileURL(runningCopyEntry(args.path)).href, external: true };
        const resolved = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolving' });
        if (resolved.errors.length > 0) return { errors: resolved.errors };
        return { path: pathToFileURL(resolved.path).href, external: true };
      });
    },
  };
}

/** The file `bug-author/<subpath>` means in the running copy: compiled JS, or the TypeScript sources when running from them. */
function runningCopyEntry(specifier: string): string {
  const subpath = `.${specifier.slice('bug-author'.length)}`;
  const exportsMap = packageExports as Record<string, { default?: string } | string>;
  const entry = exportsMap[subpath];
  const target = FROM_SOURCE ? exportSource(exportsMap, subpath) : typeof entry === 'string' ? entry : entry?.default;
  if (!target) throw new ConfigError(packageFile('package.json'), `'${specifier}' is not an export of bug-author (exports: ${Object.keys(exportsMap).join(', ')})`);
  return path.resolve(packageRoot, target);
}

/** esbuild's first error as file:line:column and its text (not "Build failed with 1 error"). */
function configSyntaxError(err: unknown, configFile: string, workingDir: string): unknown {
  const errors = (err as Partial<BuildFailure>).errors;
  if (!Array.isArray(errors) || errors.length === 0) return err;
  const first = errors[0] as Message;
  const location = first.location;
  const file = location?.file ? path.resolve(workingDir, location.file) : configFile;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more error${errors.length > 2 ? 's' : ''})` : '';
  return new ConfigError(file, `${first.text}${more}`, location ? { line: location.line, column: location.column + 1 } : {});
}

async function readManifest(file: string): Promise<CompiledConfigManifest | undefined> {
  try {
    const parsed = JSON.parse(await readFile(file, 'utf8')) as CompiledConfigManifest;
    return parsed && typeof parsed.output === 'string' && typeof parsed.inputs === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

async function inputsUnchanged(manifest: CompiledConfigManifest): Promise<boolean> {
  for (const [file, hash] of Object.entries(manifest.inputs)) {
    const content = await readFile(file).catch(() => undefined);
    if (content === undefined || sha256(content) !== hash) return false;
  }
  return true;
}

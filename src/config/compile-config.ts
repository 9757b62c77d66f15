import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { writeFileAtomic } from '../write/atomic-write.js';

interface CompiledConfigManifest {
  /** Every file esbuild read (absolute) and the sha256 of its content. */
  inputs: Record<string, string>;
  output: string;
}

const sha256 = (text: string | Buffer) => createHash('sha256').update(text).digest('hex');

/**
 * Imports a TypeScript config. The compiled module is kept in `<configDir>/.bug-author/config/`
 * (so bare imports still resolve from the project) and reused while none of its inputs changed:
 * compiling on every run would cost more than a cached `check` itself.
 */
export async function importTypeScriptConfig(file: string): Promise<unknown> {
  const outDir = path.join(path.dirname(file), '.bug-author', 'config');
  const manifestFile = path.join(outDir, `${path.basename(file)}.manifest.json`);
  const manifest = await readManifest(manifestFile);
  if (manifest && (await inputsUnchanged(manifest))) return import(pathToFileURL(path.join(outDir, manifest.output)).href);

  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [file],
    bundle: true,
    packages: 'external',
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    metafile: true,
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.text;
  const output = `${path.basename(file, path.extname(file))}.${sha256(code).slice(0, 16)}.mjs`;
  const inputs: Record<string, string> = {};
  for (const input of Object.keys(result.metafile.inputs)) {
    const absolute = path.resolve(input);
    inputs[absolute] = sha256(await readFile(absolute));
  }
  await writeFileAtomic(path.join(outDir, output), code);
  await writeFileAtomic(manifestFile, JSON.stringify({ inputs, output } satisfies CompiledConfigManifest));
  return import(pathToFileURL(path.join(outDir, output)).href);
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

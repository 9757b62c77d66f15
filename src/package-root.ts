import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const manifest = path.join(dir, 'package.json');
    if (existsSync(manifest)) {
      const name = (JSON.parse(readFileSync(manifest, 'utf8')) as { name?: string }).name;
      if (name === 'bug-author') return dir;
    }
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('bug-author: cannot locate its own package root');
    dir = parent;
  }
}

/** Root of the bug-author package, whether running from src/ (tsx) or dist/ (compiled). */
export const packageRoot: string = findPackageRoot(path.dirname(fileURLToPath(import.meta.url)));

export function packageFile(...parts: string[]): string {
  return path.join(packageRoot, ...parts);
}

const manifest = JSON.parse(readFileSync(path.join(packageRoot, 'package.json'), 'utf8')) as { version: string; exports?: Record<string, unknown> };

export const packageVersion: string = manifest.version;

/** The package's `exports` map: what `import … from 'bug-author/…'` may name. */
export const packageExports: Readonly<Record<string, unknown>> = manifest.exports ?? {};

/**
 * The TypeScript source a public entry (`.`, `./plugin-kit`, `./plugins/synth`…) is compiled
 * from, relative to the package root: its `default` (`./dist/src/index.js` → `src/index.ts`).
 * The entries' `types` are the emitted declarations, so a user's compiler options never reach
 * our sources.
 */
export function exportSource(exportsMap: Readonly<Record<string, unknown>>, subpath: string): string | undefined {
  const entry = exportsMap[subpath];
  const compiled = typeof entry === 'string' ? entry : (entry as { default?: unknown } | undefined)?.default;
  if (typeof compiled !== 'string' || !compiled.startsWith('./dist/') || !compiled.endsWith('.js')) return undefined;
  return compiled.slice('./dist/'.length, -'.js'.length) + '.ts';
}

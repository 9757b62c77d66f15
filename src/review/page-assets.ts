import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import { packageRoot } from '../package-root.js';

/** The page's own files (plain static assets, no build step), in the package's source tree. */
const OWN_DIR = path.join(packageRoot, 'src', 'review', 'assets');
const OWN = ['studio.js', 'studio.css'] as const;

/** Libraries' browser builds, resolved through their packages in node_modules (never a CDN). */
const VENDOR: Record<string, string> = {
  'diff2html-ui.js': 'diff2html/bundles/js/diff2html-ui-slim.min.js',
  'diff2html.css': 'diff2html/bundles/css/diff2html.min.css',
  'highlight.css': 'highlight.js/styles/github.min.css',
};

const TYPES: Record<string, string> = { '.js': 'text/javascript; charset=utf-8', '.css': 'text/css; charset=utf-8', '.html': 'text/html; charset=utf-8' };

export interface Asset {
  body: string;
  type: string;
}

/**
 * Serves a fixed list of files by name: the page's own and the vendored libraries. Nothing else
 * is reachable (no paths from the request ever reach the file system).
 */
export function pageAssets(): { page(): Promise<string>; asset(name: string): Promise<Asset | undefined> } {
  const require = createRequire(import.meta.url);
  const files = new Map<string, string>([...OWN.map((name) => [name, path.join(OWN_DIR, name)] as const), ...Object.entries(VENDOR).map(([name, specifier]) => [name, require.resolve(specifier)] as const)]);
  const cache = new Map<string, Promise<string>>();
  const read = (file: string) => {
    let text = cache.get(file);
    if (!text) cache.set(file, (text = readFile(file, 'utf8')));
    return text;
  };
  return {
    page: () => read(path.join(OWN_DIR, 'index.html')),
    async asset(name) {
      const file = files.get(name);
      if (!file) return undefined;
      return { body: await read(file), type: TYPES[path.extname(name)] ?? 'application/octet-stream' };
    },
  };
}

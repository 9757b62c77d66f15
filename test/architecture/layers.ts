/**
 * The layers of bug-author's module graph, bottom first. A module may import from its own layer
 * (without a cycle between folders) and from the layers below it, never from one above: the
 * pipeline's data flows up through them (discover → inputs → before/after → generate → verify →
 * write → report), the contracts sit under everything that produces or consumes their payloads,
 * and the entries are at the top. Each entry is a folder (`src/compile` covers everything under it)
 * or a single file at the top of `src/`. test/architecture/layers.test.ts enforces it.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['src/errors.ts', 'src/package-root.ts', 'src/process'],
  ['src/python'],
  ['src/injector'],
  // Types only: the plugin and reporter contracts and their payloads.
  ['src/contracts.ts'],
  ['src/write', 'src/files'],
  ['src/cache'],
  ['src/schema'],
  ['src/transfer'],
  ['src/config'],
  ['src/discover'],
  ['src/patch', 'src/git'],
  ['src/inputs'],
  ['src/outputs', 'src/verify', 'src/drafts'],
  ['src/generate', 'src/prepare', 'src/project'],
  ['src/layout', 'src/report'],
  ['src/check'],
  ['src/compile', 'src/try'],
  // Repairing rotted patches builds their drafts as build does.
  ['src/repair'],
  ['src/watch'],
  // What a plugin author gets, then the plugins, built on it alone.
  ['src/plugin-kit.ts'],
  ['plugins/synth', 'plugins/openai', 'plugins/junit'],
  // The programmatic API and its composition (which generators are the defaults), then the entries.
  ['src/api'],
  // The review studio: a client of the API (its server, page and assets).
  ['src/review'],
  ['src/index.ts'],
  ['src/commands'],
  ['src/cli.ts'],
  ['src/main.ts'],
];

/** The folder (or top-level file) a module belongs to: `src/compile/run-build.ts` → `src/compile`. */
export function unitOf(file: string): string {
  const parts = file.split('/');
  return parts.length <= 2 ? file : `${parts[0]}/${parts[1]}`;
}

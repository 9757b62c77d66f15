import { readFileSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import ts from 'typescript';
import { exportSource } from '../../src/package-root.js';

/** One import between two of the project's own modules (paths relative to the repository root). */
export interface ImportEdge {
  from: string;
  to: string;
  /** `import type`, `export type … from`, or every name marked `type`: erased at run time but still a dependency of the types. */
  typeOnly: boolean;
  /** `await import('…')` (or `import('…').Type` in a type position). */
  dynamic: boolean;
}

export interface ModuleGraph {
  files: string[];
  edges: ImportEdge[];
}

/**
 * The import graph of the TypeScript files under `dirs`, read from the source text (static and
 * dynamic imports, re-exports, type-only imports and `import('…')` types all count). Relative
 * specifiers resolve to the `.ts` file; `bug-author` and `bug-author/…` resolve through the
 * package's exports map (the sources its entries compile from), as a plugin importing the public
 * entries would; anything else is a package and is left out.
 */
export function readModuleGraph(repoRoot: string, dirs: readonly string[]): ModuleGraph {
  const files = fg.sync(dirs.map((d) => `${d}/**/*.ts`), { cwd: repoRoot, ignore: ['**/*.d.ts'] }).sort();
  const known = new Set(files);
  const exportsMap = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { exports: Record<string, unknown> }).exports;
  const resolve = (from: string, specifier: string): string | undefined => {
    let target: string | undefined;
    if (specifier.startsWith('.')) target = path.posix.join(path.posix.dirname(from), specifier).replace(/\.js$/, '.ts');
    else if (specifier === 'bug-author' || specifier.startsWith('bug-author/')) {
      target = exportSource(exportsMap, `.${specifier.slice('bug-author'.length)}`);
    }
    if (target === undefined) return undefined;
    if (known.has(target)) return target;
    if (known.has(`${target}.ts`)) return `${target}.ts`;
    if (known.has(`${target}/index.ts`)) return `${target}/index.ts`;
    return undefined;
  };
  const edges: ImportEdge[] = [];
  for (const file of files) {
    for (const found of importsOf(file, readFileSync(path.join(repoRoot, file), 'utf8'))) {
      const to = resolve(file, found.specifier);
      if (to) edges.push({ from: file, to, typeOnly: found.typeOnly, dynamic: found.dynamic });
    }
  }
  return { files, edges };
}

/** One import as written in a module: its specifier, and whether it is type-only or dynamic. */
export interface ImportSpecifier {
  specifier: string;
  typeOnly: boolean;
  dynamic: boolean;
}

/** Every import of a TypeScript module: static, re-exports, dynamic `import()`, and `import('…')` types. */
export function importsOf(file: string, text: string): ImportSpecifier[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, ts.ScriptKind.TS);
  const found: ImportSpecifier[] = [];
  const add = (specifier: ts.Expression | undefined, typeOnly: boolean, dynamic: boolean) => {
    if (specifier && ts.isStringLiteralLike(specifier)) found.push({ specifier: specifier.text, typeOnly, dynamic });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      const clause = node.importClause;
      const named = clause?.namedBindings && ts.isNamedImports(clause.namedBindings) ? clause.namedBindings.elements : undefined;
      const allNamesTyped = named !== undefined && !clause?.name && named.length > 0 && named.every((e) => e.isTypeOnly);
      add(node.moduleSpecifier, clause?.isTypeOnly === true || allNamesTyped, false);
    } else if (ts.isExportDeclaration(node)) {
      const named = node.exportClause && ts.isNamedExports(node.exportClause) ? node.exportClause.elements : undefined;
      add(node.moduleSpecifier, node.isTypeOnly || (named !== undefined && named.length > 0 && named.every((e) => e.isTypeOnly)), false);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      add(node.arguments[0], false, true);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      add(node.argument.literal as ts.Expression, true, true);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Strongly connected components (Tarjan) of a directed graph, as lists of nodes; single nodes without a self-loop are left out. */
export function cycles(nodes: readonly string[], edges: readonly { from: string; to: string }[]): string[][] {
  const next = new Map<string, string[]>(nodes.map((n) => [n, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  let counter = 0;
  const connect = (v: string) => {
    index.set(v, counter);
    low.set(v, counter);
    counter++;
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1 || (next.get(v) ?? []).includes(v)) out.push(component.sort());
    }
  };
  for (const n of nodes) if (!index.has(n)) connect(n);
  return out;
}

export interface LayerFigures {
  files: number;
  imports: number;
  /** Folders (or top-level files) the layer table does not place. */
  unplaced: string[];
  /** Imports from a module to one in a higher layer. */
  upward: ImportEdge[];
  /** Cycles of folders (strongly connected components of the folder graph). */
  folderCycles: string[][];
  /** Cycles of files that span more than one folder. */
  fileCyclesAcrossFolders: string[][];
}

/** The figures the layering test asserts on (and `npm run graph` prints). */
export function measureLayers(graph: ModuleGraph, layers: readonly (readonly string[])[], unitOf: (file: string) => string): LayerFigures {
  const layerOf = new Map<string, number>();
  layers.forEach((units, i) => units.forEach((unit) => layerOf.set(unit, i)));
  const units = [...new Set(graph.files.map(unitOf))].sort();
  const crossing = graph.edges.filter((e) => unitOf(e.from) !== unitOf(e.to));
  const upward = crossing.filter((e) => {
    const from = layerOf.get(unitOf(e.from));
    const to = layerOf.get(unitOf(e.to));
    return from !== undefined && to !== undefined && to > from;
  });
  return {
    files: graph.files.length,
    imports: graph.edges.length,
    unplaced: units.filter((u) => !layerOf.has(u)),
    upward,
    folderCycles: cycles(units, crossing.map((e) => ({ from: unitOf(e.from), to: unitOf(e.to) }))),
    fileCyclesAcrossFolders: cycles(graph.files, graph.edges).filter((c) => new Set(c.map(unitOf)).size > 1),
  };
}

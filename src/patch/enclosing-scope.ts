import { indentWidth, leadingWhitespace, withoutCr } from './text-lines.js';

const DEFINITION = /^[ \t]*(?:async[ \t]+)?(?:def|class)[ \t]+(\w+)/;

/**
 * The innermost `def`/`class` that line `at` of `lines` belongs to (the line itself when it is
 * one), found by indentation; undefined for module-level code or when `lines` do not reach it.
 */
export function enclosingScope(lines: readonly string[], at: number): string | undefined {
  let limit = Infinity;
  for (let i = at; i >= 0; i--) {
    const text = withoutCr(lines[i] ?? '');
    if (text.trim() === '' || text.trim().startsWith('#')) continue;
    const indent = indentWidth(leadingWhitespace(text));
    const definition = DEFINITION.exec(text);
    if (definition && (i === at || indent < limit)) return definition[1];
    limit = Math.min(limit, indent);
    if (limit === 0) return undefined;
  }
  return undefined;
}

/** The names a hunk heading (`@@ -4,3 +4,3 @@ def silu(x):`) made before line `before` could show: the nearest `def`/`class` line above it, and the nearest top-level one (`diff -p`). */
export function headingCandidates(lines: readonly string[], before: number): string[] {
  const names = new Set<string>();
  let nearest: string | undefined;
  let topLevel: string | undefined;
  for (let i = before - 1; i >= 0 && (nearest === undefined || topLevel === undefined); i--) {
    const text = withoutCr(lines[i] ?? '');
    const definition = DEFINITION.exec(text);
    if (!definition) continue;
    nearest ??= definition[1];
    if (leadingWhitespace(text) === '') topLevel ??= definition[1];
  }
  for (const name of [nearest, topLevel]) if (name) names.add(name);
  return [...names];
}

/** The `def`/`class` a hunk heading names (`@@ -4,3 +4,3 @@ def silu(x):`), if it names one. */
export function headingScope(header: string | undefined): string | undefined {
  const heading = /^@@ .*? @@[ \t]?(.*)$/.exec(header ?? '')?.[1];
  return heading === undefined ? undefined : DEFINITION.exec(heading)?.[1];
}

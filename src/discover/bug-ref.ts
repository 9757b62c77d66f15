import path from 'node:path';
import picomatch from 'picomatch';
import type { PatchOnlyRule, ResolvedConfig } from '../config/resolved-config.js';
import type { BugRef } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { BugRef } from '../contracts.js';

/** Describes one patch file by the configured conventions. */
export function bugRefFor(patchFile: string, config: ResolvedConfig): BugRef {
  const absolute = path.resolve(config.root, patchFile);
  const dir = path.dirname(absolute);
  const name = path.basename(absolute).replace(/\.(patch|diff)$/, '');
  const moduleDir = config.bugFolders.includes(path.basename(dir)) ? path.dirname(dir) : dir;
  const module = path.basename(moduleDir);
  const fill = (template: string) =>
    path.resolve(config.root, template.replaceAll('{dir}', dir).replaceAll('{name}', name).replaceAll('{moduleDir}', moduleDir).replaceAll('{module}', module));
  return {
    id: `${module}/${name}`,
    name,
    module,
    patchFile: absolute,
    dir,
    moduleDir,
    outputFile: fill(config.output),
    symptomCandidates: config.symptom.map(fill),
    ...patchOnlyOf(relativeToRoot(config, absolute), config.patchOnly),
  };
}

const matchers = new WeakMap<readonly PatchOnlyRule[], { rule: PatchOnlyRule; test: (file: string) => boolean }[]>();

/** The rules with their globs compiled (once per rule list). */
function compiledRules(rules: readonly PatchOnlyRule[]): { rule: PatchOnlyRule; test: (file: string) => boolean }[] {
  let compiled = matchers.get(rules);
  if (!compiled) matchers.set(rules, (compiled = rules.map((rule) => ({ rule, test: picomatch(rule.pattern, { dot: true }) }))));
  return compiled;
}

/** The patch-only rule a patch (relative to the root) falls under, if any. */
function patchOnlyOf(relative: string, rules: readonly PatchOnlyRule[]): { patchOnly?: { reason?: string } } {
  if (rules.length === 0) return {};
  const hit = compiledRules(rules).find((m) => m.test(relative));
  return hit ? { patchOnly: hit.rule.reason ? { reason: hit.rule.reason } : {} } : {};
}

/** patchOnly rules that match none of these patches (a renamed bug, a typo). */
export function unmatchedPatchOnlyRules(config: ResolvedConfig, bugs: readonly BugRef[]): PatchOnlyRule[] {
  const relative = bugs.map((b) => relativeToRoot(config, b.patchFile));
  return compiledRules(config.patchOnly)
    .filter(({ test }) => !relative.some((file) => test(file)))
    .map(({ rule }) => rule);
}

/** Scratch files that are never outputs: `*_draft*.json`, `*_v2.json`. */
export function isScratchJson(file: string): boolean {
  const base = path.basename(file);
  return /_draft[^/]*\.json$/.test(base) || /_v2\.json$/.test(base);
}

export function relativeToRoot(config: { root: string }, file: string): string {
  return path.relative(config.root, file).split(path.sep).join('/');
}

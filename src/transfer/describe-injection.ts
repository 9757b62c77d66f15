// What an injection does to a student's file, as the student would get it: the checks `try` and
// transfer verification share (whether the engine injects at all, and what makes a result a
// broken program).
import type { TreeInjection } from '../injector/inject.js';
import { hasEmptyBlock, isNode, type PyNode } from '../python/tree.js';
import { introducedUndefinedNames, MODULE_UNIT } from './python-names.js';

/**
 * `failed`: the engine injects nothing and says so: the injector reports failure, or raises (the
 * engine then returns no program: the student sees a failed injection, not a wrong one), or the
 * result is no module at all (`ast.unparse` then raises, and the original source comes back).
 * `injected`: the engine hands back `tree`; `problems` say what makes it a broken program.
 */
export type InjectionDescription = { injected: false; reason: string } | { injected: true; tree: PyNode; problems: string[] };

export function describeInjection(result: TreeInjection, original: PyNode): InjectionDescription {
  if ('error' in result) return { injected: false, reason: `the injector raises ${result.error}` };
  if (!result.ok) return { injected: false, reason: result.reason };
  if (!isNode(result.tree)) return { injected: false, reason: 'it removes the whole module, so ast.unparse fails and the engine injects nothing' };
  const problems: string[] = [];
  const undefinedNames = introducedUndefinedNames(result.tree, original);
  if (undefinedNames.length) problems.push(`uses ${undefinedNames.map((n) => `\`${n}\``).join(', ')}, which the student's file never defines`);
  if (hasEmptyBlock(result.tree)) problems.push('leaves a block empty (not valid Python)');
  return { injected: true, tree: result.tree, problems };
}

/** Unit keys for a message: `` `Opt.lr#2` ``, and `<module>` as what it is. */
export function listUnits(keys: readonly string[]): string {
  return keys.map((key) => (key === MODULE_UNIT ? 'code outside the functions' : `\`${key}\``)).join(', ');
}

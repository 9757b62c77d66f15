// Which names in a pattern are part of the code's structure (libraries, common builtins, the
// module's own functions and classes, the parameters of the API a student implements) and which
// are the author's local variables, that a student's implementation is unlikely to share. (Only
// builtins a program does not reuse as variable names: `input`, `id` or `format` often are.)
import type { PyNode } from '../../src/plugin-kit.js';
import { moduleBoundNames, parameterNames } from '../../src/plugin-kit.js';
import { enclosingFunctions } from './node-location.js';

const BUILTINS = new Set([
  'abs', 'all', 'any', 'bool', 'bytes', 'dict', 'divmod', 'enumerate', 'filter', 'float', 'frozenset', 'getattr',
  'hasattr', 'hash', 'int', 'isinstance', 'issubclass', 'iter', 'len', 'list', 'map', 'max', 'min', 'next', 'object',
  'open', 'ord', 'chr', 'pow', 'print', 'range', 'repr', 'reversed', 'round', 'set', 'setattr', 'slice', 'sorted',
  'str', 'sum', 'super', 'tuple', 'type', 'zip', 'None', 'True', 'False', 'NotImplemented', 'Exception',
  'ValueError', 'TypeError', 'KeyError', 'IndexError', 'RuntimeError', 'AssertionError', 'StopIteration',
  'self', 'cls',
]);

export type NameTier =
  /** Names a student's code most likely uses too. */
  | 'shared'
  /** Parameters of the function around the code: its signature is usually given to students. */
  | 'parameter'
  /** The author's own variables. */
  | 'local';

export interface NameTiers {
  tierOf(name: string): NameTier;
}

/** Imported names, module-level definitions and constants, common builtins, `self`/`cls`. */
export function nameTiers(module: PyNode): NameTiers {
  const shared = new Set([...BUILTINS, ...moduleBoundNames(module)]);
  return { tierOf: (name) => (shared.has(name) ? 'shared' : 'local') };
}

/** The same tiers, knowing the parameters of the function around the pattern's target. */
export function withParameters(names: NameTiers, parameters: ReadonlySet<string>): NameTiers {
  return { tierOf: (name) => (names.tierOf(name) === 'shared' ? 'shared' : parameters.has(name) ? 'parameter' : 'local') };
}

/** Parameter names of the functions (and lambdas) enclosing `target`. */
export function enclosingParameters(root: PyNode, target: PyNode): Set<string> {
  return new Set(enclosingFunctions(root, target).flatMap(parameterNames));
}

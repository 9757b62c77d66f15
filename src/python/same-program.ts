import { parsePythonMany } from './python-ast.js';
import type { PythonRuntime } from './runtime.js';
import { sameTree } from './tree.js';

/** Object reprs such as `<ast.Constant object at 0x7f…>` differ from run to run. */
const withoutAddresses = (text: string) => text.replace(/ at 0x[0-9a-f]+>/g, ' at 0x…>');

/**
 * Whether two injector outputs are the same program: equal `ast.dump` when both parse (comments
 * and formatting aside), else equal text (some outputs, such as an emptied body, are not Python).
 */
export async function sameProgram(python: PythonRuntime, a: string, b: string): Promise<boolean> {
  if (a === b) return true;
  const [left, right] = await parsePythonMany(python, [a, b]);
  if (left!.ok && right!.ok) return sameTree(left!.tree, right!.tree);
  return withoutAddresses(a) === withoutAddresses(b);
}

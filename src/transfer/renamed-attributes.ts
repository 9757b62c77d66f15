// The student-style variant that names a class's instance attributes otherwise (`self.rows` →
// `self.my_rows`): what a class stores on `self` is as much the student's choice as a local's
// name, and a definition that writes or requires the reference's attribute names must fail
// loudly on such a student, never write `self.rows` into a class that has none.
import { getAttr, isNode, walk, type PyNode } from '../python/tree.js';
import { functionUnits, parameterNodes } from './python-names.js';
import type { FreshNames, VariantPlan } from './student-variants.js';

/** The name a method calls its instance (`self`), or undefined for a static method or none. */
function instanceName(method: PyNode): string | undefined {
  const decorators = getAttr(method, 'decorator_list');
  if (Array.isArray(decorators) && decorators.some((d) => isNode(d) && d._type === 'Name' && d.id === 'staticmethod')) return undefined;
  const first = parameterNodes(method)[0];
  return typeof first?.arg === 'string' ? first.arg : undefined;
}

/** `self.x` in a method: an attribute of the method's own instance. */
function isInstanceAttribute(node: PyNode, instance: string): boolean {
  const value = getAttr(node, 'value');
  return node._type === 'Attribute' && isNode(value) && value._type === 'Name' && value.id === instance;
}

/**
 * Attributes some method assigns on its instance, each with a fresh name; left out are
 * dunders, methods' names, and any attribute the module also reads on another object
 * (`node.next`), which a rename on `self` alone would tear apart.
 */
function attributeRenames(module: PyNode, names: FreshNames): Map<string, string> {
  const assigned = new Set<string>();
  const onInstance = new Set<PyNode>();
  const methods = new Set<string>();
  for (const unit of functionUnits(module)) {
    if (!unit.owner) continue;
    methods.add(String(unit.node.name));
    const instance = instanceName(unit.node);
    if (!instance) continue;
    for (const node of walk(unit.node)) {
      if (!isInstanceAttribute(node, instance)) continue;
      onInstance.add(node);
      if ((getAttr(node, 'ctx') as PyNode | undefined)?._type === 'Store') assigned.add(String(node.attr));
    }
  }
  const elsewhere = new Set([...walk(module)].filter((n) => n._type === 'Attribute' && !onInstance.has(n)).map((n) => String(n.attr)));
  const renamable = [...assigned].filter((a) => !a.startsWith('__') && !methods.has(a) && !elsewhere.has(a)).sort();
  return new Map(renamable.map((a) => [a, names.fresh(`my_${a.replace(/^_+/, '')}`)]));
}

export function planRenamedAttributes(reference: PyNode, names: FreshNames): { plan: VariantPlan } | { skip: string } {
  const renames = attributeRenames(reference, names);
  const example = [...renames].at(0);
  if (!example) return { skip: 'no method assigns an attribute of its instance that only its class reads' };
  return {
    plan: {
      kind: 'renamed-attributes',
      description: `instance attributes renamed in every class (\`self.${example[0]}\` → \`self.${example[1]}\`)`,
      apply: (tree) => {
        for (const unit of functionUnits(tree)) {
          const instance = unit.owner ? instanceName(unit.node) : undefined;
          if (!instance) continue;
          for (const node of walk(unit.node)) {
            const renamed = isInstanceAttribute(node, instance) ? renames.get(String(node.attr)) : undefined;
            if (renamed) node.attr = renamed;
          }
        }
      },
    },
  };
}

// Applies an encoding to the working tree in place, the way the engine's pass would change the
// matched node, while every other node keeps its identity (later edits still point at them).
import { resolveNodePath } from '../../src/plugin-kit.js';
import { fieldsOf, getAttr, isNode, walk, type PyNode, type PyValue } from '../../src/plugin-kit.js';
import type { Encoding } from './edit-classifier.js';

interface Slot {
  owner: PyNode;
  field: string;
  index?: number;
}

/** Applies `encoding` and returns the nodes it removed or rewrote (edits anchored there are done). */
export function applyEncoding(root: PyNode, encoding: Encoding): Set<PyNode> {
  const { target } = encoding;
  if (encoding.type === 'remove_keyword_arg') {
    const keywords = getAttr(target, 'keywords');
    const list = Array.isArray(keywords) ? keywords : [];
    const dropped = list.filter((kw) => isNode(kw) && getAttr(kw, 'arg') === encoding.name) as PyNode[];
    target.keywords = list.filter((kw) => !dropped.includes(kw as PyNode));
    return new Set(dropped.flatMap((kw) => [...walk(kw)]));
  }
  const touched = new Set(walk(target));
  switch (encoding.type) {
    case 'delete_statement':
      putInSlot(findSlot(root, target), undefined);
      break;
    case 'replace_with':
      putInSlot(findSlot(root, target), resolveNodePath(target, encoding.source));
      break;
    case 'replace_value_with':
      target.value = encoding.sourceKind === 'path' ? resolveNodePath(target, encoding.source)! : structuredClone(encoding.value);
      break;
    default:
      break;
  }
  return touched;
}

function findSlot(root: PyNode, target: PyNode): Slot {
  for (const owner of walk(root)) {
    for (const field of fieldsOf(owner)) {
      const value = getAttr(owner, field);
      if (value === target) return { owner, field };
      if (Array.isArray(value)) {
        const index = value.indexOf(target);
        if (index !== -1) return { owner, field, index };
      }
    }
  }
  throw new Error(`synth: the target ${target._type} is no longer in the tree`);
}

/** Like the engine's NodeTransformer: a list takes the items of a list result, a missing result removes. */
function putInSlot(slot: Slot, value: PyValue | undefined): void {
  const { owner, field, index } = slot;
  if (index === undefined) {
    if (value === undefined) delete owner[field];
    else owner[field] = value;
    return;
  }
  const list = owner[field] as PyValue[];
  if (value === undefined) list.splice(index, 1);
  else if (Array.isArray(value)) list.splice(index, 1, ...value);
  else list.splice(index, 1, value);
}

// Student-style variants of a reference file: the same program written the way another person
// might write it (other names, other order, other structure away from the bug site). Each
// transformation is applied to the reference and, identically, to the patched reference, so a
// definition injected into the first must give the second.
import { longestCommonSubsequence } from '../python/common-subsequence.js';
import { parsePythonMany, positionedNodes, reparsedTree, reprintMany, withPositions, type ReparseBase } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { deepCopy, fixMissingLocations, getAttr, isNode, sameTree, unchangedModuleStatements, walk, type PyNode } from '../python/tree.js';
import type { Side } from './block-alignment.js';
import { planRenamedAttributes } from './renamed-attributes.js';
import { planRestructurings } from './restructured-variants.js';
import { planSpellings } from './spelled-variants.js';
import { functionUnits, isFunctionDef, loadedNames, localNames, matchUnits, parameterNames, parameterNodes, statementsOf, type FunctionUnit } from './python-names.js';

// The list of kinds is part of the contracts (src/contracts.ts): add a new kind there.
import { VARIANT_KINDS, type VariantKind } from '../contracts.js';
export { VARIANT_KINDS, type VariantKind };

/** Bumped whenever a variant could come out differently: part of every cached transfer verdict. */
export const VARIANTS_VERSION = 8;

export interface StudentVariant {
  kind: VariantKind;
  /** What was changed, for reports. */
  description: string;
  /** The student-style file as the engine would receive it. */
  source: string;
  /**
   * CPython's parse of `source`, and of the patched reference under the same transformation (what
   * injection must give). Each call builds a new tree, the caller's to change or drop: a large
   * module's variants are not all held at once (the transformations are replayed on the parsed
   * reference, with the positions CPython gave the printed file).
   */
  tree(): PyNode;
  expected(): PyNode;
}

export interface StudentVariants {
  /** The reference as parsed (to tell the module's own names from a function's). */
  referenceTree: PyNode;
  variants: StudentVariant[];
  /** Kinds that do not apply to this file (no function changed, nothing to extract…), with why. */
  notApplicable: Array<{ kind: VariantKind; reason: string }>;
}

export interface VariantPlan {
  kind: VariantKind;
  description: string;
  apply(tree: PyNode, side: Side): void;
}

const KEPT_NAMES = new Set(['self', 'cls', '_']);

/** Expressions that cannot move into a helper as they are: their own scopes, or suspension points. */
const SCOPED_OR_SUSPENDING = new Set(['Lambda', 'ListComp', 'SetComp', 'DictComp', 'GeneratorExp', 'NamedExpr', 'Yield', 'YieldFrom', 'Await']);

/** Code a student might have above everything else; `{flag}` and `{helper}` become fresh names. */
const SNIPPETS = `import os
import sys
{flag} = False

def {helper}(value):
    return value

def _docstring_holder():
    """Student's implementation."""

def _annotation_holder(a: object):
    pass
`;

/** CPython's parse of the reference and of the patched reference, as they are (not dedented), when the caller has it already; only read. */
export interface ParsedSides {
  reference: PyNode;
  patched: PyNode;
}

/** Where a bug's variants come from; the ones that depend only on the reference are built once per reference file. */
export interface VariantSource {
  variantsFor(reference: string, patched: string, parsed?: ParsedSides): Promise<StudentVariants | { error: string }>;
}

/** A variant made: its text, and how to build its tree again. */
interface BuiltVariant {
  plan: VariantPlan;
  source: string;
  tree: () => PyNode;
}

interface ReferenceVariants {
  tree: PyNode;
  snippets: PyNode[];
  shared: BuiltVariant[];
  notApplicable: StudentVariants['notApplicable'];
}

/**
 * How many reference files' variants a source keeps (a watch session sees many edits), and how
 * much source they may add up to: each keeps its parsed tree, ~60 times its text (a 400 KB file's is
 * ~25 MB), so a few large files must not stay held 32 at a time. The newest is always kept.
 */
const REMEMBERED_REFERENCES = 32;
const REMEMBERED_SOURCE_CHARS = 1_000_000;

/**
 * Variants come from tree transformations, unparsed and parsed again by CPython so that every
 * variant has the positions CPython gives the student's file (pins and track passes depend on
 * them); the patched side only needs its shape, so it stays a transformed tree.
 */
export function createVariantSource(python: PythonRuntime, limits: { references?: number; sourceChars?: number } = {}): VariantSource {
  const { references: keptReferences = REMEMBERED_REFERENCES, sourceChars: keptChars = REMEMBERED_SOURCE_CHARS } = limits;
  const references = new Map<string, Promise<ReferenceVariants | { error: string }>>();
  const referenceVariants = (reference: string, parsed: PyNode | undefined) => {
    let entry = references.get(reference);
    if (entry) {
      references.delete(reference);
    } else {
      const prepared = prepareReference(reference, parsed, python);
      // A failure (the Python worker died) is not remembered: the next bug asks again.
      prepared.catch(() => references.get(reference) === prepared && references.delete(reference));
      entry = prepared;
    }
    references.set(reference, entry);
    let chars = 0;
    for (const key of references.keys()) chars += key.length;
    for (const oldest of references.keys()) {
      if (references.size <= 1 || (references.size <= keptReferences && chars <= keptChars)) break;
      references.delete(oldest);
      chars -= oldest.length;
    }
    return entry;
  };
  return {
    async variantsFor(reference, patched, parsed) {
      const [ref, [pat]] = await Promise.all([
        referenceVariants(reference, parsed?.reference),
        parsed ? [{ ok: true as const, tree: parsed.patched }] : parsePythonMany(python, [patched]),
      ]);
      if ('error' in ref) return ref;
      if (!pat?.ok) return { error: 'the patched reference does not parse' };
      const { plans, notApplicable } = planBugVariants(ref.tree, pat.tree, ref.snippets, freshNames([ref.tree, pat.tree]));
      const own = await materialize(plans, { source: reference, tree: ref.tree }, python);
      const patchedTree = pat.tree;
      const variants = [...ref.shared, ...own.built].map(({ plan, source, tree }) => ({
        kind: plan.kind,
        description: plan.description,
        source,
        tree,
        expected: () => transformed(plan, patchedTree, 'patched'),
      }));
      return { referenceTree: ref.tree, variants, notApplicable: [...ref.notApplicable, ...notApplicable, ...own.failed] };
    },
  };
}

/**
 * A copy of `tree` with the plan applied to it: new nodes at their parent's position, or, given
 * CPython's positions of the printed file, every node where CPython put it.
 */
function transformed(plan: VariantPlan, tree: PyNode, side: Side, positions?: ReadonlyArray<number | null>): PyNode {
  const copy = deepCopy(tree);
  plan.apply(copy, side);
  // Nodes made here have no position, and ast.unparse needs one; the reparse gives the real ones (to every node: no need to fix them first).
  if (!positions || !withPositions(copy, positions)) fixMissingLocations(copy);
  return copy;
}

async function prepareReference(reference: string, parsed: PyNode | undefined, python: PythonRuntime): Promise<ReferenceVariants | { error: string }> {
  const [ref] = parsed ? [{ ok: true as const, tree: parsed }] : await parsePythonMany(python, [reference]);
  if (!ref?.ok) return { error: 'the reference does not parse' };
  const names = freshNames([ref.tree]);
  const snippetText = SNIPPETS.replaceAll('{flag}', names.fresh('STUDENT_DEBUG')).replaceAll('{helper}', names.fresh('student_helper'));
  const [snippets] = await parsePythonMany(python, [snippetText]);
  if (!snippets?.ok) return { error: 'the variant snippets do not parse' };
  const body = statementsOf(snippets.tree, 'body');
  const attributes = planRenamedAttributes(ref.tree, names);
  const plans = planReferenceVariants(ref.tree, body, names);
  if ('plan' in attributes) plans.splice(3, 0, attributes.plan);
  const { built, failed } = await materialize(plans, { source: reference, tree: ref.tree }, python);
  const skipped = 'skip' in attributes ? [{ kind: 'renamed-attributes' as const, reason: attributes.skip }] : [];
  return { tree: ref.tree, snippets: body, shared: built, notApplicable: [...skipped, ...failed] };
}

/**
 * Applies each plan to a copy of the reference (parsed from its source) and has CPython print and
 * parse the result. Only the text and the positions are kept: the tree is built again when asked
 * for (a plan gives the same tree every time), not held for every variant of a large module.
 */
async function materialize(plans: readonly VariantPlan[], reference: ReparseBase, python: PythonRuntime): Promise<{ built: BuiltVariant[]; failed: StudentVariants['notApplicable'] }> {
  // What the answer's positions must cover, counted as each tree is sent (so it need not be built again to check).
  const positioned: number[] = [];
  const reprinted = await reprintMany(
    python,
    plans.length,
    (i) => {
      const tree = transformed(plans[i]!, reference.tree, 'reference');
      positioned[i] = positionedNodes(tree).length;
      return tree;
    },
    reference,
  );
  const built: BuiltVariant[] = [];
  const failed: StudentVariants['notApplicable'] = [];
  for (const [i, plan] of plans.entries()) {
    const answer = reprinted[i]!;
    if (answer.ok && 'positions' in answer && answer.positions.length === 4 * positioned[i]!) {
      const { positions } = answer;
      built.push({
        plan,
        source: answer.text,
        tree: () => transformed(plan, reference.tree, 'reference', positions),
      });
      continue;
    }
    const result = await reparsedTree(python, answer, transformed(plan, reference.tree, 'reference'));
    if (!result.ok) {
      failed.push({ kind: plan.kind, reason: `the transformed file is not valid Python (a defect of bug-author: ${result.error})` });
    } else {
      // Printing changed the shape: CPython's own parse is kept, and copied for each caller.
      const parsed = result.tree;
      built.push({ plan, source: result.text, tree: () => deepCopy(parsed) });
    }
  }
  return { built, failed };
}

/** Variants that depend on the reference alone: names and layout. */
function planReferenceVariants(reference: PyNode, snippets: PyNode[], names: FreshNames): VariantPlan[] {
  const units = functionUnits(reference);
  const localMaps = new Map(units.map((u) => [u.key, renameMap([...localNames(u.node)], names, 'my_')]));
  const argumentMaps = new Map(
    units.map((u) => [u.key, new Map([...localMaps.get(u.key)!, ...renameMap(parameterNames(u.node).filter((n) => !KEPT_NAMES.has(n)), names, '', '_in')])]),
  );
  const example = [...localMaps.values()].flatMap((m) => [...m]).at(0);
  const renamedLocals: VariantPlan = {
    kind: 'renamed-locals',
    description: `local variables renamed in every function${example ? ` (\`${example[0]}\` → \`${example[1]}\`)` : ''}, signatures kept`,
    apply: (tree) => renameEverywhere(tree, localMaps, false),
  };

  const [importOs, importSys, flagAssign, helperDef, docstringHolder, annotationHolder] = snippets as [PyNode, PyNode, PyNode, PyNode, PyNode, PyNode];
  const docstring = statementsOf(docstringHolder, 'body')[0]!;
  const annotation = getAttr(parameterNodes(annotationHolder)[0], 'annotation') as PyNode;
  const hadDocstring = new Set(units.filter((u) => docstringOf(u.node)).map((u) => u.key));
  const hadHints = new Set(units.filter((u) => hasTypeHints(u.node)).map((u) => u.key));
  const moved: VariantPlan = {
    kind: 'moved',
    description: 'imports, a constant and a helper function added above, functions and methods in reverse order, docstrings and type hints added where missing and dropped where present',
    apply: (tree) => {
      for (const unit of functionUnits(tree)) {
        toggleDocstring(unit.node, hadDocstring.has(unit.key), docstring);
        toggleTypeHints(unit.node, hadHints.has(unit.key), annotation);
      }
      reverseDefinitions(tree);
      const body = tree.body as PyNode[];
      body.splice(headerLength(body), 0, ...[importOs, importSys, flagAssign, helperDef].map((n) => deepCopy(n)));
    },
  };
  const renamedArguments: VariantPlan = {
    kind: 'renamed-arguments',
    description: 'arguments renamed too (`self`/`cls` kept), with the locals, and the code moved as in `moved`',
    apply: (tree, side) => {
      renameEverywhere(tree, argumentMaps, true);
      moved.apply(tree, side);
    },
  };
  const counter = names.fresh('calls_seen');
  const extraAtTop: VariantPlan = {
    kind: 'extra-assignment-top',
    description: `one more assignment (\`${counter} = 0\`) at the top of every function, which moves every later one`,
    apply: (tree) => {
      for (const unit of functionUnits(tree)) (unit.node.body as PyNode[]).splice(docstringOf(unit.node) ? 1 : 0, 0, assignment(counter, constant(0)));
    },
  };
  return [renamedLocals, moved, renamedArguments, extraAtTop];
}

/** Variants restructured around the code the patch changes: they need both sides' alignment. */
function planBugVariants(reference: PyNode, patched: PyNode, snippets: PyNode[], names: FreshNames): { plans: VariantPlan[]; notApplicable: StudentVariants['notApplicable'] } {
  const changed = matchUnits(reference, patched).flatMap(({ before: unit, after: other }) =>
    unit && other && !sameTree(unit.node, other.node) ? [{ unit, alignment: alignBodies(unit, other) }] : [],
  );
  const plans: VariantPlan[] = [];
  const notApplicable: StudentVariants['notApplicable'] = [];
  const skip = (kind: VariantKind, reason: string) => notApplicable.push({ kind, reason });
  const helperDef = snippets[3]!;

  if (changed.length === 0) {
    const reason = 'the patch changes no function (or adds/removes whole functions)';
    for (const kind of VARIANT_KINDS.slice(VARIANT_KINDS.indexOf('extra-assignment'))) if (kind !== 'extra-assignment-top') skip(kind, reason);
    return { plans, notApplicable };
  }

  const extra = changed.map(({ unit, alignment }) => {
    const parameter = parameterNames(unit.node).find((n) => !KEPT_NAMES.has(n));
    return { unit, at: insertionPoint(alignment, unit.node), name: names.fresh(`${parameter ?? 'value'}_copy`), parameter };
  });
  plans.push({
    kind: 'extra-assignment',
    description: `an extra assignment just before the changed code of ${extra.map((e) => `\`${e.unit.key}\``).join(', ')}`,
    apply: (tree, side) => {
      for (const { unit, at, name, parameter } of extra) {
        const target = findUnit(tree, unit.key);
        if (!target) continue;
        (target.node.body as PyNode[]).splice(at[side], 0, assignment(name, parameter ? loadName(parameter) : constant(null)));
      }
    },
  });

  const { unit: primary, alignment: primaryAlignment } = changed[0]!;
  const extraction = extractionCandidate(primary, primaryAlignment);
  if (extraction) {
    const helperName = names.fresh(`compute_${extraction.target}`);
    plans.push({
      kind: 'helper-extracted',
      description: `\`${extraction.target} = …\` in \`${primary.key}\` computed by a new helper function \`${helperName}\``,
      apply: (tree, side) => {
        const unit = findUnit(tree, primary.key);
        const statement = unit && statementsOf(unit.node, 'body')[extraction.index[side]];
        if (!unit || !statement) return;
        const helper = deepCopy(helperDef);
        helper.name = helperName;
        (getAttr(helper, 'args') as PyNode).args = extraction.parameters.map(argument);
        helper.body = [{ _type: 'Return', value: statement.value! }];
        statement.value = { _type: 'Call', func: loadName(helperName), args: extraction.parameters.map(loadName), keywords: [] };
        const module = tree.body as PyNode[];
        module.splice(module.indexOf(topLevelStatementOf(tree, unit.node)), 0, helper);
      },
    });
  } else {
    skip('helper-extracted', `\`${primary.key}\` has no unchanged assignment to extract`);
  }

  // Only the first changed function gets a look-alike: v2.1 confines edits by canonical names,
  // which exist only in `target_function`, so a look-alike of an edit in a second function is
  // hit by every definition there can be (a known limit, see the README), and would fail them all.
  const changedStatements = statementsOf(primary.node, 'body').filter((_, i) => !primaryAlignment.some(([r]) => r === i));
  if (changedStatements.length > 0) {
    const lookalikeName = names.fresh(`${String(primary.node.name)}_lookalike`);
    plans.push({
      kind: 'lookalike',
      description: `a copy of the code the patch changes in \`${primary.key}\`, unchanged, in another function \`${lookalikeName}\``,
      apply: (tree) => {
        const unit = findUnit(tree, primary.key);
        if (!unit) return;
        const copy = deepCopy(primary.node);
        copy.name = lookalikeName;
        copy.body = changedStatements.map((s) => deepCopy(s));
        unit.container.splice(unit.container.indexOf(unit.node) + 1, 0, copy);
      },
    });
  } else {
    skip('lookalike', `the patch only adds code to \`${primary.key}\``);
  }

  // The engine canonicalizes every function of the target's name: a student's helper class with
  // a method of that name holding the same code reads exactly as the site, index for index.
  const owner = primary.owner;
  if (owner) {
    const twinName = names.fresh(`${String(owner.name)}Twin`);
    const method = deepCopy(primary.node);
    plans.push({
      kind: 'lookalike-same-name',
      description: `\`${primary.key}\`, unchanged, also a method of another class \`${twinName}\` after it`,
      apply: (tree) => {
        const unit = findUnit(tree, primary.key);
        if (!unit?.owner) return;
        const twin: PyNode = { ...deepCopy(unit.owner), name: twinName, bases: [], keywords: [], decorator_list: [], body: [deepCopy(method)] };
        const module = tree.body as PyNode[];
        module.splice(module.indexOf(topLevelStatementOf(tree, unit.owner)) + 1, 0, twin);
      },
    });
  } else {
    skip('lookalike-same-name', `\`${primary.key}\` is no method: another function of its name would replace it`);
  }

  // Problem sites have students write a function as a method (`class Solution:` … `def f(self, …)`):
  // `self` comes first, and every argument is one place later in the engine's canonical names.
  if (!owner && statementsOf(reference, 'body').includes(primary.node)) {
    const className = names.fresh('Solution');
    plans.push({
      kind: 'as-method',
      description: `\`${primary.key}\` written as a method of a class \`${className}\` (\`self\` first)`,
      apply: (tree) => {
        const unit = findUnit(tree, primary.key);
        if (!unit || unit.owner) return;
        const module = tree.body as PyNode[];
        const at = module.indexOf(unit.node);
        const args = getAttr(unit.node, 'args') as PyNode;
        const method: PyNode = { ...unit.node, args: { ...args, args: [argument('self'), ...((getAttr(args, 'args') as PyNode[]) ?? [])] } };
        module[at] = { _type: 'ClassDef', name: className, bases: [], keywords: [], body: [method], decorator_list: [] };
      },
    });
  } else {
    skip('as-method', `\`${primary.key}\` is not a function of the module`);
  }

  const primaryAfter = matchUnits(reference, patched).find((m) => m.key === primary.key)?.after;
  if (primaryAfter) {
    const fn = { key: primary.key, reference: primary.node, patched: primaryAfter.node };
    for (const planned of planRestructurings(fn, names)) {
      if ('plan' in planned) plans.push(planned.plan);
      else skip(planned.skip.kind, planned.skip.reason);
    }
    const spelled = planSpellings(reference, fn);
    plans.push(...spelled.plans);
    for (const kind of ['spelled-matmul', 'spelled-square', 'spelled-augmented', 'spelled-commuted', 'spelled-min-max'] as const) {
      if (!spelled.kinds.includes(kind)) skip(kind, `the code the patch changes in \`${primary.key}\` has nothing to spell that way`);
    }
  }
  return { plans, notApplicable };
}

export interface FreshNames {
  fresh(base: string): string;
}

/** Names nobody uses in either file yet. */
function freshNames(trees: PyNode[]): FreshNames {
  const taken = new Set<string>();
  for (const tree of trees) {
    for (const node of walk(tree)) {
      for (const field of ['id', 'arg', 'name', 'attr', 'asname', 'rest']) {
        const value = node[field];
        if (typeof value === 'string') taken.add(value);
      }
    }
  }
  // Where each base's numbering got to: names are only ever added, so the numbers below stay taken
  // (asking for thousands of names of one base must not scan from 2 every time).
  const next = new Map<string, number>();
  return {
    fresh(base) {
      let name = base;
      let n = next.get(base) ?? 2;
      for (; taken.has(name); n++) name = `${base}${n}`;
      next.set(base, n);
      taken.add(name);
      return name;
    },
  };
}

function renameMap(originals: string[], names: FreshNames, prefix: string, suffix = ''): Map<string, string> {
  return new Map(
    originals
      .filter((n) => !KEPT_NAMES.has(n) && !n.startsWith('__'))
      .sort()
      .map((n) => [n, names.fresh(`${prefix}${n.replace(/^_+/, '')}${suffix}`)]),
  );
}

function renameEverywhere(tree: PyNode, maps: ReadonlyMap<string, ReadonlyMap<string, string>>, ownParameters: boolean): void {
  for (const unit of functionUnits(tree)) {
    const map = maps.get(unit.key);
    if (map) renameInFunction(unit.node, map, ownParameters);
  }
}

function renameInFunction(fn: PyNode, map: ReadonlyMap<string, string>, ownParameters: boolean): void {
  const own = new Set(parameterNodes(fn));
  const renamed = (name: unknown) => (typeof name === 'string' ? map.get(name) : undefined);
  for (const node of walk(fn)) {
    let field: string | undefined;
    switch (node._type) {
      case 'Name':
        field = 'id';
        break;
      case 'arg':
        field = own.has(node) && !ownParameters ? undefined : 'arg';
        break;
      case 'ExceptHandler':
      case 'MatchAs':
      case 'MatchStar':
        field = 'name';
        break;
      case 'MatchMapping':
        field = 'rest';
        break;
      case 'FunctionDef':
      case 'AsyncFunctionDef':
      case 'ClassDef':
        field = node === fn ? undefined : 'name';
        break;
      default:
        break;
    }
    const next = field ? renamed(node[field]) : undefined;
    if (field && next) node[field] = next;
  }
}

function isDocstring(statement: PyNode | undefined): boolean {
  const value = statement?._type === 'Expr' ? getAttr(statement, 'value') : undefined;
  return isNode(value) && value._type === 'Constant' && typeof value.value === 'string';
}

function docstringOf(fn: PyNode): PyNode | undefined {
  const first = statementsOf(fn, 'body')[0];
  return isDocstring(first) ? first : undefined;
}

function toggleDocstring(fn: PyNode, had: boolean, docstring: PyNode): void {
  const body = fn.body as PyNode[];
  if (had) {
    if (docstringOf(fn) && body.length > 1) body.shift();
  } else if (!docstringOf(fn)) {
    body.unshift(deepCopy(docstring));
  }
}

function hasTypeHints(fn: PyNode): boolean {
  return isNode(getAttr(fn, 'returns')) || parameterNodes(fn).some((a) => isNode(getAttr(a, 'annotation')));
}

function toggleTypeHints(fn: PyNode, had: boolean, annotation: PyNode): void {
  if (had) {
    fn.returns = null;
    for (const arg of parameterNodes(fn)) arg.annotation = null;
  } else {
    for (const arg of parameterNodes(fn)) if (!KEPT_NAMES.has(String(arg.arg))) arg.annotation = deepCopy(annotation);
  }
}

/** Functions and classes in reverse order, in the module and in every class; other statements stay where they are. */
function reverseDefinitions(owner: PyNode): void {
  const body = owner.body as PyNode[];
  const slots = body.map((s, i) => (isFunctionDef(s) || s._type === 'ClassDef' ? i : -1)).filter((i) => i >= 0);
  const definitions = slots.map((i) => body[i]!).reverse();
  slots.forEach((slot, k) => (body[slot] = definitions[k]!));
  for (const statement of body) if (statement._type === 'ClassDef') reverseDefinitions(statement);
}

/** Statements that must stay first: the module docstring and `from __future__` imports. */
function headerLength(body: readonly PyNode[]): number {
  let n = 0;
  if (isDocstring(body[0])) n = 1;
  while (body[n]?._type === 'ImportFrom' && body[n]!.module === '__future__') n++;
  return n;
}

/** Index pairs of identical statements of a function's body in the reference and the patched reference. */
function alignBodies(reference: FunctionUnit, patched: FunctionUnit): Array<readonly [number, number]> {
  return longestCommonSubsequence(statementsOf(reference.node, 'body'), statementsOf(patched.node, 'body'));
}

/** Just before the first statement the patch changes, on both sides (after the docstring at the earliest). */
function insertionPoint(pairs: ReadonlyArray<readonly [number, number]>, fn: PyNode): Record<Side, number> {
  const body = statementsOf(fn, 'body');
  const aligned = new Set(pairs.map(([r]) => r));
  let first = body.findIndex((_, i) => !aligned.has(i));
  if (first < 0) first = body.length;
  const before = pairs.filter(([r]) => r < first).at(-1);
  const floor = docstringOf(fn) ? 1 : 0;
  return { reference: Math.max(first, floor), patched: Math.max(before ? before[1] + 1 : 0, floor) };
}

/** An unchanged `name = <expression>` of the function, nearest before the changed code, else after it. */
function extractionCandidate(unit: FunctionUnit, pairs: ReadonlyArray<readonly [number, number]>): { index: Record<Side, number>; target: string; parameters: string[] } | undefined {
  const body = statementsOf(unit.node, 'body');
  const aligned = new Set(pairs.map(([r]) => r));
  const firstChange = body.findIndex((_, i) => !aligned.has(i));
  const ordered = [...pairs.filter(([r]) => r < firstChange).reverse(), ...pairs.filter(([r]) => r > firstChange)];
  const scope = new Set([...parameterNames(unit.node), ...localNames(unit.node)]);
  for (const [r, p] of ordered) {
    const statement = body[r]!;
    const targets = getAttr(statement, 'targets');
    const value = getAttr(statement, 'value');
    if (statement._type !== 'Assign' || !Array.isArray(targets) || targets.length !== 1 || !isNode(targets[0]) || targets[0]._type !== 'Name') continue;
    if (!isNode(value) || ['Name', 'Constant'].includes(value._type) || [...walk(value)].some((n) => SCOPED_OR_SUSPENDING.has(n._type))) continue;
    return { index: { reference: r, patched: p }, target: String(targets[0].id), parameters: loadedNames(value).filter((n) => scope.has(n)) };
  }
  return undefined;
}

function findUnit(tree: PyNode, key: string): FunctionUnit | undefined {
  return functionUnits(tree).find((u) => u.key === key);
}

function topLevelStatementOf(module: PyNode, node: PyNode): PyNode {
  return statementsOf(module, 'body').find((s) => s === node || [...walk(s)].includes(node))!;
}

function loadName(id: string): PyNode {
  return { _type: 'Name', id, ctx: { _type: 'Load' } };
}

function constant(value: null | 0): PyNode {
  return { _type: 'Constant', value: value === 0 ? { $py: 'int', v: '0' } : value, kind: null };
}

function assignment(name: string, value: PyNode): PyNode {
  return { _type: 'Assign', targets: [{ _type: 'Name', id: name, ctx: { _type: 'Store' } }], value, type_comment: null };
}

function argument(name: string): PyNode {
  return { _type: 'arg', arg: name, annotation: null, type_comment: null };
}

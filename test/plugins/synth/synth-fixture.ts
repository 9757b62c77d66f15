// Small Python trees for the synth tests, and the BugContext / GeneratorContext pair the
// pipeline hands a generator, built from two sources (reference and patched reference).
import type { BugContext, GeneratorContext } from '../../../src/generate/generator.js';
import { parsePython, parsePythonMany } from '../../../src/python/python-ast.js';
import { sharedPythonRuntime, type PythonRuntime } from '../../../src/python/runtime.js';
import { walk, type PyNode } from '../../../src/python/tree.js';
import { createVariantSource } from '../../../src/transfer/student-variants.js';
import { verifyDefinition } from '../../../src/verify/verify-definition.js';

/** CPython's tree of `source` (throws on a syntax error). */
export async function parseModule(source: string, python: PythonRuntime = sharedPythonRuntime()): Promise<PyNode> {
  const parsed = await parsePython(python, source);
  if (!parsed.ok) throw new Error(`does not parse: ${parsed.error.message} (line ${parsed.error.line})`);
  return parsed.tree;
}

/** The first node (ast.walk order) that satisfies `test`; throws when there is none. */
export function findNode(tree: PyNode, test: (node: PyNode) => boolean): PyNode {
  for (const node of walk(tree)) if (test(node)) return node;
  throw new Error('no such node');
}

/** The n-th (0-based) node of a type, in ast.walk order. */
export function nthNode(tree: PyNode, type: string, n = 0): PyNode {
  const nodes = [...walk(tree)].filter((node) => node._type === type);
  if (!nodes[n]) throw new Error(`no ${type} #${n}`);
  return nodes[n];
}

export interface SourcePair {
  module?: string;
  name?: string;
  reference: string;
  patched: string;
  targetPath?: string;
  patchText?: string;
}

export async function bugContextFrom(pair: SourcePair, python: PythonRuntime = sharedPythonRuntime()): Promise<BugContext> {
  const [before, after] = await parsePythonMany(python, [pair.reference, pair.patched]);
  if (!before!.ok) throw new Error(`reference does not parse: ${before!.error.message}`);
  if (!after!.ok) throw new Error(`patched reference does not parse: ${after!.error.message}`);
  const module = pair.module ?? 'sample';
  const name = pair.name ?? 'bug';
  return {
    id: `${module}/${name}`,
    name,
    module,
    patchFile: `${module}/bugs/${name}.patch`,
    patchText: pair.patchText ?? '',
    targetPath: pair.targetPath ?? 'sample.py',
    referenceSource: pair.reference,
    patchedSource: pair.patched,
    beforeTree: before!.tree,
    afterTree: after!.tree,
    snippet: false,
    changedFunctions: [],
  };
}

/**
 * The context build gives synth, including the student-style variants its candidates are ranked
 * by (`transfer: false` verifies against the reference alone, as in snippet mode).
 */
export function generatorContextFor(bug: BugContext, python: PythonRuntime = sharedPythonRuntime(), options: { transfer?: boolean } = {}): GeneratorContext {
  const variants = createVariantSource(python);
  const target = {
    reference: bug.referenceSource,
    patched: bug.patchedSource,
    label: bug.targetPath,
    ...(options.transfer === false ? {} : { variants: () => variants.variantsFor(bug.referenceSource, bug.patchedSource) }),
  };
  return {
    python,
    verify: (definition) => verifyDefinition(definition, target, python),
    root: process.cwd(),
    env: {},
    cacheDir: process.cwd(),
    goldenExamples: [],
  };
}

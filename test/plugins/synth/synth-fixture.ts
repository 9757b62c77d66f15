// Builds the BugContext / GeneratorContext pair the pipeline hands a generator, from two
// Python sources (reference and patched reference), for the synth tests.
import type { BugContext, GeneratorContext } from '../../../src/generate/generator.js';
import { parsePythonMany } from '../../../src/python/python-ast.js';
import { sharedPythonRuntime, type PythonRuntime } from '../../../src/python/runtime.js';
import { verifyDefinition } from '../../../src/verify/verify-definition.js';

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

export function generatorContextFor(bug: BugContext, python: PythonRuntime = sharedPythonRuntime()): GeneratorContext {
  return {
    python,
    verify: (definition) => verifyDefinition(definition, { reference: bug.referenceSource, patched: bug.patchedSource, label: bug.targetPath }, python),
    root: process.cwd(),
    cacheDir: process.cwd(),
    goldenExamples: [],
  };
}

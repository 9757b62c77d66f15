import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BugContext, GeneratorContext, GoldenExample } from '../../../src/generate/generator.js';
import type { BugDefinition } from '../../../src/injector/definition.js';
import { parsePython } from '../../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../../src/python/runtime.js';
import { verifyDefinition } from '../../../src/verify/verify-definition.js';

export const DUMMY_KEY = 'sk-test-DUMMYKEY0123456789abcdef';

export const SILU_REFERENCE = `import torch


def silu(x):
    """SiLU."""
    return x * torch.sigmoid(x)


def gelu_approx(x):
    # sigmoid approximation of GELU: the same shape, not the bug
    return x * torch.sigmoid(1.702 * x)
`;

export const SILU_PATCHED = SILU_REFERENCE.replace('    return x * torch.sigmoid(x)\n', '    # BUG\n    return torch.sigmoid(x)\n');

export const SILU_PATCH = `--- a/pkg/act.py
+++ b/pkg/act.py
@@ -4,4 +4,5 @@
 def silu(x):
     """SiLU."""
-    return x * torch.sigmoid(x)
+    # BUG
+    return torch.sigmoid(x)
`;

/** The exact answer: args pins the call to silu's `torch.sigmoid(x)`, leaving gelu_approx alone. */
export const EXACT_DEFINITION: BugDefinition = {
  id: 'act-silu-missing-multiply',
  description: 'Returns sigmoid(x) instead of x * sigmoid(x).',
  injection_type: 'ast',
  engine_version: '2.1',
  target_function: 'silu',
  logic: [
    {
      pass: 1,
      type: 'find_and_replace',
      description: 'x * torch.sigmoid(x) -> torch.sigmoid(x)',
      pattern: {
        node_type: 'BinOp',
        op: 'Mult',
        left: { node_type: 'Name' },
        right: { node_type: 'Call', func: { node_type: 'Attribute', attr: 'sigmoid' }, args: [{ node_type: 'Name' }] },
      },
      replacement: { type: 'replace_with', source: 'node.right' },
    },
  ],
};

/** Injects, but also rewrites gelu_approx (no args constraint): `differs`. */
export const DIFFERS_DEFINITION: BugDefinition = {
  ...EXACT_DEFINITION,
  logic: [{ ...EXACT_DEFINITION.logic[0]!, pattern: { node_type: 'BinOp', op: 'Mult', right: { node_type: 'Call' } } }],
};

/** Matches nothing (wrong operator): `no-match`. */
export const NO_MATCH_DEFINITION: BugDefinition = {
  ...EXACT_DEFINITION,
  logic: [{ ...EXACT_DEFINITION.logic[0]!, pattern: { node_type: 'BinOp', op: 'Add', left: { node_type: 'Name', id: 'x' } } }],
};

export const GOLDEN: GoldenExample[] = [
  {
    file: 'golden/silu.json',
    definition: { ...EXACT_DEFINITION, id: 'golden-example' },
    patchText: '--- a/x.py\n+++ b/x.py\n@@ -1 +1 @@\n-    return x * torch.sigmoid(x)\n+    return torch.sigmoid(x)\n',
  },
];

export async function siluBug(id = 'act/silu_missing_multiply', symptom: string | null = 'The activation saturates at 1.'): Promise<BugContext> {
  const python = sharedPythonRuntime();
  const [before, after] = await Promise.all([parsePython(python, SILU_REFERENCE, { dedent: true }), parsePython(python, SILU_PATCHED, { dedent: true })]);
  if (!before.ok || !after.ok) throw new Error('fixture does not parse');
  const [module, name] = id.split('/') as [string, string];
  return {
    id,
    name,
    module,
    patchFile: `curricula/c/modules/${module}/bugs/${name}.patch`,
    patchText: SILU_PATCH,
    ...(symptom ? { symptom, symptomFile: `curricula/c/modules/${module}/bugs/${name}_symptom.txt` } : {}),
    referenceFile: 'pkg/act.py',
    targetPath: 'pkg/act.py',
    referenceSource: SILU_REFERENCE,
    patchedSource: SILU_PATCHED,
    beforeTree: before.tree,
    afterTree: after.tree,
    snippet: false,
    changedFunctions: ['silu'],
  };
}

export interface TestContext extends GeneratorContext {
  cleanup(): Promise<void>;
}

export async function generatorContext(options: { cacheDir?: string; signal?: AbortSignal; golden?: GoldenExample[] } = {}): Promise<TestContext> {
  const python = sharedPythonRuntime();
  const root = await mkdtemp(path.join(tmpdir(), 'bug-author-openai-'));
  const cacheDir = options.cacheDir ?? path.join(root, 'cache');
  return {
    python,
    root,
    cacheDir,
    goldenExamples: options.golden ?? GOLDEN,
    env: {},
    ...(options.signal ? { signal: options.signal } : {}),
    verify: (definition) => verifyDefinition(definition, { reference: SILU_REFERENCE, patched: SILU_PATCHED, label: 'pkg/act.py' }, python),
    cleanup: () => rm(root, { recursive: true, force: true }),
  };
}

/** The text of the last user message of a recorded chat request. */
export function lastUserMessage(body: { messages: { role: string; content: string }[] }): string {
  return body.messages.filter((m) => m.role === 'user').at(-1)?.content ?? '';
}

export const json = (value: unknown) => JSON.stringify(value);

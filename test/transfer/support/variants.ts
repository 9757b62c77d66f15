// Building a small reference's student-style variants in tests, and reading them back.
import assert from 'node:assert/strict';
import { unparsePython } from '../../../src/python/python-ast.js';
import { sharedPythonRuntime } from '../../../src/python/runtime.js';
import { createVariantSource, type StudentVariant, type StudentVariants } from '../../../src/transfer/student-variants.js';

export async function variantsOf(reference: string, patched: string): Promise<StudentVariants> {
  const result = await createVariantSource(sharedPythonRuntime()).variantsFor(reference, patched);
  assert.ok(!('error' in result), 'error' in result ? result.error : '');
  return result;
}

export function variantOfKind(all: StudentVariants, kind: StudentVariant['kind']): StudentVariant {
  const found = all.variants.find((v) => v.kind === kind);
  assert.ok(found, `no ${kind} variant (not applicable: ${JSON.stringify(all.notApplicable)})`);
  return found;
}

/** The patched side of a variant as code, to read what the transformation did to it. */
export async function expectedTextOf(v: StudentVariant): Promise<string> {
  const text = await unparsePython(sharedPythonRuntime(), v.expected());
  assert.ok(text.ok);
  return text.text;
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Ajv as AjvClass, ErrorObject, ValidateFunction } from 'ajv';
import { packageFile } from '../package-root.js';
import type { SchemaProblem } from '../contracts.js';

// Moved to the contracts module (src/contracts.ts); re-exported where they were.
export type { SchemaProblem } from '../contracts.js';

export type SchemaCheck = { valid: true } | { valid: false; problems: SchemaProblem[] };

let compiled: ValidateFunction | undefined;

/** The JSON Schema of a v2.1 definition (schemas/bug-definition-v2.1.schema.json), parsed afresh. */
export function definitionSchema(): Record<string, unknown> {
  return JSON.parse(readFileSync(packageFile('schemas', 'bug-definition-v2.1.schema.json'), 'utf8')) as Record<string, unknown>;
}

function validator(): ValidateFunction {
  if (!compiled) {
    const schema = definitionSchema();
    // Loaded on first use: ajv costs ~100 ms of start-up that a cached `check` never needs.
    const { Ajv } = createRequire(import.meta.url)('ajv') as { Ajv: typeof AjvClass };
    compiled = new Ajv({ allErrors: true, strict: false }).compile(schema);
  }
  return compiled;
}

/** Validates a definition against schemas/bug-definition-v2.1.schema.json. */
export function validateDefinition(definition: unknown): SchemaCheck {
  const validate = validator();
  if (validate(definition)) return { valid: true };
  return { valid: false, problems: readableProblems(validate.errors ?? []) };
}

function readableProblems(errors: readonly ErrorObject[]): SchemaProblem[] {
  const seen = new Set<string>();
  const problems: SchemaProblem[] = [];
  for (const error of errors) {
    // "if/then" wrappers repeat what the inner error already says.
    if (error.keyword === 'if') continue;
    const path = error.instancePath || '/';
    let message = error.message ?? 'is invalid';
    if (error.keyword === 'required') message = `missing required property '${(error.params as { missingProperty: string }).missingProperty}'`;
    else if (error.keyword === 'enum') message = `must be one of ${(error.params as { allowedValues: unknown[] }).allowedValues.map((v) => JSON.stringify(v)).join(', ')}`;
    else if (error.keyword === 'const') message = `must be ${JSON.stringify((error.params as { allowedValue: unknown }).allowedValue)}`;
    const key = `${path} ${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    problems.push({ path, message });
  }
  return problems;
}

export function formatSchemaProblems(problems: readonly SchemaProblem[]): string {
  return problems.map((p) => `${p.path}: ${p.message}`).join('; ');
}

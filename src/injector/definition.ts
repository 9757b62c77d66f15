import { PythonException } from './python-exception.js';

export type Pattern = Record<string, unknown>;

export interface Condition {
  check: string;
  value?: unknown;
  index?: unknown;
  name?: unknown;
}

export interface Replacement {
  type: 'replace_value_with' | 'replace_with' | 'remove_keyword_arg' | 'delete_statement' | string;
  source?: unknown;
  name?: unknown;
}

export interface LogicPass {
  pass?: number;
  type: 'find_and_track' | 'find_and_replace' | string;
  description?: string;
  pattern?: Pattern;
  conditions?: Condition[];
  track_as?: Record<string, string>;
  replacement?: Replacement;
}

/** A v2.1 bug definition as the engine reads it. */
export interface BugDefinition {
  id: string;
  description?: string;
  injection_type: 'ast';
  engine_version?: string;
  target_function?: string;
  logic: LogicPass[];
  metadata?: Record<string, unknown>;
  [extra: string]: unknown;
}

/** The checks the reference injector makes when it is constructed (it raises ValueError). */
export function assertInjectable(definition: unknown): asserts definition is BugDefinition {
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    throw new PythonException('TypeError', 'bug definition must be a dict');
  }
  for (const field of ['id', 'injection_type', 'logic']) {
    if (!(field in definition)) throw new PythonException('ValueError', `Missing required field: ${field}`);
  }
  const injectionType = (definition as BugDefinition).injection_type;
  if (injectionType !== 'ast') {
    throw new PythonException('ValueError', `Unsupported injection_type: ${String(injectionType)}`);
  }
}

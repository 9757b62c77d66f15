// Moved to the contracts module (src/contracts.ts); re-exported where they were.
import type { Finding } from '../contracts.js';
export type { FindingKind, Severity, Finding } from '../contracts.js';

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

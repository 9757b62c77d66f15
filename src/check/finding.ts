/** What `check` can find wrong with a bug, its JSON or the files around them. */
export type FindingKind =
  /** A patch with no JSON. */
  | 'missing'
  /** The recorded input hash no longer matches the patch, symptom and reference. */
  | 'stale'
  /** A generated JSON changed after generation: now effectively hand-written. */
  | 'hand-edited'
  /** Not valid JSON, or not a valid v2.1 definition. */
  | 'schema-invalid'
  /** A hand-written JSON lacks what the schema asks for but the engine never reads (per-pass `description`…): a warning. */
  | 'engine-dialect'
  /** A verified draft of a rotted patch waits under .bug-author/drafts/ (a hint: `refresh-patch --accept`). */
  | 'draft'
  /** It does not inject the patched code into the reference (no-match, differs, error, invalid Python). */
  | 'does-not-verify'
  /** Exact on the reference, but it injects something else into student-style code (a silently wrong lesson). */
  | 'does-not-transfer'
  /** A JSON beside the patches that belongs to no patch. */
  | 'orphan'
  /** A JSON that exists on disk but is not tracked (CI) or not staged (`--staged`). */
  | 'untracked'
  /** The bug's inputs are broken: the patch does not apply, the reference does not parse… */
  | 'input-error'
  /** A patch-only bug the engine could not serve: its patch no longer applies, a JSON competes with it… */
  | 'patch-only'
  /** The patch applies only leniently (recounted, ignoring comments or whitespace): refresh it. */
  | 'stale-patch'
  /** Patches sit beside their JSON, so the engine offers those bugs twice (once per run). */
  | 'engine-pick'
  /** A config entry that matches nothing (a patchOnly glob no patch matches). */
  | 'config';

export type Severity = 'error' | 'warning';

/** One problem; formatters turn it into text, annotations or JSON. Paths are relative to the project root. */
export interface Finding {
  kind: FindingKind;
  severity: Severity;
  /** `<module>/<name>`, when the finding is about a bug. */
  bug?: string;
  file: string;
  line?: number;
  message: string;
  /** The one command (or edit) that fixes it. */
  fix: string;
  /** Supporting text, e.g. the diff of a `differs` verdict. */
  detail?: string;
}

export function countBySeverity(findings: readonly Finding[]): { errors: number; warnings: number } {
  const errors = findings.filter((f) => f.severity === 'error').length;
  return { errors, warnings: findings.length - errors };
}

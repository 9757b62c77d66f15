import { contentHash, stableStringify } from '../cache/hash.js';
import type { GenerationUsage } from '../contracts.js';
import type { BugDefinition } from '../injector/definition.js';
import type { TransferOutcome, TransferReport } from '../transfer/check-transfer.js';
import type { VariantKind } from '../transfer/student-variants.js';

/** Recorded under `metadata.bug_author` in every generated JSON. */
export interface Provenance {
  generator: string;
  model?: string;
  /** Hash of patch + symptom + reference + format version (see readBugInputs). */
  input_hash: string;
  /** Hash of the definition without this block: detects hand edits after generation. */
  output_hash: string;
  inputs: { patch: string; symptom?: string; reference?: string };
  format: string;
  tool_version: string;
  verdict: 'exact';
  snippet?: boolean;
  /** How the definition did on student-style variants of the reference when it was written. */
  transfer?: ProvenanceTransfer;
  /**
   * A human review (src/review/review-record.ts), kept when the JSON is regenerated: it names the
   * output hash it applies to, so a regenerated definition shows as review-stale.
   */
  review?: Record<string, unknown>;
  /**
   * What the LLM generation that produced this definition used (absent for deterministic
   * generators). Like the review, outside the output hash: a record about the definition, not part of it.
   */
  usage?: ProvenanceUsage;
}

/** An LLM generation's usage as provenance records it. */
export interface ProvenanceUsage {
  calls: number;
  /** Answers replayed from the response cache (they cost nothing again). */
  cached_calls?: number;
  failed_calls?: number;
  prompt_tokens: number;
  completion_tokens: number;
  cost_usd: number;
}

/** A generation's usage as provenance records it. */
export function provenanceUsage(usage: GenerationUsage): ProvenanceUsage {
  return {
    calls: usage.calls,
    ...(usage.cachedCalls ? { cached_calls: usage.cachedCalls } : {}),
    ...(usage.failedCalls ? { failed_calls: usage.failedCalls } : {}),
    prompt_tokens: usage.promptTokens,
    completion_tokens: usage.completionTokens,
    cost_usd: usage.costUsd,
  };
}

/** The usage recorded in a JSON's bug_author block, as it is (carried over when the same definition is written again). */
export function recordedUsage(definition: unknown): { usage?: ProvenanceUsage } {
  const usage = (readProvenance(definition) as { usage?: unknown } | undefined)?.usage as Partial<ProvenanceUsage> | undefined;
  return usage && typeof usage === 'object' && typeof usage.calls === 'number' && typeof usage.cost_usd === 'number' ? { usage: usage as ProvenanceUsage } : {};
}

export interface ProvenanceTransfer {
  exact: number;
  total: number;
  worst: TransferReport['worst'];
  /** Variants it does not inject exactly into, with the outcome. */
  failing?: Record<string, string>;
  reference_bound?: string[];
}

/** The transfer figures as provenance records them. */
export function provenanceTransfer(report: TransferReport): ProvenanceTransfer {
  const failing = report.variants.filter((v) => v.outcome !== 'exact');
  return {
    exact: report.exact,
    total: report.total,
    worst: report.worst,
    ...(failing.length ? { failing: Object.fromEntries(failing.map((v) => [v.kind, v.outcome])) } : {}),
    ...(report.referenceBound ? { reference_bound: report.referenceBound } : {}),
  };
}

/** The inverse of provenanceTransfer: a recorded transfer as a report (the per-variant reasons are not recorded). */
export function recordedTransfer(recorded: ProvenanceTransfer): TransferReport {
  const variants = Object.entries(recorded.failing ?? {}).map(([kind, outcome]) => ({ kind: kind as VariantKind, outcome: outcome as TransferOutcome }));
  return {
    exact: recorded.exact,
    total: recorded.total,
    worst: recorded.worst,
    variants,
    ...(recorded.reference_bound ? { referenceBound: recorded.reference_bound } : {}),
  };
}

export const PROVENANCE_KEY = 'bug_author';

/** The definition as a hash sees it: everything but the provenance block. */
export function definitionBody(definition: BugDefinition): BugDefinition {
  const metadata = { ...(definition.metadata ?? {}) };
  delete metadata[PROVENANCE_KEY];
  return { ...definition, metadata };
}

export function outputHash(definition: BugDefinition): string {
  return contentHash(stableStringify(definitionBody(definition)));
}

export function readProvenance(definition: unknown): Provenance | undefined {
  const metadata = (definition as { metadata?: Record<string, unknown> } | null)?.metadata;
  const block = metadata && typeof metadata === 'object' ? metadata[PROVENANCE_KEY] : undefined;
  if (!block || typeof block !== 'object') return undefined;
  const p = block as Partial<Provenance> & { manual?: boolean };
  if (p.manual === true || typeof p.input_hash !== 'string' || typeof p.output_hash !== 'string' || typeof p.generator !== 'string') return undefined;
  return p as Provenance;
}

/** Hand-written: no provenance, or explicitly marked manual. */
export function isManual(definition: unknown): boolean {
  const metadata = (definition as { metadata?: Record<string, unknown> } | null)?.metadata;
  if (metadata?.manual === true) return true;
  return readProvenance(definition) === undefined;
}

export function withProvenance(definition: BugDefinition, provenance: Omit<Provenance, 'output_hash'>): BugDefinition {
  const body = definitionBody(definition);
  return { ...body, metadata: { ...body.metadata, [PROVENANCE_KEY]: { ...provenance, output_hash: outputHash(body) } } };
}

/** The review recorded in a JSON's bug_author block, as it is (carried over when the JSON is rewritten). */
export function recordedReview(definition: unknown): { review?: Record<string, unknown> } {
  const metadata = (definition as { metadata?: Record<string, unknown> } | null)?.metadata;
  const block = metadata && typeof metadata === 'object' ? (metadata[PROVENANCE_KEY] as { review?: unknown } | undefined) : undefined;
  const review = block && typeof block === 'object' ? block.review : undefined;
  return review && typeof review === 'object' && !Array.isArray(review) ? { review: review as Record<string, unknown> } : {};
}

/** The definition without what is recorded about it (its review, its generation's usage): what a verdict depends on. */
export function withoutAnnotations(definition: unknown): unknown {
  const reviewed = withoutReview(definition);
  const metadata = (reviewed as { metadata?: Record<string, unknown> } | null)?.metadata;
  const block = metadata && typeof metadata === 'object' ? (metadata[PROVENANCE_KEY] as Record<string, unknown> | undefined) : undefined;
  if (!block || typeof block !== 'object' || !('usage' in block)) return reviewed;
  const { usage: _usage, ...rest } = block;
  return { ...(reviewed as object), metadata: { ...metadata, [PROVENANCE_KEY]: rest } };
}

/** The definition without its review: what a verdict depends on (recording a review needs no new verification). */
export function withoutReview(definition: unknown): unknown {
  if (recordedReview(definition).review === undefined) return definition;
  const { metadata } = definition as { metadata: Record<string, unknown> };
  const { review: _review, ...block } = metadata[PROVENANCE_KEY] as Record<string, unknown>;
  const { [PROVENANCE_KEY]: _block, ...others } = metadata;
  // A hand-written JSON's block may hold nothing but the review.
  return { ...(definition as object), metadata: Object.keys(block).length ? { ...others, [PROVENANCE_KEY]: block } : others };
}

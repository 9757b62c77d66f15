import path from 'node:path';
import type { BugTransfer } from '../check/collect-findings.js';
import type { Finding } from '../check/finding.js';
import type { BugRef } from '../discover/bug-ref.js';
import type { BugDefinition } from '../injector/definition.js';
import { classifyOutputText } from '../outputs/existing-output.js';
import { outputHash, recordedUsage, type ProvenanceUsage } from '../outputs/provenance.js';
import { readReview, type ReviewRecord } from '../outputs/review-record.js';

/** What the list shows about a bug's definition. */
export type RowVerdict = 'exact' | 'differs' | 'no-match' | 'error' | 'missing' | 'input-error' | 'patch-only';

/** Where the review stands: from check's review findings and the record in the JSON. */
export type RowReview = 'approved' | 'needs-revision' | 'manual-authoring' | 'stale' | 'unreviewed' | 'not-reviewable';

/** One bug as the page lists it (plain JSON, sent to the browser). */
export interface BugRow {
  /** The patch relative to the project root: the bug's key in URLs. */
  key: string;
  id: string;
  module: string;
  name: string;
  json: string;
  verdict: RowVerdict;
  /** Any error finding other than the review's own: the definition is not usable as it is. */
  failed: boolean;
  /** The JSON was generated from other inputs than the current ones (check's `stale`). */
  stale: boolean;
  handWritten: boolean;
  patchOnly?: { reason?: string };
  /** No JSON, and the last build said v2.1 cannot express the edit: the page offers accepting it as patch-only (the reason defaults to the build's). */
  inexpressible?: { reason: string };
  /** A repair draft of its patch waits under .bug-author/drafts/ (check's `draft` hint). */
  draft?: boolean;
  generator?: string;
  model?: string;
  /** LLM cost in USD when recorded; 0 for deterministic generators. */
  costUsd?: number;
  /** What the LLM generation that produced the JSON used, as its provenance records it. */
  usage?: ProvenanceUsage;
  transfer?: Omit<BugTransfer, 'bug' | 'file'>;
  review: RowReview;
  reviewRecord?: ReviewRecord;
  /** The hash of the definition shown (a review names it). */
  outputHash?: string;
  /** Everything check found, review findings included. */
  findings: Array<Pick<Finding, 'kind' | 'severity' | 'message' | 'fix' | 'detail' | 'verdict'>>;
}

const REVIEW_KINDS = new Set<Finding['kind']>(['unreviewed', 'review-stale']);
const DETERMINISTIC = new Set(['synth', 'manual']);

/** A bug's row from its check findings (run with requireReview) and its JSON text as it is on disk. */
export function bugRow(bug: BugRef, root: string, findings: readonly Finding[], transfer: BugTransfer | undefined, jsonText: string | undefined): BugRow {
  const existing = jsonText === undefined ? undefined : classifyOutputText(jsonText);
  const definition = existing && 'definition' in existing ? existing.definition : undefined;
  const provenance = existing?.state === 'generated' || existing?.state === 'hand-edited' ? existing.provenance : undefined;
  const record = definition ? readReview(definition) : undefined;
  const own = findings.filter((f) => !REVIEW_KINDS.has(f.kind));
  const generator = provenance?.generator ?? (definition ? 'manual' : undefined);
  const { usage } = definition && provenance ? recordedUsage(definition) : {};
  const costUsd = usage ? usage.cost_usd : generator && DETERMINISTIC.has(generator) ? 0 : undefined;
  return {
    key: path.relative(root, bug.patchFile).split(path.sep).join('/'),
    id: bug.id,
    module: bug.module,
    name: bug.name,
    json: path.relative(root, bug.outputFile).split(path.sep).join('/'),
    verdict: verdictOf(bug, own, definition),
    failed: own.some((f) => f.severity === 'error'),
    stale: own.some((f) => f.kind === 'stale'),
    handWritten: existing?.state === 'manual' || existing?.state === 'hand-edited',
    ...(bug.patchOnly ? { patchOnly: bug.patchOnly } : {}),
    ...inexpressibleOf(bug, own),
    ...(own.some((f) => f.kind === 'draft') ? { draft: true } : {}),
    ...(generator ? { generator } : {}),
    ...(provenance?.model ? { model: provenance.model } : {}),
    ...(costUsd !== undefined ? { costUsd } : {}),
    ...(usage ? { usage } : {}),
    ...(transfer ? { transfer: { exact: transfer.exact, total: transfer.total, worst: transfer.worst, variants: transfer.variants, ...(transfer.referenceBound ? { referenceBound: transfer.referenceBound } : {}) } } : {}),
    review: reviewOf(findings, record, definition, bug),
    ...(record ? { reviewRecord: record } : {}),
    ...(definition ? { outputHash: outputHash(definition) } : {}),
    findings: findings.map(({ kind, severity, message, fix, detail, verdict }) => ({ kind, severity, message, fix, ...(detail ? { detail } : {}), ...(verdict ? { verdict } : {}) })),
  };
}

function verdictOf(bug: BugRef, findings: readonly Finding[], definition: BugDefinition | undefined): RowVerdict {
  if (bug.patchOnly) return 'patch-only';
  const has = (kind: Finding['kind']) => findings.find((f) => f.kind === kind && f.severity === 'error');
  if (has('input-error')) return 'input-error';
  if (!definition) return has('schema-invalid') ? 'error' : 'missing';
  if (has('schema-invalid')) return 'error';
  const notVerified = findings.find((f) => f.kind === 'does-not-verify');
  if (notVerified) return notVerified.verdict ?? 'error';
  return 'exact';
}

function reviewOf(findings: readonly Finding[], record: ReviewRecord | undefined, definition: BugDefinition | undefined, bug: BugRef): RowReview {
  if (bug.patchOnly || !definition) return 'not-reviewable';
  if (findings.some((f) => f.kind === 'review-stale')) return 'stale';
  return record ? record.status : 'unreviewed';
}

function inexpressibleOf(bug: BugRef, findings: readonly Finding[]): Pick<BugRow, 'inexpressible'> {
  const missing = bug.patchOnly ? undefined : findings.find((f) => f.kind === 'missing' && f.inexpressible);
  // The generator's name leads each of the build's reasons (`synth: inserts …`): the reason a config gives leaves it out.
  return missing?.inexpressible ? { inexpressible: { reason: missing.inexpressible.reason.replace(/^[\w.@/-]+: /, '') } } : {};
}

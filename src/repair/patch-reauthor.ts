import type { Availability, GenerationUsage } from '../generate/generator.js';
import type { DraftVerdict } from './verify-draft.js';

/** What the model is told about a bug whose patch no longer applies. */
export interface ReauthorRequest {
  /** `<module>/<name>`. */
  bug: string;
  /** Relative to the project root. */
  patchFile: string;
  referenceFile: string;
  symptom?: string;
  /** The old patch: the statement of the bug's intent. */
  oldPatch: string;
  /** Today's source of each function the old patch changed, with its first line number in the reference. */
  functions: { name: string; firstLine: number; text: string }[];
  /** Why the old patch no longer applies. */
  why: string;
  /** The file names the new patch's `---`/`+++` lines must carry. */
  header: { oldName: string; newName: string };
}

export interface ReauthorContext {
  /** Judges one candidate patch: parses, applies cleanly, changes only the old patch's functions, not a no-op, compiles. */
  verify(patchText: string): Promise<DraftVerdict>;
  cacheDir: string;
  signal?: AbortSignal;
}

export type ReauthorResult =
  | { status: 'drafted'; text: string; model: string; verdict: Extract<DraftVerdict, { ok: true }>; notes: string[] }
  | { status: 'failed'; reason: string };

/**
 * Re-authors a rotted patch with a model (`kind: 'llm'`: `--no-llm` skips it, its requests are
 * counted in the LLM cost line). Each answer is verified; a failure is fed back, up to its attempts.
 */
export interface PatchReauthor {
  name: string;
  kind: 'llm';
  available(): Availability;
  reauthor(request: ReauthorRequest, context: ReauthorContext): Promise<ReauthorResult>;
  usage(): GenerationUsage;
}

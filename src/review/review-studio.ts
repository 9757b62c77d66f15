import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readBug } from '../api/bug-details.js';
import type { TryResult } from '../api/try-definitions.js';
import type { BugRef } from '../contracts.js';
import type { BugDefinition } from '../injector/definition.js';
import type { ReviewRecord } from '../outputs/review-record.js';
import { createTwoFilesPatch } from 'diff';
import { acceptPatchOnly, type AcceptPatchOnlyResult } from '../api/accept-patch-only.js';
import { acceptDraft, listDrafts, type AcceptDraftResult } from '../api/drafts.js';
import type { DraftStatus } from '../drafts/current-drafts.js';
import type { DraftProvenance } from '../drafts/patch-drafts.js';
import { previewInjection, type InjectionPreview } from '../api/preview-injection.js';
import { bugRow, type BugRow } from './bug-row.js';
import { foldLadders, type PassGroup } from './fold-ladders.js';
import { checkProject, type ProjectLocation } from './project-check.js';
import { recordReview, type ReviewInput } from './record-review.js';
import { tryPastedFiles } from './try-pasted.js';

/** Everything the detail pane shows about one bug. */
export interface BugDetail {
  row: BugRow;
  patch?: string;
  symptom?: string;
  symptomFile?: string;
  /** The JSON as it is on disk. */
  jsonText?: string;
  /** Its passes, ladders folded. */
  passes?: PassGroup[];
  /** The inputs could not be read (a broken patch): why, in place of the diffs. */
  inputError?: string;
  reference?: InjectionPreview;
  variants?: Array<{ kind: string; description: string }>;
  /** A repair draft of the patch waiting under .bug-author/drafts/: its provenance, and what it changes in the patch. */
  draft?: DraftView;
}

export interface DraftView {
  /** The draft file, relative to the root. */
  file: string;
  provenance: DraftProvenance;
  /** The patch or its reference changed since the draft was made: accepting is refused. */
  stale: boolean;
  /** The author's patch → the draft, as a unified diff of the two patch texts. */
  patchChange: string;
  text: string;
}

export type StudioListener = (event: { kind: 'rows'; rows: BugRow[] } | { kind: 'removed'; keys: string[] } | { kind: 'error'; message: string }) => void;

/**
 * The review page's model: one row per bug, from `check`, refreshed on demand (a save, a rebuilt
 * bug); listeners hear which rows changed. Details, injections and reviews are computed per request.
 */
export class ReviewStudio {
  private rows = new Map<string, BugRow>();
  private bugs = new Map<string, BugRef>();
  private listeners = new Set<StudioListener>();
  private running: Promise<void> | undefined;
  private again = false;
  private root_ = '';
  private markLoaded!: () => void;
  /** Resolves once the rows have been judged a first time (requests before that wait for it). */
  readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));

  /** `location`: the project, as the public API (check, readBug, previewInjection, tryDefinitions) takes it. */
  constructor(
    private readonly location: ProjectLocation,
    private readonly reviewer: () => Promise<string>,
  ) {}

  /** The project root (known after the first refresh). */
  get root(): string {
    return this.root_;
  }

  list(): BugRow[] {
    return [...this.rows.values()];
  }

  subscribe(listener: StudioListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Runs check again (one at a time; calls meanwhile make one more run) and tells listeners what changed. */
  refresh(): Promise<void> {
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        try {
          await this.refreshOnce();
        } catch (err) {
          this.emit({ kind: 'error', message: err instanceof Error ? err.message : String(err) });
        }
      } while (this.again);
      this.markLoaded();
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async refreshOnce(): Promise<void> {
    const checked = await checkProject(this.location);
    const changed: BugRow[] = [];
    const seen = new Set<string>();
    for (const bug of checked.bugs) {
      const jsonText = await readFile(bug.outputFile, 'utf8').catch(() => undefined);
      const row = bugRow(bug, checked.root, checked.findings.get(bug.patchFile) ?? [], checked.transfer.get(bug.id), jsonText);
      seen.add(row.key);
      this.bugs.set(row.key, bug);
      if (JSON.stringify(this.rows.get(row.key)) !== JSON.stringify(row)) changed.push(row);
      this.rows.set(row.key, row);
    }
    this.root_ = checked.root;
    const removed = [...this.rows.keys()].filter((key) => !seen.has(key));
    for (const key of removed) {
      this.rows.delete(key);
      this.bugs.delete(key);
    }
    if (changed.length) this.emit({ kind: 'rows', rows: changed });
    if (removed.length) this.emit({ kind: 'removed', keys: removed });
  }

  async detail(key: string): Promise<BugDetail | undefined> {
    const row = this.rows.get(key);
    const bug = this.bugs.get(key);
    if (!row || !bug) return undefined;
    const read = await readBug({ ...this.location, bug: bug.patchFile });
    const definition = 'definition' in read.output ? (read.output.definition as BugDefinition) : undefined;
    const detail: BugDetail = { row, patch: read.patchText, ...('text' in read.output ? { jsonText: read.output.text } : {}) };
    if (definition && Array.isArray(definition.logic)) detail.passes = foldLadders(definition.logic);
    const [draft] = await listDrafts({ ...this.location, patches: [bug.patchFile] });
    if (draft) detail.draft = this.draftView(draft, read.patchText);
    if (read.inputError) return { ...detail, inputError: read.inputError };
    if (read.symptom !== undefined) Object.assign(detail, { symptom: read.symptom, symptomFile: path.relative(this.root, read.symptomFile!) });
    if (definition) {
      const { variants, ...reference } = await previewInjection({ ...this.location, bug: bug.patchFile, definition });
      Object.assign(detail, { reference, variants });
    }
    return detail;
  }

  /** The definition injected into one student-style variant of the reference. */
  async variant(key: string, kind: string): Promise<InjectionPreview | undefined> {
    const bug = this.bugs.get(key);
    if (!bug) return undefined;
    return previewInjection({ ...this.location, bug: bug.patchFile, variant: kind });
  }

  /** Records a review of the bug's JSON as the reviewer saw it, then refreshes its row. */
  async review(key: string, input: Omit<ReviewInput, 'inputHash'>): Promise<ReviewRecord | undefined> {
    const bug = this.bugs.get(key);
    if (!bug) return undefined;
    const { inputHash } = await readBug({ ...this.location, bug: bug.patchFile });
    const record = await recordReview(bug.outputFile, { ...input, ...(inputHash ? { inputHash } : {}) }, await this.reviewer());
    await this.refresh();
    return record;
  }

  /** Accepts the bug as patch-only in the project's config (the public acceptPatchOnly), then refreshes the rows. */
  async acceptPatchOnly(key: string, reason: string | undefined): Promise<AcceptPatchOnlyResult | undefined> {
    const bug = this.bugs.get(key);
    if (!bug) return undefined;
    const result = await acceptPatchOnly({ ...this.location, bug: bug.patchFile, ...(reason !== undefined ? { reason } : {}) });
    if (result.accepted) await this.refresh();
    return result;
  }

  private draftView({ draft, oldText, stale }: DraftStatus, patchText: string): DraftView {
    const name = draft.provenance.patch;
    return {
      file: path.relative(this.root, draft.file),
      provenance: draft.provenance,
      stale,
      patchChange: createTwoFilesPatch(name, name, oldText ?? patchText, draft.text, 'the patch', 'its draft', { context: 3 }),
      text: draft.text,
    };
  }

  /** Accepts the bug's repair draft as `refresh-patch --accept` does (the public acceptDraft), then refreshes the rows. */
  async acceptDraft(key: string): Promise<AcceptDraftResult | undefined> {
    const bug = this.bugs.get(key);
    if (!bug) return undefined;
    const result = await acceptDraft({ ...this.location, bug: bug.patchFile });
    await this.refresh();
    return result;
  }

  /** Every definition on the student files, as `bug-author try --diff` runs them. */
  tryFiles(students: ReadonlyArray<{ label: string; source: string }>): Promise<TryResult> {
    return tryPastedFiles(this.location, students);
  }

  private emit(event: Parameters<StudioListener>[0]): void {
    for (const listener of this.listeners) listener(event);
  }
}

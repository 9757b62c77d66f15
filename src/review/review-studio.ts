import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { readBug } from '../api/bug-details.js';
import type { TryResult } from '../api/try-definitions.js';
import type { BugRef } from '../contracts.js';
import type { BugDefinition } from '../injector/definition.js';
import type { ReviewRecord } from '../outputs/review-record.js';
import type { PythonRuntime } from '../python/runtime.js';
import { createVariantSource, type VariantSource } from '../transfer/student-variants.js';
import { bugRow, type BugRow } from './bug-row.js';
import { foldLadders, type PassGroup } from './fold-ladders.js';
import { listVariants, referenceView, variantView, type InjectionView } from './injection-views.js';
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
  reference?: InjectionView;
  variants?: Array<{ kind: string; description: string }>;
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
  private variants: VariantSource;
  private root_ = '';
  private markLoaded!: () => void;
  /** Resolves once the rows have been judged a first time (requests before that wait for it). */
  readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));

  /**
   * `location`: the project, as the public API (check, readBug, tryDefinitions) takes it;
   * `python`: the project's Python, for injections into the reference and its variants.
   */
  constructor(
    private readonly location: ProjectLocation,
    private python: PythonRuntime,
    private readonly reviewer: () => Promise<string>,
  ) {
    this.variants = createVariantSource(python);
  }

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

  /** The config was reloaded (its Python may be another): every row is judged again. */
  async reload(python: PythonRuntime): Promise<void> {
    if (python !== this.python) [this.python, this.variants] = [python, createVariantSource(python)];
    await this.refresh();
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
    if (read.inputError) return { ...detail, inputError: read.inputError };
    if (read.symptom !== undefined) Object.assign(detail, { symptom: read.symptom, symptomFile: path.relative(this.root, read.symptomFile!) });
    if (definition) {
      const [reference, variants] = await Promise.all([referenceView(definition, read, this.python), listVariants(read, this.variants)]);
      Object.assign(detail, { reference, variants });
    }
    return detail;
  }

  /** The definition injected into one student-style variant of the reference. */
  async variant(key: string, kind: string): Promise<InjectionView | undefined> {
    const bug = this.bugs.get(key);
    if (!bug) return undefined;
    const read = await readBug({ ...this.location, bug: bug.patchFile });
    if (read.inputError || !('definition' in read.output)) return undefined;
    return variantView(read.output.definition, read, kind, this.python, this.variants);
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

  /** Every definition on the student files, as `bug-author try --diff` runs them. */
  tryFiles(students: ReadonlyArray<{ label: string; source: string }>): Promise<TryResult> {
    return tryPastedFiles(this.location, students);
  }

  private emit(event: Parameters<StudioListener>[0]): void {
    for (const listener of this.listeners) listener(event);
  }
}

function parseDefinition(text: string | undefined): BugDefinition | undefined {
  if (text === undefined) return undefined;
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value) ? (value as BugDefinition) : undefined;
  } catch {
    return undefined;
  }
}

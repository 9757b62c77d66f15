import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { Project } from '../commands/project-context.js';
import type { BugRef } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { BugDefinition } from '../injector/definition.js';
import { readBugInputs, type BugInputs } from '../inputs/read-bug-inputs.js';
import { createVariantSource, type VariantSource } from '../transfer/student-variants.js';
import { tryDefinitions, type StudentFile, type TryReport } from '../try/try-definitions.js';
import { bugRow, type BugRow } from './bug-row.js';
import { foldLadders, type PassGroup } from './fold-ladders.js';
import { listVariants, referenceView, variantView, type InjectionView } from './injection-views.js';
import { checkProject } from './project-check.js';
import { recordReview, type ReviewInput } from './record-review.js';
import type { ReviewRecord } from '../outputs/review-record.js';

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
  private readonly variants: VariantSource;
  private markLoaded!: () => void;
  /** Resolves once the rows have been judged a first time (requests before that wait for it). */
  readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));

  constructor(
    private project: Pick<Project, 'config' | 'python' | 'engine'>,
    private readonly reviewer: () => Promise<string>,
  ) {
    this.variants = createVariantSource(project.python);
  }

  get root(): string {
    return this.project.config.root;
  }

  list(): BugRow[] {
    return [...this.rows.values()];
  }

  subscribe(listener: StudioListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new project (the config was reloaded): every row is judged again. */
  async reload(project: Pick<Project, 'config' | 'python' | 'engine'>): Promise<void> {
    this.project = project;
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
    const { config } = this.project;
    const checked = await checkProject(this.project);
    const changed: BugRow[] = [];
    const seen = new Set<string>();
    for (const bug of checked.bugs) {
      const jsonText = await readFile(bug.outputFile, 'utf8').catch(() => undefined);
      const row = bugRow(bug, config.root, checked.findings.get(bug.patchFile) ?? [], checked.transfer.get(bug.id), jsonText);
      seen.add(row.key);
      this.bugs.set(row.key, bug);
      if (JSON.stringify(this.rows.get(row.key)) !== JSON.stringify(row)) changed.push(row);
      this.rows.set(row.key, row);
    }
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
    const [patch, jsonText, inputs] = await Promise.all([
      readFile(bug.patchFile, 'utf8').catch(() => undefined),
      readFile(bug.outputFile, 'utf8').catch(() => undefined),
      this.inputs(bug),
    ]);
    const definition = parseDefinition(jsonText);
    const detail: BugDetail = { row, ...(patch !== undefined ? { patch } : {}), ...(jsonText !== undefined ? { jsonText } : {}) };
    if (definition && Array.isArray(definition.logic)) detail.passes = foldLadders(definition.logic);
    if (inputs instanceof InputError) {
      detail.inputError = inputs.message;
      return detail;
    }
    if (inputs.symptom !== undefined) Object.assign(detail, { symptom: inputs.symptom, symptomFile: path.relative(this.root, inputs.symptomFile!) });
    if (definition) {
      const [reference, variants] = await Promise.all([referenceView(definition, inputs, this.project.python), listVariants(inputs, this.variants)]);
      Object.assign(detail, { reference, variants });
    }
    return detail;
  }

  /** The definition injected into one student-style variant of the reference. */
  async variant(key: string, kind: string): Promise<InjectionView | undefined> {
    const bug = this.bugs.get(key);
    if (!bug) return undefined;
    const [inputs, definition] = await Promise.all([this.inputs(bug), readFile(bug.outputFile, 'utf8').then(parseDefinition, () => undefined)]);
    if (inputs instanceof InputError || !definition) return undefined;
    return variantView(definition, inputs, kind, this.project.python, this.variants);
  }

  /** Records a review of the bug's JSON as the reviewer saw it, then refreshes its row. */
  async review(key: string, input: Omit<ReviewInput, 'inputHash'>): Promise<ReviewRecord | undefined> {
    const bug = this.bugs.get(key);
    if (!bug) return undefined;
    const inputs = await this.inputs(bug);
    const record = await recordReview(bug.outputFile, { ...input, ...(inputs instanceof InputError ? {} : { inputHash: inputs.inputHash }) }, await this.reviewer());
    await this.refresh();
    return record;
  }

  /** Every definition on the student files, as `bug-author try --diff` runs them. */
  async tryFiles(students: readonly StudentFile[]): Promise<TryReport> {
    const definitions = [];
    for (const row of this.rows.values()) {
      const bug = this.bugs.get(row.key)!;
      const definition = parseDefinition(await readFile(bug.outputFile, 'utf8').catch(() => undefined));
      if (definition) definitions.push({ label: row.id, file: row.json, module: row.module, definition });
    }
    return tryDefinitions(definitions, students, this.project.python, { diff: true });
  }

  private async inputs(bug: BugRef): Promise<BugInputs | InputError> {
    try {
      return await readBugInputs(bug, this.project.config);
    } catch (err) {
      if (err instanceof InputError) return err;
      throw err;
    }
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

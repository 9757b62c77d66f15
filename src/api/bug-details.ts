import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { BugRef } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { UsageError } from '../errors.js';
import { readBugInputs } from '../inputs/read-bug-inputs.js';
import { readExistingOutput } from '../outputs/existing-output.js';
import { describePatchNote } from '../patch/patch-notes.js';
import { loadProject } from '../project/load-project.js';
import type { ProjectRunOptions } from './run-options.js';

/** Every bug the project's config finds (where its files are; nothing read). */
export async function listBugs(options: Pick<ProjectRunOptions, 'cwd' | 'configFile' | 'env'> = {}): Promise<BugRef[]> {
  const { config } = await loadProject({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env }, { config: options.configFile });
  return discoverBugs(config);
}

/** One bug's inputs and its JSON as they are on disk: what a page showing the bug needs. No Python runs. */
export interface BugDetails {
  bug: BugRef;
  patchText: string;
  symptom?: string;
  /** Absolute paths. */
  symptomFile?: string;
  /** The reference the patch applies to; absent in snippet mode. */
  referenceFile?: string;
  /** The patch's header path, e.g. `cs336_basics/layers.py`. */
  targetPath: string;
  /** The reference text and the same text with the patch applied (the hunks alone in snippet mode). */
  referenceText: string;
  patchedText: string;
  snippet: boolean;
  /** How leniently the patch had to be read or applied, one line each. */
  patchNotes: string[];
  /** The bug's JSON: its state on disk and, unless missing or unreadable, the parsed definition. */
  output: { state: 'missing' } | { state: 'unreadable'; reason: string } | { state: 'manual' | 'hand-edited' | 'generated'; definition: unknown; text: string };
  /** Why the inputs could not be read or patched (the bug's build fails with this). */
  inputError?: string;
  /** The hash of patch, symptom and reference that provenance records (absent with an input error). */
  inputHash?: string;
}

/** A bug's inputs and JSON, by id (`<module>/<name>`) or patch file (relative to `cwd`). */
export async function readBug(options: Pick<ProjectRunOptions, 'cwd' | 'configFile' | 'env'> & { bug: string }): Promise<BugDetails> {
  const { config, cwd } = await loadProject({ cwd: options.cwd ?? process.cwd(), env: options.env ?? process.env }, { config: options.configFile });
  const bug = bugNamed(await discoverBugs(config), options.bug, cwd, config.root);
  const existing = await readExistingOutput(bug.outputFile);
  const output: BugDetails['output'] =
    existing.state === 'missing' ? { state: 'missing' } : existing.state === 'unreadable' ? { state: 'unreadable', reason: existing.reason } : { state: existing.state, definition: existing.definition, text: existing.text };
  try {
    const inputs = await readBugInputs(bug, config);
    return {
      bug,
      patchText: inputs.patchText,
      ...(inputs.symptom !== undefined ? { symptom: inputs.symptom } : {}),
      ...(inputs.symptomFile ? { symptomFile: inputs.symptomFile } : {}),
      ...(inputs.referenceFile ? { referenceFile: inputs.referenceFile } : {}),
      targetPath: inputs.targetPath,
      referenceText: inputs.referenceText,
      patchedText: inputs.patchedText,
      snippet: inputs.snippet,
      patchNotes: inputs.patchNotes.map(describePatchNote),
      output,
      inputHash: inputs.inputHash,
    };
  } catch (err) {
    const patchText = await readFile(bug.patchFile, 'utf8').catch(() => '');
    return { bug, patchText, targetPath: '', referenceText: '', patchedText: '', snippet: false, patchNotes: [], output, inputError: err instanceof Error ? err.message : String(err) };
  }
}

/** The one bug `name` means: its id (`<module>/<name>`) or its patch file (relative to `cwd`); UsageError otherwise. */
export function bugNamed(bugs: readonly BugRef[], name: string, cwd: string, root: string): BugRef {
  const byPath = path.resolve(cwd, name);
  const matches = bugs.filter((b) => b.id === name || b.patchFile === byPath);
  if (matches.length !== 1) throw new UsageError(matches.length ? `bug '${name}' is ambiguous: give its patch file (${matches.map((b) => b.patchFile).join(', ')})` : `no bug '${name}' in ${root}`);
  return matches[0]!;
}

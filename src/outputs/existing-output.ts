import { workingTreeFiles, type ProjectFiles } from '../files/project-files.js';
import type { BugDefinition } from '../injector/definition.js';
import { isManual, outputHash, readProvenance, type Provenance } from './provenance.js';

/** What is on disk where a bug's JSON goes. */
export type ExistingOutput =
  | { state: 'missing' }
  | { state: 'unreadable'; reason: string; text: string }
  | { state: 'manual'; definition: BugDefinition; text: string }
  /** Generated, then edited by hand: it is effectively manual now. */
  | { state: 'hand-edited'; definition: BugDefinition; provenance: Provenance; text: string }
  | { state: 'generated'; definition: BugDefinition; provenance: Provenance; text: string };

export async function readExistingOutput(file: string, files: ProjectFiles = workingTreeFiles): Promise<ExistingOutput> {
  const bytes = await files.read(file);
  if (bytes === undefined) return { state: 'missing' };
  return classifyOutputText(Buffer.from(bytes).toString('utf8'));
}

export function classifyOutputText(text: string): ExistingOutput {
  let definition: BugDefinition;
  try {
    definition = JSON.parse(text) as BugDefinition;
  } catch (err) {
    return { state: 'unreadable', reason: `not valid JSON: ${(err as Error).message}`, text };
  }
  if (typeof definition !== 'object' || definition === null || Array.isArray(definition)) {
    return { state: 'unreadable', reason: 'not a JSON object', text };
  }
  if (isManual(definition)) return { state: 'manual', definition, text };
  const provenance = readProvenance(definition)!;
  if (outputHash(definition) !== provenance.output_hash) return { state: 'hand-edited', definition, provenance, text };
  return { state: 'generated', definition, provenance, text };
}

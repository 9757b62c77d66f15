import { readFile } from 'node:fs/promises';
import type { BugDefinition } from '../injector/definition.js';
import { writeFileAtomic } from '../write/atomic-write.js';

export function serializeDefinition(definition: BugDefinition): string {
  return `${JSON.stringify(definition, null, 2)}\n`;
}

/** Writes atomically; an identical file on disk is left alone. Returns whether it wrote. */
export async function writeDefinition(file: string, definition: BugDefinition): Promise<boolean> {
  const text = serializeDefinition(definition);
  const current = await readFile(file, 'utf8').catch(() => undefined);
  if (current === text) return false;
  await writeFileAtomic(file, text);
  return true;
}

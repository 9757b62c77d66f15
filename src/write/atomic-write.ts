import { randomBytes } from 'node:crypto';
import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Temp files written beside their target: `.<name>.<pid>.<random>.tmp`. The pid lets a later
 * process tell a dead writer's leftovers from a live one's; watchers ignore the pattern.
 */
export const TEMP_FILE_NAME = /^\..+\.(\d+)\.[0-9a-f]+\.tmp$/;

export function temporarySiblingOf(file: string): string {
  return path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
}

/** Writes via a temp file in the same directory and a rename, so readers never see half a file. */
export async function writeFileAtomic(file: string, content: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true });
  const temp = temporarySiblingOf(file);
  try {
    await writeFile(temp, content, 'utf8');
    await rename(temp, file);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}

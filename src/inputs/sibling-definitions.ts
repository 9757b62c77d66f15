import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { ProjectFiles } from '../files/project-files.js';
import { definesName } from '../patch/apply-file-patch.js';
import { splitTextLines } from '../patch/text-lines.js';

/**
 * A patch naming a function its reference does not define, said with the Python files beside that
 * reference which do define it: "the patch header names the wrong file" then says which is right.
 */
export async function withSiblingDefinitions(err: InputError, referenceFile: string, config: ResolvedConfig, files: ProjectFiles): Promise<InputError> {
  const name = err.missingScope;
  if (name === undefined) return err;
  const folder = path.dirname(referenceFile);
  let names: string[];
  try {
    names = readdirSync(folder).filter((n) => n.endsWith('.py') && path.join(folder, n) !== referenceFile).sort();
  } catch {
    return err;
  }
  const defining: string[] = [];
  for (const n of names) {
    const bytes = await files.read(path.join(folder, n));
    if (!bytes) continue;
    const lines = splitTextLines(Buffer.from(bytes).toString('utf8')).map((l) => l.text);
    if (definesName(lines, name)) defining.push(relativeToRoot(config, path.join(folder, n)));
  }
  if (defining.length === 0) return err;
  const where = defining.length === 1 ? `${defining[0]} defines \`${name}\`` : `${defining.join(' and ')} define \`${name}\``;
  return new InputError(err.kind, err.file, `${err.reason} (${where}: if the bug is there, name ${defining.length === 1 ? 'that file' : 'one of them'} in the patch header)`, err.line, name);
}

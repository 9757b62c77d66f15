import { InputError } from '../errors.js';
import { workingTreeFiles, type ProjectFiles } from '../files/project-files.js';

const decoder = new TextDecoder('utf-8', { fatal: true });

/** Reads a text input, rejecting binary and non-UTF-8 content with a clear reason. A BOM is dropped. */
export async function readTextFile(file: string, label: string, files: ProjectFiles = workingTreeFiles): Promise<string> {
  let bytes: Uint8Array | undefined;
  try {
    bytes = await files.read(file);
  } catch (err) {
    throw new InputError('unreadable', file, `cannot read ${label} (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (bytes === undefined) throw new InputError('unreadable', file, `${label} not found`);
  return decodeText(bytes, file, label);
}

export function decodeText(bytes: Uint8Array, file: string, label: string): string {
  if (bytes.includes(0)) throw new InputError('binary', file, `${label} is a binary file (it contains NUL bytes)`);
  let text: string;
  try {
    text = decoder.decode(bytes);
  } catch {
    const line = firstInvalidLine(bytes);
    throw new InputError('not-utf8', file, `${label} is not valid UTF-8 (line ${line}); save it as UTF-8`, line);
  }
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function firstInvalidLine(bytes: Uint8Array): number {
  let line = 1;
  let start = 0;
  for (let i = 0; i <= bytes.length; i++) {
    if (i === bytes.length || bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(start, i));
      } catch {
        return line;
      }
      line++;
      start = i + 1;
    }
  }
  return line;
}

import { CONFIG_OBJECT_START, newConfigText } from './relocate-sources.js';

/** One `patchOnly` entry as a line of a config object: `{ patch: '…', reason: '…' },`. */
export function patchOnlyEntry(patch: string, reason: string | undefined): string {
  const oneLine = reason?.replace(/\s+/g, ' ').trim();
  return `{ patch: ${jsString(patch)}${oneLine ? `, reason: ${jsString(oneLine)}` : ''} }`;
}

/** A `patchOnly` key holding just this entry, as lines of a config object. */
function patchOnlyLines(entry: string): string[] {
  return ['patchOnly: [', `  ${entry},`, '],'];
}

/**
 * The config text with `entry` added to its `patchOnly` list, or why it cannot be edited safely
 * (then a person adds it). Only a literal the text shows plainly is edited: a `patchOnly: [`
 * array (the entry goes first in it), else the config object's opening brace (a new
 * `patchOnly` key). A `patchOnly` computed some other way (a variable, a call, a spread, the
 * key written twice) is refused. Without a config (`undefined`), a new one holding just this.
 */
export function configWithPatchOnly(text: string | undefined, entry: string): { text: string } | { refused: string } {
  if (text === undefined) return { text: newConfigText(patchOnlyLines(entry), 'Written by `bug-author review`: bugs v2.1 cannot express, served by the engine from their patch.') };
  const keys = [...text.matchAll(/(^|[\s{,])['"]?patchOnly['"]?\s*(:|,|\}|\(|$)/gm)];
  if (keys.length > 1) return { refused: 'it names patchOnly more than once' };
  if (keys.length === 1) {
    const array = /(['"]?patchOnly['"]?\s*:\s*)\[([ \t]*)(\]?)/.exec(text);
    const key = keys[0]!;
    if (!array || array.index < key.index! || array.index > key.index! + key[0].length) return { refused: 'its patchOnly is not a plain [ … ] list (computed, or a variable)' };
    const open = array.index + array[1]!.length + 1;
    const rest = text.slice(open);
    if (array[3]) return { text: `${text.slice(0, open)}${entry}${rest}` };
    const lineEnd = /^[ \t]*(\r?\n)/.exec(rest);
    if (lineEnd) {
      // A list written one entry a line: the entry on a line of its own, indented like the next.
      const indent = /^[ \t]*/.exec(rest.slice(lineEnd[0].length))![0];
      return { text: `${text.slice(0, open)}${lineEnd[1]}${indent}${entry},${rest}` };
    }
    return { text: `${text.slice(0, open)}${entry}, ${rest.replace(/^[ \t]*/, '')}` };
  }
  const start = CONFIG_OBJECT_START.exec(text);
  if (!start) return { refused: 'it has no object literal to add patchOnly to (export default { … } or defineConfig({ … }))' };
  const at = start.index + start[0].length;
  // An object opened inline (`{ concurrency: 2 }`): what followed the brace goes on a line of its own.
  const inline = !start[0].endsWith('\n');
  const head = inline ? `${text.slice(0, at).trimEnd()}\n` : text.slice(0, at);
  return { text: `${head}${patchOnlyLines(entry).map((l) => `  ${l}\n`).join('')}${inline ? '  ' : ''}${text.slice(at)}` };
}

/** A single-quoted JavaScript string. */
function jsString(value: string): string {
  return `'${value.replace(/[\\'\n\r\u2028\u2029]/g, (c) => ({ '\\': '\\\\', "'": "\\'", '\n': '\\n', '\r': '\\r', '\u2028': '\\u2028', '\u2029': '\\u2029' })[c]!)}'`;
}

/** What a person adds by hand when the config cannot be edited: the entry alone into an existing list, else the whole key. */
export function lineToAdd(text: string | undefined, entry: string): string {
  return text !== undefined && /\bpatchOnly\b/.test(text) ? `${entry},` : `patchOnly: [${entry}],`;
}

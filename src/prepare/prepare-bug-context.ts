import { diffLines } from 'diff';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot } from '../discover/bug-ref.js';
import { InputError } from '../errors.js';
import type { BugContext } from '../contracts.js';
import type { BugInputs } from '../inputs/read-bug-inputs.js';
import { parsePythonMany } from '../python/python-ast.js';
import type { PythonRuntime } from '../python/runtime.js';
import { walk, type PyNode } from '../python/tree.js';

/** Parses the reference and the patched reference (CPython `ast`) into the context generators work on. */
export async function prepareBugContext(inputs: BugInputs, config: ResolvedConfig, python: PythonRuntime): Promise<BugContext> {
  const { ref } = inputs;
  const dedent = inputs.snippet;
  const sources = dedent ? [dedentText(inputs.referenceText), dedentText(inputs.patchedText)] : [inputs.referenceText, inputs.patchedText];
  const [before, after] = await parsePythonMany(python, sources);
  const referenceLabel = inputs.referenceFile ?? ref.patchFile;
  if (!before!.ok) {
    const what = inputs.snippet ? 'the hunks (snippet mode) do not parse as Python' : 'Python syntax error in the reference file';
    throw new InputError('python-syntax', referenceLabel, `${what}: ${before!.error.message} (line ${before!.error.line})`, before!.error.line ?? undefined);
  }
  if (!after!.ok) {
    throw new InputError('python-syntax', ref.patchFile, `the patched reference is not valid Python: ${after!.error.message} (line ${after!.error.line} of the patched file)`, after!.error.line ?? undefined);
  }
  return {
    id: ref.id,
    name: ref.name,
    module: ref.module,
    patchFile: relativeToRoot(config, ref.patchFile),
    patchText: inputs.patchText,
    ...(inputs.symptomFile ? { symptomFile: relativeToRoot(config, inputs.symptomFile), symptom: inputs.symptom } : {}),
    ...(inputs.referenceFile ? { referenceFile: relativeToRoot(config, inputs.referenceFile) } : {}),
    targetPath: inputs.targetPath,
    referenceSource: sources[0]!,
    patchedSource: sources[1]!,
    beforeTree: before!.tree,
    afterTree: after!.tree,
    snippet: inputs.snippet,
    changedFunctions: changedFunctions(sources[0]!, sources[1]!, before!.tree),
  };
}

function dedentText(text: string): string {
  const lines = text.split('\n');
  const indents = lines.filter((l) => l.trim().length > 0).map((l) => /^[ \t]*/.exec(l)![0].length);
  const cut = indents.length ? Math.min(...indents) : 0;
  return lines.map((l) => l.slice(Math.min(cut, /^[ \t]*/.exec(l)![0].length))).join('\n');
}

/** The innermost `def` around each changed reference line, in file order, without repeats. */
function changedFunctions(reference: string, patched: string, tree: PyNode): string[] {
  const lines: number[] = [];
  let line = 1;
  for (const part of diffLines(reference, patched)) {
    const count = part.count ?? 0;
    if (part.removed) for (let i = 0; i < count; i++) lines.push(line + i);
    else if (part.added) lines.push(Math.max(1, line - 1), line);
    if (!part.added) line += count;
  }
  const defs = [...walk(tree)].filter((n) => n._type === 'FunctionDef' || n._type === 'AsyncFunctionDef');
  const names: string[] = [];
  for (const l of [...new Set(lines)].sort((a, b) => a - b)) {
    let best: PyNode | undefined;
    for (const def of defs) {
      const start = Number((def.lineno as { v: string }).v);
      const end = Number((def.end_lineno as { v: string }).v);
      if (l >= start && l <= end && (!best || start >= Number((best.lineno as { v: string }).v))) best = def;
    }
    if (best && typeof best.name === 'string' && !names.includes(best.name)) names.push(best.name);
  }
  return names;
}

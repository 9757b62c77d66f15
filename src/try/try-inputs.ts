// The inputs of `bug-author try`: student files named or found in directories, and the definitions to try.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import fg from 'fast-glob';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { bugRefFor } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { InputError, UsageError } from '../errors.js';
import { assertInsideRoot, containment, describeEscape } from '../files/contained-path.js';
import { loopFreeFs } from '../discover/loop-free-fs.js';
import { readTextFile } from '../inputs/read-text-file.js';
import type { BugDefinition } from '../injector/definition.js';
import { readExistingOutput, type ExistingOutput } from '../outputs/existing-output.js';
import type { DefinitionUnderTry, StudentFile, TryReport } from './try-definitions.js';

const NOT_STUDENT_CODE = ['**/node_modules/**', '**/.git/**', '**/__pycache__/**', '**/.venv/**', '**/venv/**', '**/site-packages/**'];

/** The student files named or found in the directories named; one that is not text is listed, not fatal. */
export async function studentFiles(arguments_: readonly string[], base: string): Promise<{ students: StudentFile[]; unreadable: NonNullable<TryReport['unreadable']> }> {
  const files: Array<{ file: string; within?: string }> = [];
  for (const argument of arguments_) {
    const absolute = path.resolve(base, argument);
    const info = await stat(absolute).catch(() => undefined);
    if (!info) throw new UsageError(`try: ${argument}: no such file or directory`);
    if (info.isDirectory()) {
      // Links leading back up (`loop -> ..`) are not entered; files reached through links leading out of the directory are refused below.
      const found = await fg('**/*.py', { cwd: absolute, absolute: true, ignore: NOT_STUDENT_CODE, onlyFiles: true, fs: loopFreeFs() });
      if (found.length === 0) throw new UsageError(`try: ${argument}: no .py files in this directory`);
      files.push(...found.sort().map((file) => ({ file, within: absolute })));
    } else {
      files.push({ file: absolute });
    }
  }
  const unique = [...new Map(files.map((f) => [f.file, f])).values()];
  const read = await Promise.all(
    unique.map(async ({ file, within }): Promise<StudentFile | { label: string; unreadable: string }> => {
      const label = path.relative(base, file) || file;
      const escape = within ? containment(file, within) : { inside: true as const };
      if (!escape.inside) return { label, unreadable: describeEscape(escape, file, { base, what: 'student file', boundaryName: path.relative(base, within!) || within! }) };
      try {
        return { label, source: await readTextFile(file, 'student file') };
      } catch (err) {
        if (!(err instanceof InputError)) throw err;
        return { label, unreadable: err.reason };
      }
    }),
  );
  return {
    students: read.filter((r): r is StudentFile => 'source' in r),
    unreadable: read.flatMap((r) => ('unreadable' in r ? [{ file: r.label, reason: r.unreadable }] : [])),
  };
}

/** The definitions named by --bug; the module is the one their place says, as for a patch there. */
export async function namedDefinitions(files: readonly string[], base: string, config: ResolvedConfig): Promise<DefinitionUnderTry[]> {
  return Promise.all(
    files.map(async (name) => {
      const file = path.resolve(base, name);
      const definition = await definitionIn(file);
      if (definition === undefined) throw new UsageError(`try: --bug ${name}: no such file`);
      return { label: path.relative(base, file), file, module: bugRefFor(file, config).module, definition };
    }),
  );
}

/** Every bug of the project that has a JSON. */
export async function projectDefinitions(config: ResolvedConfig): Promise<DefinitionUnderTry[]> {
  const definitions: DefinitionUnderTry[] = [];
  for (const bug of await discoverBugs(config)) {
    assertInsideRoot(bug.outputFile, config, 'bug definition');
    const definition = await definitionIn(bug.outputFile);
    if (definition !== undefined) definitions.push({ label: bug.id, file: bug.outputFile, module: bug.module, definition });
  }
  if (definitions.length === 0) throw new UsageError(`try: no bug JSON in ${config.root}; run \`bug-author build\` first or pass --bug <file.json>`);
  return definitions;
}

/** The definition a bug JSON holds (hand-written or generated), undefined when there is no file; a file that is not a JSON object is an error. */
async function definitionIn(file: string): Promise<BugDefinition | undefined> {
  let existing: ExistingOutput;
  try {
    existing = await readExistingOutput(file);
  } catch (err) {
    throw new InputError('unreadable', file, `cannot read bug definition (${(err as NodeJS.ErrnoException).code ?? String(err)})`);
  }
  if (existing.state === 'missing') return undefined;
  if (existing.state === 'unreadable') throw new InputError('bad-json', file, existing.reason);
  return existing.definition;
}

import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { relativeToRoot } from '../discover/bug-ref.js';
import { discoverBugs } from '../discover/discover-bugs.js';
import { bugsForNamedPatches } from '../discover/named-patches.js';
import { InputError, UsageError } from '../errors.js';
import { readBugInputs } from '../inputs/read-bug-inputs.js';
import { applyLikeEngine } from '../patch/apply-file-patch.js';
import { parseUnifiedDiff } from '../patch/parse-unified-diff.js';
import { describePatchNote } from '../patch/patch-notes.js';
import { isFreshPatch, refreshPatchText } from '../patch/refresh-patch.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from './command.js';
import { loadProject } from './project-context.js';

import type { RefreshPatchArgs } from './refresh-patch-command.js';

export async function runRefreshPatchCommand({ options, positionals }: RefreshPatchArgs, io: CommandIO): Promise<number> {
  if (positionals.length === 0) throw new UsageError('refresh-patch: name the patch files to refresh');
  const { config, cwd } = await loadProject(io, { config: options.config, cwd: options.cwd });
  const bugs = bugsForNamedPatches('refresh-patch', positionals, cwd, await discoverBugs(config), config);
  let failed = 0;
  let refreshed = 0;
  for (const bug of bugs) {
    const file = bug.patchFile;
    const label = relativeToRoot(config, file);
    try {
      const inputs = await readBugInputs(bug, config);
      if (!inputs.referenceFile) {
        throw new InputError('reference-missing', file, `${inputs.snippetReason ?? 'its reference file was not found'}; a patch can only be refreshed against its reference`);
      }
      if (isFreshPatch(inputs.patchText, inputs.referenceText, file)) {
        io.stdout(`= ${label}: already applies exactly; left alone\n`);
        continue;
      }
      const patch = parseUnifiedDiff(inputs.patchText, file);
      const text = refreshPatchText(inputs.patchText, patch, inputs.referenceText, inputs.patchedText);
      // The new patch must make exactly the same program, the way the engine would apply it.
      const check = applyLikeEngine(inputs.referenceText, parseUnifiedDiff(text, file, 'patch'), file, relativeToRoot(config, inputs.referenceFile));
      if (check.text !== inputs.patchedText) throw new Error(`refresh-patch: the refreshed ${label} does not reproduce the same edit (a bug-author defect); nothing written`);
      const why = inputs.patchNotes.map(describePatchNote);
      if (options['dry-run']) {
        io.stdout(`~ ${label} would be refreshed${why.length ? ` (${why.join('; ')})` : ''}:\n${text}\n`);
        continue;
      }
      if (options.backup) await copyFile(file, `${file}.orig`);
      await writeFileAtomic(file, text);
      refreshed++;
      io.stdout(`✔ ${label}: refreshed${why.length ? ` (${why.join('; ')})` : ' (offsets or fuzz)'}${options.backup ? `; the old one is ${label}.orig` : ''}\n`);
    } catch (err) {
      if (!(err instanceof InputError)) throw err;
      failed++;
      const where = relativeToRoot(config, path.resolve(config.root, err.file));
      io.stderr(`✖ ${label}: ${where === label ? '' : `${where}: `}${err.line ? `line ${err.line}: ` : ''}${err.reason}\n`);
    }
  }
  if (refreshed > 0) io.stdout(`Run \`bug-author build\` to refresh the provenance of ${refreshed === 1 ? 'its JSON' : 'their JSON'} (the edit is unchanged).\n`);
  return failed > 0 ? EXIT_FINDINGS : EXIT_OK;
}

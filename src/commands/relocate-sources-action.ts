import { existsSync } from 'node:fs';
import { mkdir, readFile, rename } from 'node:fs/promises';
import path from 'node:path';
import { relativeToRoot } from '../discover/bug-ref.js';
import { discoverBugsByGlob } from '../discover/discover-bugs.js';
import { UsageError } from '../errors.js';
import { moveTracked, openGitRepository, trackedFiles } from '../git/git-repository.js';
import { shellQuote } from '../check/shell-quote.js';
import { configWithSettings, newConfigText, planRelocation, settingsLines } from '../layout/relocate-sources.js';
import { writeFileAtomic } from '../write/atomic-write.js';
import { EXIT_FINDINGS, EXIT_OK, type CommandIO } from './command.js';
import { loadProject } from '../project/load-project.js';

import type { RelocateSourcesArgs } from './relocate-sources-command.js';

export async function runRelocateSourcesCommand({ options }: RelocateSourcesArgs, io: CommandIO): Promise<number> {
  const folder = options.to ?? 'bug-sources';
  if (!/^[\w.-]+$/.test(folder) || folder === '.' || folder === '..') throw new UsageError(`relocate-sources: --to must be a folder name (got ${folder})`);
  const { config } = await loadProject(io, { config: options.config, cwd: options.cwd });
  const { bugs, globs } = await discoverBugsByGlob(config);
  const plan = planRelocation(config, bugs, globs, folder, existsSync);
  const lines = settingsLines(plan.settings);
  const rel = (file: string) => relativeToRoot(config, file);

  const configFile = config.file ?? path.join(config.root, 'bug-author.config.mjs');
  const currentConfig = config.file ? await readFile(config.file, 'utf8') : undefined;
  const nextConfig = currentConfig === undefined ? newConfigText(lines) : configWithSettings(currentConfig, lines);

  for (const { bug, reason } of plan.kept) io.stdout(`= ${rel(bug.patchFile)} stays: ${reason}\n`);
  if (plan.moves.length === 0) {
    io.stdout('Nothing to move: no compiled bug has its patch beside its JSON.\n');
    return EXIT_OK;
  }
  const repo = await openGitRepository(config.root);
  const tracked = repo ? await trackedFiles(repo) : new Set<string>();
  const how = (file: string) => (tracked.has(file) ? 'git mv' : 'mv');
  const problems = plan.problems.length
    ? `These settings would lose or misplace bugs, so they are not applied (move those bugs into a bug folder first, or relocate by hand):\n${plan.problems.map((p) => `  ${p}`).join('\n')}\n`
    : '';
  if (!options.apply) {
    io.stdout(`Would move ${plan.moves.length} patch${plan.moves.length === 1 ? '' : 'es'} (run with --apply to do it):\n`);
    for (const m of plan.moves) io.stdout(`  mkdir -p ${shellQuote(rel(path.dirname(m.to)))} && ${how(m.from)} ${shellQuote(rel(m.from))} ${shellQuote(rel(m.to))}\n`);
    io.stdout(`and set in ${rel(configFile)}${nextConfig === undefined ? ' (by hand: it already sets some of these)' : ''}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
    if (problems) io.stderr(problems);
    return EXIT_OK;
  }
  if (problems) {
    io.stderr(`bug-author relocate-sources: nothing was moved. ${problems}`);
    return EXIT_FINDINGS;
  }
  if (nextConfig === undefined) {
    io.stderr(
      `bug-author relocate-sources: ${rel(configFile)} already sets bugs, output or symptom (or has no object literal to add to); nothing was moved.\nMerge these settings into it by hand, then run again:\n${lines.map((l) => `  ${l}`).join('\n')}\n`,
    );
    return EXIT_FINDINGS;
  }
  for (const m of plan.moves) {
    await mkdir(path.dirname(m.to), { recursive: true });
    if (repo && tracked.has(m.from)) await moveTracked(repo, m.from, m.to);
    else await rename(m.from, m.to);
    io.stdout(`${how(m.from)} ${rel(m.from)} → ${rel(m.to)}\n`);
  }
  await writeFileAtomic(configFile, nextConfig);
  io.stdout(`${config.file ? 'Updated' : 'Wrote'} ${rel(configFile)}:\n${lines.map((l) => `  ${l}`).join('\n')}\n`);
  io.stdout(`Moved ${plan.moves.length} patch${plan.moves.length === 1 ? '' : 'es'}; the JSON stay in place and remain up to date. Commit the moves${repo ? ` (git add ${shellQuote(rel(configFile))})` : ''}.\n`);
  return EXIT_OK;
}

import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { bugRefFor, relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import { bugGlobMatcher } from '../discover/discover-bugs.js';

/** One patch to move out of the folder the engine picks bugs from. */
export interface SourceMove {
  bug: BugRef;
  from: string;
  to: string;
}

export interface RelocationPlan {
  moves: SourceMove[];
  /** Patches left where they are, and why (patch-only, target taken). */
  kept: { bug: BugRef; reason: string }[];
  /** The config settings that point bug-author at the new layout. */
  settings: { bugs: string[]; output: string; symptom: string[]; bugFolders?: string[] };
  /** Why the settings would lose or misplace a bug (then nothing may be applied). */
  problems: string[];
}

/**
 * Plans the sibling layout: each compiled bug's patch moves from `<module>/bugs/` to
 * `<module>/<folder>/`, outputs and symptoms stay in `bugs/` (where the engine looks). Patch-only
 * patches stay: the engine serves them from `bugs/`. `globs` are the ones discovery found the
 * bugs with; `exists` tells whether a path is taken. The new settings are checked against every
 * bug: each must still be discovered, with the same JSON and symptom files.
 */
export function planRelocation(config: ResolvedConfig, bugs: readonly BugRef[], globs: readonly string[], folder: string, exists: (file: string) => boolean): RelocationPlan {
  const moves: SourceMove[] = [];
  const kept: RelocationPlan['kept'] = [];
  const engineFolders = new Set<string>();
  for (const bug of bugs) {
    const dir = path.dirname(bug.patchFile);
    if (dir !== path.dirname(bug.outputFile)) continue;
    if (bug.patchOnly) {
      kept.push({ bug, reason: 'patch-only: the engine serves it from this folder' });
      continue;
    }
    if (bug.moduleDir === dir) {
      kept.push({ bug, reason: `its folder is not one of bugFolders (${config.bugFolders.join(', ')}), so there is no module folder to put ${folder}/ in` });
      continue;
    }
    engineFolders.add(path.basename(dir));
    const to = path.join(bug.moduleDir, folder, path.basename(bug.patchFile));
    if (exists(to)) {
      kept.push({ bug, reason: `${relativeToRoot(config, to)} already exists` });
      continue;
    }
    moves.push({ bug, from: bug.patchFile, to });
  }
  const bugsFolder = [...engineFolders][0] ?? 'bugs';
  const fromDir = (template: string) => template.replaceAll('{dir}', `{moduleDir}/${bugsFolder}`);
  const settings: RelocationPlan['settings'] = {
    bugs: relocatedGlobs(config, bugs, globs, moves, folder),
    output: fromDir(config.output),
    symptom: config.symptom.map(fromDir),
    ...(config.bugFolders.includes(folder) ? {} : { bugFolders: [...config.bugFolders, folder] }),
  };
  return { moves, kept, settings, problems: moves.length ? settingsProblems(config, bugs, moves, settings, exists) : [] };
}

/**
 * The bugs globs after the moves: each glob that found a moved patch, pointed at `<folder>/`
 * (as it is when its patches do not sit in a bug folder); each glob that finds a patch that
 * stays, as it is; `!` globs as they are.
 */
function relocatedGlobs(config: ResolvedConfig, bugs: readonly BugRef[], globs: readonly string[], moves: readonly SourceMove[], folder: string): string[] {
  const movedFrom = new Set(moves.map((m) => m.from));
  const staying = bugs.filter((b) => !movedFrom.has(b.patchFile));
  const moved: string[] = [];
  const old: string[] = [];
  for (const glob of globs) {
    if (glob.startsWith('!')) {
      old.push(glob);
      continue;
    }
    const matches = bugGlobMatcher(config, glob);
    if (moves.some((m) => matches(m.from))) {
      const dir = path.posix.dirname(glob);
      moved.push(config.bugFolders.includes(path.posix.basename(dir)) ? `${path.posix.dirname(dir)}/${folder}/${path.posix.basename(glob)}` : glob);
    }
    if (staying.some((b) => matches(b.patchFile))) old.push(glob);
  }
  return [...new Set([...moved, ...old])];
}

/** What the new settings would get wrong: a bug no longer found, or its JSON or symptom read from elsewhere. */
function settingsProblems(config: ResolvedConfig, bugs: readonly BugRef[], moves: readonly SourceMove[], settings: RelocationPlan['settings'], exists: (file: string) => boolean): string[] {
  const next: ResolvedConfig = { ...config, ...settings, bugFolders: settings.bugFolders ?? config.bugFolders, bugsConfigured: true };
  const included = next.bugs.filter((g) => !g.startsWith('!')).map((g) => bugGlobMatcher(config, g));
  const excluded = next.bugs.filter((g) => g.startsWith('!')).map((g) => bugGlobMatcher(config, g.slice(1)));
  const symptomOf = (bug: BugRef) => bug.symptomCandidates.find(exists);
  const newPlace = new Map(moves.map((m) => [m.from, m.to]));
  const problems: string[] = [];
  for (const bug of bugs) {
    const patch = newPlace.get(bug.patchFile) ?? bug.patchFile;
    const label = relativeToRoot(config, patch);
    if (!included.some((m) => m(patch)) || excluded.some((m) => m(patch))) {
      problems.push(`${label} would no longer be found by bugs: [${next.bugs.join(', ')}]`);
      continue;
    }
    const after = bugRefFor(patch, next);
    if (after.outputFile !== bug.outputFile) {
      problems.push(`${label}: its JSON would be read from ${relativeToRoot(config, after.outputFile)} instead of ${relativeToRoot(config, bug.outputFile)}`);
    } else if (symptomOf(after) !== symptomOf(bug)) {
      const name = (file: string | undefined) => (file ? relativeToRoot(config, file) : 'none');
      problems.push(`${label}: its symptom would be read from ${name(symptomOf(after))} instead of ${name(symptomOf(bug))}`);
    }
  }
  return problems;
}

/** The settings as lines of a config object. */
export function settingsLines(settings: RelocationPlan['settings']): string[] {
  const list = (items: readonly string[]) => `[${items.map((i) => `'${i}'`).join(', ')}]`;
  return [
    `bugs: ${list(settings.bugs)},`,
    `output: '${settings.output}',`,
    `symptom: ${list(settings.symptom)},`,
    ...(settings.bugFolders ? [`bugFolders: ${list(settings.bugFolders)},`] : []),
  ];
}

/** Where a config's object literal opens: settings are added right after it. */
export const CONFIG_OBJECT_START = /(defineConfig\(\s*\{|export\s+default\s+\{|module\.exports\s*=\s*\{)[ \t]*\n?/;

/**
 * The config text with the settings added after the object's opening brace, or undefined when
 * it already sets one of them (then a person has to merge them) or has no object literal to add to.
 */
export function configWithSettings(text: string, lines: readonly string[]): string | undefined {
  if (/^\s*(bugs|output|symptom|bugFolders)\s*:/m.test(text)) return undefined;
  const open = CONFIG_OBJECT_START.exec(text);
  if (!open) return undefined;
  const at = open.index + open[0].length;
  const block = `${lines.map((l) => `  ${l}`).join('\n')}\n`;
  return `${text.slice(0, at)}${open[0].endsWith('\n') ? '' : '\n'}${block}${text.slice(at)}`;
}

/** A new config file holding just these settings (a plain object: it needs no import). */
export function newConfigText(lines: readonly string[], why = 'Written by `bug-author relocate-sources`: bug sources sit beside bugs/; outputs and symptoms stay in bugs/.'): string {
  return `// ${why}\nexport default {\n${lines.map((l) => `  ${l}`).join('\n')}\n};\n`;
}

import path from 'node:path';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';

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
}

/**
 * Plans the sibling layout: each compiled bug's patch moves from `<module>/bugs/` to
 * `<module>/<folder>/`, outputs and symptoms stay in `bugs/` (where the engine looks). Patch-only
 * patches stay: the engine serves them from `bugs/`. `exists` tells whether a path is taken.
 */
export function planRelocation(config: ResolvedConfig, bugs: readonly BugRef[], folder: string, exists: (file: string) => boolean): RelocationPlan {
  const moves: SourceMove[] = [];
  const kept: RelocationPlan['kept'] = [];
  const engineFolders = new Set<string>();
  for (const bug of bugs) {
    const dir = path.dirname(bug.patchFile);
    if (dir !== path.dirname(bug.outputFile)) continue;
    engineFolders.add(path.basename(dir));
    if (bug.patchOnly) {
      kept.push({ bug, reason: 'patch-only: the engine serves it from this folder' });
      continue;
    }
    if (bug.moduleDir === dir) {
      kept.push({ bug, reason: `its folder is not one of bugFolders (${config.bugFolders.join(', ')}), so there is no module folder to put ${folder}/ in` });
      continue;
    }
    const to = path.join(bug.moduleDir, folder, path.basename(bug.patchFile));
    if (exists(to)) {
      kept.push({ bug, reason: `${relativeToRoot(config, to)} already exists` });
      continue;
    }
    moves.push({ bug, from: bug.patchFile, to });
  }
  const bugsFolder = [...engineFolders][0] ?? 'bugs';
  const moved = config.bugs.flatMap((glob) => {
    const dir = path.posix.dirname(glob);
    return config.bugFolders.includes(path.posix.basename(dir)) ? [`${path.posix.dirname(dir)}/${folder}/${path.posix.basename(glob)}`] : [];
  });
  const fromDir = (template: string) => template.replaceAll('{dir}', `{moduleDir}/${bugsFolder}`);
  return {
    moves,
    kept,
    settings: {
      // The old globs stay: patch-only patches (and new ones dropped there) are still found.
      bugs: [...new Set([...moved, ...config.bugs])],
      output: fromDir(config.output),
      symptom: config.symptom.map(fromDir),
      ...(config.bugFolders.includes(folder) ? {} : { bugFolders: [...config.bugFolders, folder] }),
    },
  };
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

/**
 * The config text with the settings added after the object's opening brace, or undefined when
 * it already sets one of them (then a person has to merge them) or has no object literal to add to.
 */
export function configWithSettings(text: string, lines: readonly string[]): string | undefined {
  if (/^\s*(bugs|output|symptom|bugFolders)\s*:/m.test(text)) return undefined;
  const open = /(defineConfig\(\s*\{|export\s+default\s+\{|module\.exports\s*=\s*\{)[ \t]*\n?/.exec(text);
  if (!open) return undefined;
  const at = open.index + open[0].length;
  const block = `${lines.map((l) => `  ${l}`).join('\n')}\n`;
  return `${text.slice(0, at)}${open[0].endsWith('\n') ? '' : '\n'}${block}${text.slice(at)}`;
}

/** A new config file holding just these settings (a plain object: it needs no import). */
export function newConfigText(lines: readonly string[]): string {
  return `// Written by \`bug-author relocate-sources\`: bug sources sit beside bugs/; outputs and symptoms stay in bugs/.\nexport default {\n${lines.map((l) => `  ${l}`).join('\n')}\n};\n`;
}

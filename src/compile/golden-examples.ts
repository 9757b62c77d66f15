import fg from 'fast-glob';
import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import type { ResolvedConfig } from '../config/resolved-config.js';
import { relativeToRoot, type BugRef } from '../discover/bug-ref.js';
import type { GoldenExample } from '../generate/generator.js';
import { loopFreeFs } from '../discover/loop-free-fs.js';
import { containment } from '../files/contained-path.js';
import type { BugDefinition } from '../injector/definition.js';
import { classifyOutputText } from '../outputs/existing-output.js';

/**
 * The examples shown to the LLM: the config's `golden` globs, else every hand-written bug JSON
 * (with its patch and symptom). Reading them is cheap: no Python.
 */
export async function loadGoldenExamples(config: ResolvedConfig, bugs: readonly BugRef[]): Promise<GoldenExample[]> {
  const examples: GoldenExample[] = [];
  if (config.golden) {
    const files = await fg(config.golden, { cwd: config.root, absolute: true, onlyFiles: true, fs: loopFreeFs() });
    for (const file of files.sort()) {
      if (!insideRoot(file, config)) continue;
      const parsed = classifyOutputText(await readFile(file, 'utf8').catch(() => ''));
      if (parsed.state === 'unreadable' || parsed.state === 'missing') continue;
      const bug = bugs.find((b) => b.outputFile === file);
      examples.push(await withBugFiles(config, file, parsed.definition, bug));
    }
    return examples;
  }
  for (const bug of bugs) {
    if (!insideRoot(bug.outputFile, config)) continue;
    const text = await readFile(bug.outputFile, 'utf8').catch(() => undefined);
    if (text === undefined) continue;
    const parsed = classifyOutputText(text);
    if (parsed.state === 'manual') examples.push(await withBugFiles(config, bug.outputFile, parsed.definition, bug));
  }
  return examples;
}

function insideRoot(file: string, config: ResolvedConfig): boolean {
  return containment(file, config.root).inside;
}

async function withBugFiles(config: ResolvedConfig, file: string, definition: BugDefinition, bug: BugRef | undefined): Promise<GoldenExample> {
  const example: GoldenExample = { file: relativeToRoot(config, file), definition };
  if (!bug) return example;
  // What goes into an LLM prompt is read only from inside the project (a symptom linked to a secrets file stays unread).
  const patchText = insideRoot(bug.patchFile, config) ? await readFile(bug.patchFile, 'utf8').catch(() => undefined) : undefined;
  const symptomFile = bug.symptomCandidates.find((f) => existsSync(f) && insideRoot(f, config));
  const symptom = symptomFile ? await readFile(symptomFile, 'utf8').catch(() => undefined) : undefined;
  return { ...example, ...(patchText ? { patchText } : {}), ...(symptom ? { symptom } : {}) };
}

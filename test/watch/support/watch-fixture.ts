import { createTwoFilesPatch } from 'diff';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { pathToFileURL } from 'node:url';
import { packageRoot } from '../../../src/package-root.js';

/** A tiny curriculum in the default layout: two reference files, four delete-a-statement bugs. */
export const OPS_PY = `import math


def scale(x, k):
    y = x * k
    z = y + 1
    w = z * 2
    return w


def shift(x):
    a = x - 1
    b = a * 3
    return b
`;

export const OTHER_PY = `def norm(v):
    s = sum(v)
    n = len(v)
    return s / n
`;

export interface BugSpec {
  module: string;
  name: string;
  target: 'ops' | 'other';
  /** The reference line (trimmed) the patch deletes. */
  deletes: string;
}

export const BUGS: readonly BugSpec[] = [
  { module: 'scale', name: 'drop_add', target: 'ops', deletes: 'z = y + 1' },
  { module: 'scale', name: 'drop_double', target: 'ops', deletes: 'w = z * 2' },
  { module: 'shift', name: 'drop_sub', target: 'ops', deletes: 'a = x - 1' },
  { module: 'norm', name: 'drop_len', target: 'other', deletes: 'n = len(v)' },
];

export class Project {
  constructor(readonly root: string) {}

  /** In a new temp directory, or in `root` (created if need be). */
  static create(options: { config?: string; root?: string } = {}): Project {
    const root = options.root ?? mkdtempSync(path.join(os.tmpdir(), 'bug-author-watch-'));
    const project = new Project(root);
    project.write('modes/developer/pkg/ops.py', OPS_PY);
    project.write('modes/developer/pkg/other.py', OTHER_PY);
    for (const bug of BUGS) {
      project.write(project.patchPath(bug), deletionPatch(bug.target, bug.target === 'ops' ? OPS_PY : OTHER_PY, bug.deletes));
      project.write(project.bugPath(bug, '_symptom.txt'), `The ${bug.module} result is wrong.\n`);
    }
    if (options.config) project.write('bug-author.config.mjs', options.config);
    return project;
  }

  bugPath(bug: Pick<BugSpec, 'module' | 'name'>, suffix: string): string {
    return `curricula/c1/modules/${bug.module}/bugs/${bug.name}${suffix}`;
  }

  patchPath(bug: Pick<BugSpec, 'module' | 'name'>): string {
    return this.bugPath(bug, '.patch');
  }

  jsonPath(bug: Pick<BugSpec, 'module' | 'name'>): string {
    return this.bugPath(bug, '.json');
  }

  abs(file: string): string {
    return path.join(this.root, file);
  }

  write(file: string, text: string): void {
    mkdirSync(path.dirname(this.abs(file)), { recursive: true });
    writeFileSync(this.abs(file), text);
  }

  /** Saves like editors that write a temp file and rename it over the original. */
  writeViaRename(file: string, text: string): void {
    const temp = `${this.abs(file)}.${process.pid}.swp`;
    writeFileSync(temp, text);
    renameSync(temp, this.abs(file));
  }

  read(file: string): string {
    return readFileSync(this.abs(file), 'utf8');
  }

  readOrUndefined(file: string): string | undefined {
    try {
      return this.read(file);
    } catch {
      return undefined;
    }
  }

  remove(file: string): void {
    rmSync(this.abs(file), { force: true });
  }

  /** Every file under the root (relative), the cache dir included. */
  files(): string[] {
    const out: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const file = path.join(dir, name);
        if (statSync(file).isDirectory()) walk(file);
        else out.push(path.relative(this.root, file));
      }
    };
    walk(this.root);
    return out.sort();
  }

  dispose(): void {
    rmSync(this.root, { recursive: true, force: true });
  }
}

/** A unified diff against `pkg/<target>.py` deleting one line, with an author's `# BUG` comment. */
export function deletionPatch(target: 'ops' | 'other', reference: string, deletes: string, comment = 'BUG: statement removed'): string {
  return deletionPatchFor(`pkg/${target}.py`, reference, deletes, comment);
}

/** The same for any header path (relative to a source root or the project root). */
export function deletionPatchFor(headerPath: string, reference: string, deletes: string, comment = 'BUG: statement removed'): string {
  const lines = reference.split('\n');
  const index = lines.findIndex((l) => l.trim() === deletes);
  if (index < 0) throw new Error(`no line '${deletes}' in ${headerPath}`);
  const indent = /^\s*/.exec(lines[index]!)![0];
  const after = [...lines.slice(0, index), `${indent}# ${comment}`, ...lines.slice(index + 1)].join('\n');
  return createTwoFilesPatch(`a/${headerPath}`, `b/${headerPath}`, reference, after, undefined, undefined, { context: 2 })
    .split('\n')
    .filter((l) => !l.startsWith('====') && !l.startsWith('Index:'))
    .join('\n');
}

/** A `bug-author.config.mjs` whose generator is the real synth plugin, optionally slowed down. */
export function slowSynthConfig(options: { name?: string; delayMs?: number; log?: string; logEnv?: string; extra?: string } = {}): string {
  const module = pathToFileURL(path.join(packageRoot, 'test', 'watch', 'support', 'slow-generator.ts')).href;
  return `import { slowGenerator } from ${JSON.stringify(module)};
export default {
  generators: [slowGenerator(${JSON.stringify({ name: options.name ?? 'slow-synth', delayMs: options.delayMs ?? 0, ...(options.log ? { log: options.log } : {}), ...(options.logEnv ? { logEnv: options.logEnv } : {}) })})],
  ${options.extra ?? ''}
};
`;
}

export function parseJson(text: string | undefined): { metadata?: { bug_author?: { input_hash?: string; generator?: string } } } | undefined {
  return text === undefined ? undefined : (JSON.parse(text) as { metadata?: { bug_author?: { input_hash?: string; generator?: string } } });
}

/** A `project()` factory for a test file: every project it makes is deleted when the file's tests end. */
export function disposableProjects(): (options?: { config?: string }) => Project {
  const projects: Project[] = [];
  after(() => {
    for (const p of projects) p.dispose();
  });
  return (options = {}) => {
    const p = Project.create(options);
    projects.push(p);
    return p;
  };
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

import path from 'node:path';

/** Files ↔ bugs (by patch file): which bugs a saved file affects. One entry per bug, nothing historical. */
export class DependencyMap {
  private readonly byBug = new Map<string, ReadonlySet<string>>();
  private readonly byFile = new Map<string, Set<string>>();
  /** Bumped on every change, so derived views can tell when to recompute. */
  version = 0;

  /** Replaces the bug's dependencies. */
  set(bugKey: string, files: Iterable<string>): void {
    this.remove(bugKey);
    this.version++;
    const set = new Set(files);
    this.byBug.set(bugKey, set);
    for (const file of set) {
      let bugs = this.byFile.get(file);
      if (!bugs) this.byFile.set(file, (bugs = new Set()));
      bugs.add(bugKey);
    }
  }

  /** Adds to the bug's dependencies (when a bad input stopped reading part-way, keep what was known). */
  extend(bugKey: string, files: Iterable<string>): void {
    this.set(bugKey, [...(this.byBug.get(bugKey) ?? []), ...files]);
  }

  remove(bugKey: string): void {
    const files = this.byBug.get(bugKey);
    if (!files) return;
    this.version++;
    this.byBug.delete(bugKey);
    for (const file of files) {
      const bugs = this.byFile.get(file);
      bugs?.delete(bugKey);
      if (bugs?.size === 0) this.byFile.delete(file);
    }
  }

  clear(): void {
    this.byBug.clear();
    this.byFile.clear();
    this.version++;
  }

  bugsFor(file: string): readonly string[] {
    return [...(this.byFile.get(file) ?? [])];
  }

  has(file: string): boolean {
    return this.byFile.has(file);
  }

  filesOf(bugKey: string): readonly string[] {
    return [...(this.byBug.get(bugKey) ?? [])];
  }

  /** Every directory holding a dependency, and all their ancestors up to `root`. */
  directories(root: string): Set<string> {
    const dirs = new Set<string>();
    for (const file of this.byFile.keys()) {
      for (let dir = path.dirname(file); !dirs.has(dir); dir = path.dirname(dir)) {
        dirs.add(dir);
        if (dir === root || path.dirname(dir) === dir) break;
      }
    }
    return dirs;
  }
}

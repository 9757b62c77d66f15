import fg from 'fast-glob';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONFIG_NAMES } from '../config/load-config.js';
import { stateDir, type ResolvedConfig } from '../config/resolved-config.js';
import { engineDirectory } from '../verify/engine-location.js';
import { isScratchJson } from '../discover/bug-ref.js';
import { TEMP_FILE_NAME } from '../write/atomic-write.js';
import type { DependencyMap } from './dependency-map.js';

/** Common editor scratch files (vim swap, backups, emacs locks, vim's write test); our own temp files are TEMP_FILE_NAME. */
const EDITOR_SCRATCH_NAME = /\.sw[a-p]x?$|~$|^#.*#$|^\.#|^4913$/;
const isScratchName = (name: string) => TEMP_FILE_NAME.test(name) || EDITOR_SCRATCH_NAME.test(name);
const NEVER_WATCHED_DIRS = new Set(['node_modules', '.git']);

/**
 * What the daemon watches under the project root: the directories the bug and golden globs
 * start from, the source roots, every directory holding a dependency (read live from the
 * dependency map), the config file names and the curriculum's engine (its Python files). Everything else — the cache dir, `.bug-author/` (the lock),
 * temp files, drafts — is ignored, so the daemon's own writes cannot feed back into it.
 */
export class WatchScope {
  readonly root: string;
  readonly configFiles: ReadonlySet<string>;
  /** The engine package's directory (verify.engine), when there may be one. */
  readonly engineDir: string | undefined;
  private readonly bases: readonly string[];
  private readonly cacheDir: string;
  /** `.bug-author/`: the watch lock and the compiled config. */
  private readonly stateDir: string;
  private staticDirs: ReadonlySet<string>;
  /** The modules the config file imports (config.imports), watched like the config itself, and their directories. */
  private configImports: ReadonlySet<string> = new Set();
  private configImportDirs: ReadonlySet<string> = new Set();
  private depDirs: ReadonlySet<string> = new Set();
  private depVersion = -1;
  /** Directories the file watcher has scanned (or been told to watch) outside the bases. */
  private readonly scanned = new Set<string>();

  constructor(
    config: ResolvedConfig,
    private readonly deps: DependencyMap,
    explicitConfigFile?: string,
  ) {
    this.root = config.root;
    this.cacheDir = config.cacheDir;
    this.stateDir = stateDir(config.root);
    // `.env` too: it holds the API key the LLM generator is created with.
    this.configFiles = new Set([
      ...[...CONFIG_NAMES, '.env'].map((name) => path.join(config.root, name)),
      ...(config.file ? [config.file] : []),
      ...(explicitConfigFile ? [explicitConfigFile] : []),
    ]);
    this.engineDir = engineDirectory(config);
    const globs = [...config.bugs, ...(config.golden ?? [])];
    this.bases = unique([
      ...globs.map((glob) => path.resolve(config.root, fg.generateTasks([glob])[0]?.base ?? '.')),
      ...config.sourceRoots.map((r) => path.resolve(config.root, r)),
    ]);
    this.staticDirs = ancestorsOf([...this.bases, ...[...this.configFiles].map((f) => path.dirname(f)), ...(this.engineDir ? [this.engineDir] : [])], this.root);
    this.configImports = new Set(config.imports ?? []);
    this.configImportDirs = importDirs(this.configImports, this.root);
  }

  /**
   * The modules the config imports now (after a reload they may be others): watched like the
   * config. Returns the directories the running file watcher has not scanned: add them to it.
   */
  setConfigImports(files: readonly string[]): string[] {
    this.configImports = new Set(files);
    this.configImportDirs = importDirs(this.configImports, this.root);
    const unscanned = unique(files.map((f) => path.dirname(f))).filter((dir) => !this.scanned.has(dir) && !this.staticDirs.has(dir) && !this.bases.some((base) => isInside(dir, base)) && existsSync(dir));
    for (const dir of unscanned) this.scanned.add(dir);
    return unscanned;
  }

  /** Directories of config imports outside the project root, which the file watcher (rooted there) does not reach. */
  get configImportsOutsideRoot(): string[] {
    return unique([...this.configImports].map((f) => path.dirname(f)).filter((dir) => !isInside(dir, this.root)));
  }

  /** The directory chokidar starts from. */
  get watchRoot(): string {
    return this.root;
  }

  /** chokidar's `ignored`: true prunes the path (and, for a directory, everything below it). */
  readonly ignored = (file: string): boolean => {
    if (this.configFiles.has(file) || this.configImports.has(file) || this.configImportDirs.has(file)) return false;
    if (isInside(file, this.cacheDir) || isInside(file, this.stateDir)) return true;
    const base = path.basename(file);
    if (isScratchName(base) || (base.endsWith('.json') && isScratchJson(file))) return true;
    if (file === this.root || this.staticDirs.has(file) || this.dependencyDirs().has(file)) return false;
    if (this.deps.has(file)) return false;
    if (this.engineDir && isInside(file, this.engineDir)) return base === '__pycache__' || (base.includes('.') && !base.endsWith('.py'));
    const relative = path.relative(this.root, file);
    if (relative.split(path.sep).some((part) => NEVER_WATCHED_DIRS.has(part))) return true;
    return !this.bases.some((dir) => isInside(file, dir));
  };

  /** Call once the file watcher's initial scan is done: the dependency directories known now are covered. */
  markScanned(): void {
    for (const dir of this.dependencyDirs()) this.scanned.add(dir);
    for (const file of this.configImports) this.scanned.add(path.dirname(file));
  }

  /**
   * Directories of newly found dependencies that the watcher has not scanned (a patch now
   * targets a file outside the source roots): the caller adds them to the watcher.
   */
  unscannedDirs(files: readonly string[]): string[] {
    const out: string[] = [];
    for (const file of files) {
      const dir = path.dirname(file);
      if (this.scanned.has(dir) || this.bases.some((base) => isInside(dir, base)) || !existsSync(dir)) continue;
      this.scanned.add(dir);
      out.push(dir);
    }
    return out;
  }

  isConfigFile(file: string): boolean {
    return this.configFiles.has(file) || this.configImports.has(file);
  }

  /** A file of the engine (the watcher only reports its .py files). */
  isEngineFile(file: string): boolean {
    return this.engineDir !== undefined && isInside(file, this.engineDir) && file !== this.engineDir;
  }

  /** The engine's directory when the file watcher, rooted at the project root, does not reach it. */
  get engineOutsideRoot(): string | undefined {
    return this.engineDir && !isInside(this.engineDir, this.root) ? this.engineDir : undefined;
  }

  private dependencyDirs(): ReadonlySet<string> {
    if (this.depVersion !== this.deps.version) {
      this.depDirs = this.deps.directories(this.root);
      this.depVersion = this.deps.version;
    }
    return this.depDirs;
  }
}

function isInside(file: string, dir: string): boolean {
  const relative = path.relative(dir, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

function ancestorsOf(dirs: readonly string[], root: string): Set<string> {
  const out = new Set<string>();
  for (const start of dirs) {
    for (let dir = start; isInside(dir, root) && !out.has(dir); dir = path.dirname(dir)) {
      out.add(dir);
      if (dir === root) break;
    }
  }
  return out;
}

function unique(items: readonly string[]): string[] {
  return [...new Set(items)];
}

/** The directories holding the config's imports, and those above them up to the root (so the watcher's scan reaches them). */
function importDirs(files: ReadonlySet<string>, root: string): ReadonlySet<string> {
  const dirs = unique([...files].map((f) => path.dirname(f)));
  return new Set([...ancestorsOf(dirs, root), ...dirs]);
}

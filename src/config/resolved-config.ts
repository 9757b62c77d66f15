import path from 'node:path';
import { ConfigError } from '../errors.js';
import type { GeneratorPlugin, Reporter } from '../contracts.js';
import type { BugAuthorConfig, LlmSettings, RepairSettings, VerifySettings } from './define-config.js';

export interface ResolvedConfig {
  /** Absolute project root (the config file's directory, else the working directory). */
  root: string;
  /** The config file used, if any (absolute). */
  file?: string;
  /** The project's own modules the config file imports (absolute), recorded when it is compiled: `watch` reloads on their edits too. */
  imports?: string[];
  bugs: string[];
  /** False when `bugs` is the default convention (discovery may then fall back to any `bugs/` folder). */
  bugsConfigured: boolean;
  ignore: string[];
  symptom: string[];
  output: string;
  sourceRoots: string[];
  library: boolean | 'auto';
  libraryReference: string;
  golden?: string[];
  /** Undefined means "the built-in chain" (synth, then openai), created by the caller. */
  generators?: GeneratorPlugin[];
  /** Default time limit of one generate() call for generators that set none. */
  generatorTimeoutMs?: number;
  /** Reporters besides the terminal output. */
  reporters: Reporter[];
  concurrency: number;
  cacheDir: string;
  llm: LlmSettings;
  /** Patch-only bugs: globs relative to the root, each with an optional reason. */
  patchOnly: PatchOnlyRule[];
  enginePickWarning: boolean;
  /** `check` requires an approved, current review of every definition. */
  requireReview?: boolean;
  bugFolders: string[];
  /** The config's `python` setting; undefined means the default (`auto`). BUG_AUTHOR_PYTHON overrides it. */
  python?: string;
  verify: ResolvedVerifySettings;
  repair: Required<RepairSettings>;
}

export interface PatchOnlyRule {
  pattern: string;
  reason?: string;
}

export interface ResolvedVerifySettings {
  /** `auto`, `off`, or the engine's directory (absolute). */
  engine: string;
}

export const DEFAULTS = {
  bugs: ['curricula/*/modules/*/bugs/*.patch'],
  /** Tried when the default finds nothing: any `bugs/` folder (e.g. a library-mode layout). */
  anyBugsFolder: ['**/bugs/*.patch'],
  ignore: ['**/node_modules/**', '**/.git/**'],
  symptom: ['{dir}/{name}_symptom.txt', '{moduleDir}/symptom.txt'],
  output: '{dir}/{name}.json',
  sourceRoots: ['modes/developer'],
  library: 'auto' as const,
  libraryReference: 'solution.py',
  concurrency: 4,
  cacheDir: '.bug-author/cache',
  bugFolders: ['bugs', 'bug-sources'],
};

/** bug-author's own files in a project (cache, compiled config, watch lock): `<root>/.bug-author`. */
export function stateDir(root: string): string {
  return path.join(root, '.bug-author');
}

const KNOWN_KEYS = new Set(['llm', 'bugs', 'ignore', 'symptom', 'output', 'sourceRoots', 'library', 'libraryReference', 'golden', 'generators', 'generatorTimeoutMs', 'reporters', 'concurrency', 'cacheDir', 'patchOnly', 'enginePickWarning', 'requireReview', 'bugFolders', 'python', 'verify', 'repair']);

const GENERATOR_KINDS = ['llm', 'deterministic', 'manual'];
const GENERATOR_HOOKS = ['settingsKey', 'setup', 'available', 'generate', 'usage', 'close'] as const;
const REPORTER_HOOKS = ['onRunStart', 'onBugDone', 'onRunEnd', 'onWatchEvent'] as const;

/** Checks a user config field by field and fills in defaults; problems name the file and the field. */
export function resolveConfig(raw: unknown, root: string, file?: string): ResolvedConfig {
  const where = file ?? path.join(root, '(defaults)');
  const fail = (reason: string): never => {
    throw new ConfigError(where, reason);
  };
  if (raw === undefined || raw === null) raw = {};
  if (typeof raw !== 'object' || Array.isArray(raw)) fail('the default export must be an object (use defineConfig({...}))');
  const config = raw as BugAuthorConfig & Record<string, unknown>;
  for (const key of Object.keys(config)) {
    if (!KNOWN_KEYS.has(key)) fail(`unknown option '${key}' (known: ${[...KNOWN_KEYS].join(', ')})`);
  }
  const strings = (key: keyof BugAuthorConfig, value: unknown, fallback: string[]): string[] => {
    if (value === undefined) return fallback;
    const list = typeof value === 'string' ? [value] : value;
    if (!Array.isArray(list) || list.length === 0 || !list.every((v) => typeof v === 'string' && v.length > 0)) {
      return fail(`'${key}' must be a non-empty string or array of non-empty strings`);
    }
    return list as string[];
  };
  const output = config.output ?? DEFAULTS.output;
  if (typeof output !== 'string' || !output.endsWith('.json')) fail(`'output' must be a path template ending in .json, e.g. '${DEFAULTS.output}'`);
  const concurrency = config.concurrency ?? DEFAULTS.concurrency;
  if (!Number.isInteger(concurrency) || concurrency < 1 || concurrency > 64) fail(`'concurrency' must be an integer from 1 to 64 (got ${JSON.stringify(concurrency)})`);
  const library = config.library ?? DEFAULTS.library;
  if (library !== true && library !== false && library !== 'auto') fail(`'library' must be true, false or 'auto'`);
  const cacheDir = config.cacheDir ?? DEFAULTS.cacheDir;
  if (typeof cacheDir !== 'string' || cacheDir.length === 0) fail(`'cacheDir' must be a non-empty string`);
  const libraryReference = config.libraryReference ?? DEFAULTS.libraryReference;
  if (typeof libraryReference !== 'string' || libraryReference.length === 0) fail(`'libraryReference' must be a file name`);
  if (config.generators !== undefined) {
    if (!Array.isArray(config.generators)) fail(`'generators' must be an array of generator plugins`);
    config.generators.forEach((g, i) => checkPlugin(`generators[${i}]`, g, 'generator plugin (an object with a name and a generate() hook)', ['generate'], GENERATOR_HOOKS, fail));
    config.generators.forEach((g, i) => {
      if (g.kind !== undefined && !GENERATOR_KINDS.includes(g.kind)) fail(`'generators[${i}]' (${g.name}): kind must be one of ${GENERATOR_KINDS.map((k) => `'${k}'`).join(', ')} (got ${JSON.stringify(g.kind)})`);
      if (g.timeoutMs !== undefined && !isPositiveInteger(g.timeoutMs)) fail(`'generators[${i}]' (${g.name}): timeoutMs must be a positive integer of milliseconds`);
    });
  }
  if (config.generatorTimeoutMs !== undefined && !isPositiveInteger(config.generatorTimeoutMs)) fail(`'generatorTimeoutMs' must be a positive integer of milliseconds (got ${JSON.stringify(config.generatorTimeoutMs)})`);
  const reporters = config.reporters ?? [];
  if (!Array.isArray(reporters)) fail(`'reporters' must be an array of reporter plugins`);
  reporters.forEach((r, i) => checkPlugin(`reporters[${i}]`, r, 'reporter (an object with a name and optional onRunStart/onBugDone/onRunEnd/onWatchEvent hooks)', [], REPORTER_HOOKS, fail));
  const llm = resolveLlmSettings(config.llm, fail);
  const patchOnly = resolvePatchOnly(config.patchOnly, fail);
  if (config.enginePickWarning !== undefined && typeof config.enginePickWarning !== 'boolean') fail(`'enginePickWarning' must be true or false`);
  if (config.requireReview !== undefined && typeof config.requireReview !== 'boolean') fail(`'requireReview' must be true or false`);
  if (config.python !== undefined && (typeof config.python !== 'string' || config.python.trim() === '')) {
    fail(`'python' must be 'auto', 'pyodide' or the path of a Python interpreter`);
  }
  const verify = resolveVerifySettings(config.verify, root, fail);
  const repair = resolveRepairSettings(config.repair, fail);
  return {
    root,
    ...(file ? { file } : {}),
    bugs: strings('bugs', config.bugs, DEFAULTS.bugs),
    bugsConfigured: config.bugs !== undefined,
    ignore: strings('ignore', config.ignore, DEFAULTS.ignore),
    symptom: strings('symptom', config.symptom, DEFAULTS.symptom),
    output,
    sourceRoots: strings('sourceRoots', config.sourceRoots, DEFAULTS.sourceRoots),
    library,
    libraryReference,
    ...(config.golden !== undefined ? { golden: strings('golden', config.golden, []) } : {}),
    ...(config.generators ? { generators: config.generators } : {}),
    ...(config.generatorTimeoutMs !== undefined ? { generatorTimeoutMs: config.generatorTimeoutMs } : {}),
    reporters,
    concurrency,
    cacheDir: path.resolve(root, cacheDir),
    llm,
    patchOnly,
    enginePickWarning: config.enginePickWarning ?? true,
    ...(config.requireReview ? { requireReview: true } : {}),
    bugFolders: strings('bugFolders', config.bugFolders, DEFAULTS.bugFolders),
    ...(config.python !== undefined ? { python: config.python.trim() } : {}),
    verify,
    repair,
  };
}

function resolveRepairSettings(raw: unknown, fail: (reason: string) => never): Required<RepairSettings> {
  if (raw === undefined) return { inBuild: false };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`'repair' must be an object, e.g. { inBuild: true }`);
  const repair = raw as RepairSettings & Record<string, unknown>;
  for (const key of Object.keys(repair)) if (key !== 'inBuild') fail(`unknown option 'repair.${key}' (known: inBuild)`);
  if (repair.inBuild !== undefined && typeof repair.inBuild !== 'boolean') fail(`'repair.inBuild' must be true or false`);
  return { inBuild: repair.inBuild ?? false };
}

function isPositiveInteger(value: unknown): boolean {
  return Number.isInteger(value) && (value as number) > 0;
}

/** A plugin is an object with a string name; its hooks, where present, are functions. */
function checkPlugin(where: string, plugin: unknown, what: string, required: readonly string[], hooks: readonly string[], fail: (reason: string) => never): void {
  const p = plugin as Record<string, unknown> | null;
  if (!p || typeof p !== 'object' || typeof p.name !== 'string' || !p.name || required.some((h) => typeof p[h] !== 'function')) fail(`'${where}' is not a ${what}`);
  for (const hook of hooks) {
    if (p![hook] !== undefined && typeof p![hook] !== 'function') fail(`'${where}' (${String(p!.name)}): ${hook} must be a function`);
  }
}

function resolvePatchOnly(raw: unknown, fail: (reason: string) => never): PatchOnlyRule[] {
  if (raw === undefined) return [];
  const list = typeof raw === 'string' ? [raw] : raw;
  if (!Array.isArray(list)) return fail(`'patchOnly' must be an array of patch paths or globs (or { patch, reason } objects)`);
  return list.map((entry: unknown, i) => {
    const rule = typeof entry === 'string' ? { patch: entry } : entry;
    if (!rule || typeof rule !== 'object' || Array.isArray(rule)) return fail(`'patchOnly[${i}]' must be a patch path or glob, or { patch: '…', reason: '…' }`);
    const { patch, reason, ...rest } = rule as { patch?: unknown; reason?: unknown };
    if (Object.keys(rest).length) fail(`unknown option 'patchOnly[${i}].${Object.keys(rest)[0]}' (known: patch, reason)`);
    if (typeof patch !== 'string' || patch.trim() === '') return fail(`'patchOnly[${i}]' needs a patch path or glob (relative to the project root)`);
    if (reason !== undefined && typeof reason !== 'string') fail(`'patchOnly[${i}].reason' must be a string`);
    if (path.isAbsolute(patch)) fail(`'patchOnly[${i}]' must be relative to the project root (got ${patch})`);
    const pattern = patch.trim().replace(/\\/g, '/').replace(/^\.\//, '');
    return { pattern, ...(typeof reason === 'string' && reason.trim() ? { reason: reason.trim() } : {}) };
  });
}

function resolveVerifySettings(raw: unknown, root: string, fail: (reason: string) => never): ResolvedVerifySettings {
  if (raw === undefined) return { engine: 'auto' };
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`'verify' must be an object, e.g. { engine: 'off' }`);
  const verify = raw as VerifySettings & Record<string, unknown>;
  for (const key of Object.keys(verify)) if (key !== 'engine') fail(`unknown option 'verify.${key}' (known: engine)`);
  const engine = verify.engine ?? 'auto';
  if (typeof engine !== 'string' || engine.trim() === '') fail(`'verify.engine' must be 'auto', 'off' or the directory holding engine/ast_harden/generic_injector.py`);
  return { engine: engine === 'auto' || engine === 'off' ? engine : path.resolve(root, engine) };
}

function resolveLlmSettings(raw: unknown, fail: (reason: string) => never): LlmSettings {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail(`'llm' must be an object`);
  const llm = raw as LlmSettings & Record<string, unknown>;
  const known = ['model', 'temperature', 'maxAttempts', 'timeoutMs', 'concurrency', 'baseURL', 'prices'];
  for (const key of Object.keys(llm)) if (!known.includes(key)) fail(`unknown option 'llm.${key}' (known: ${known.join(', ')})`);
  if (llm.model !== undefined && (typeof llm.model !== 'string' || !llm.model)) fail(`'llm.model' must be a model name`);
  if (llm.temperature !== undefined && (typeof llm.temperature !== 'number' || llm.temperature < 0 || llm.temperature > 2)) fail(`'llm.temperature' must be a number from 0 to 2`);
  for (const key of ['maxAttempts', 'timeoutMs', 'concurrency'] as const) {
    const v = llm[key];
    if (v !== undefined && (!Number.isInteger(v) || (v as number) < 1)) fail(`'llm.${key}' must be a positive integer`);
  }
  if (llm.baseURL !== undefined) {
    try {
      new URL(llm.baseURL);
    } catch {
      fail(`'llm.baseURL' must be a URL (got ${JSON.stringify(llm.baseURL)})`);
    }
  }
  return llm;
}

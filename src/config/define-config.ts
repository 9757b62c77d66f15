import type { GeneratorPlugin, Reporter } from '../contracts.js';

/** What a `bug-author.config.ts` may set; every field has a default (see `defaultConfig`). */
export interface BugAuthorConfig {
  /** Globs of patch files, relative to the project root. */
  bugs?: string | string[];
  /** Globs never treated as bugs. */
  ignore?: string[];
  /**
   * Where a bug's symptom lives, tried in order. Placeholders: `{dir}` the patch's directory,
   * `{name}` the bug name, `{moduleDir}` the directory above `bugs/`, `{module}` its name.
   */
  symptom?: string[];
  /** The JSON written for a bug (same placeholders). */
  output?: string;
  /** Directories (relative to the root) a patch header path such as `cs336_basics/layers.py` resolves against. */
  sourceRoots?: string[];
  /**
   * Library mode: the reference is `libraryReference` in the problem directory above `bugs/`.
   * `'auto'` uses it when that file exists.
   */
  library?: boolean | 'auto';
  libraryReference?: string;
  /** Hand-written definitions shown to the LLM as examples; default: every hand-written bug JSON. */
  golden?: string[];
  /** Settings of the built-in LLM generator (used when `generators` is not given). */
  llm?: LlmSettings;
  /** Generators tried in order until one yields an `exact` definition. */
  generators?: GeneratorPlugin[];
  /**
   * Longest time one generator may take for one bug, in milliseconds, for generators that set no
   * `timeoutMs` of their own (default 120 000; `kind: 'llm'` generators 600 000). A generator
   * that exceeds it fails that bug and the run goes on.
   */
  generatorTimeoutMs?: number;
  /** Reporters fed by build, watch and check, after the terminal output (see README "Writing a plugin"). */
  reporters?: Reporter[];
  /** Bugs processed at once. */
  concurrency?: number;
  /** Cache directory, relative to the root. */
  cacheDir?: string;
  /**
   * Bugs accepted as patch-only on purpose (v2.1 cannot express them): the engine serves them
   * by copying the reference and applying the patch. Patch paths or globs relative to the root,
   * each optionally with the reason. `build` does not compile them; `check` passes them only
   * while the patch applies to its reference the way the engine applies it.
   */
  patchOnly?: PatchOnlyEntry[];
  /**
   * `check` warns once when patches sit beside their JSON in a bugs folder (the engine then
   * offers such a bug twice, half the time through the legacy patch path). Default true.
   */
  enginePickWarning?: boolean;
  /**
   * `check` fails on definitions nobody approved in `bug-author review`, or whose review is stale
   * (the definition or its inputs changed since), as `check --require-review` does. Default false.
   */
  requireReview?: boolean;
  /**
   * Names of folders that hold a module's bugs or their sources; the folder above one is the
   * module directory (`{moduleDir}`). Default `['bugs', 'bug-sources']`.
   */
  bugFolders?: string[];
  /**
   * Which Python parses and unparses: `'auto'` (python3 from PATH when it is 3.9 or later, else
   * pyodide), `'pyodide'`, or an interpreter (a path, relative to the root, or a command on PATH).
   * The environment variable BUG_AUTHOR_PYTHON overrides it (same values).
   */
  python?: 'auto' | 'pyodide' | (string & {});
  verify?: VerifySettings;
  repair?: RepairSettings;
}

export interface RepairSettings {
  /**
   * Let `build` repair rotted patches too (as `refresh-patch` does): a bug whose patch no longer
   * applies gets a verified draft under .bug-author/drafts/, re-anchored offline, else re-authored
   * by the LLM when a key is set and --no-llm is not given. Default false: `build` only lists drafts.
   */
  inBuild?: boolean;
}

export interface VerifySettings {
  /**
   * The curriculum's own engine as a second judge of every verification (with CPython): the
   * directory holding `engine/ast_harden/generic_injector.py` (relative to the root), or `'off'`.
   * Default `'auto'`: the project root, when it holds the engine.
   */
  engine?: 'auto' | 'off' | (string & {});
}

/** A patch path or glob, or one with the reason it stays patch-only. */
export type PatchOnlyEntry = string | { patch: string; reason?: string };

export interface LlmSettings {
  /** Default `gpt-4o-mini`. */
  model?: string;
  /** Default 0.3. */
  temperature?: number;
  /** Validation-feedback attempts per bug, default 3. */
  maxAttempts?: number;
  /** Per HTTP request, default 60 000 ms (`--llm-timeout` overrides it); a request is tried up to 3 times. */
  timeoutMs?: number;
  /** Requests in flight at once, default 4. */
  concurrency?: number;
  /** Any OpenAI-compatible server (else OPENAI_BASE_URL, else OpenAI). */
  baseURL?: string;
  /** USD per million tokens, by model, for the cost estimate. */
  prices?: Record<string, { inputPerMTok: number; outputPerMTok: number }>;
}

export function defineConfig(config: BugAuthorConfig): BugAuthorConfig {
  return config;
}

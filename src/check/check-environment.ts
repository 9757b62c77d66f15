import type { ContentCache } from '../cache/content-cache.js';
import type { ResolvedConfig } from '../config/resolved-config.js';
import type { ProjectFiles } from '../files/project-files.js';
import type { PythonRuntime } from '../python/runtime.js';
import type { VariantSource } from '../transfer/student-variants.js';
import type { EngineJudge } from '../verify/engine-judge.js';

/** What checking one bug needs from the run around it (passed down; no globals). */
export interface CheckEnvironment {
  config: ResolvedConfig;
  /** The snapshot being judged: the working tree, or the git index for `--staged`. */
  files: ProjectFiles;
  /** Judging the index: fixes end in `git add`, and unstaged outputs are findings. */
  staged: boolean;
  /** Outputs git does not track are findings (CI=true). */
  requireTracked: boolean;
  python: PythonRuntime;
  /** The curriculum's engine, judging every verification too. */
  judge?: EngineJudge;
  cache: ContentCache;
  /** Student-style variants of the references, for transfer verification. */
  variants: VariantSource;
  /** Files git tracks (absolute), computed on first use; undefined outside a git repository. */
  tracked?: () => Promise<ReadonlySet<string>>;
  /** `--since`: only bugs with a file in this set are checked; undefined checks every bug. */
  changed?: ReadonlySet<string>;
  /** `--require-review` (or config `requireReview`): unreviewed and review-stale JSON are errors. */
  requireReview?: boolean;
  /** The folders the engine picks bugs from (absolute; see src/discover/engine-picks.ts). */
  engineFolders?: ReadonlySet<string>;
}

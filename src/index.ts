export { inject, type InjectResult } from './injector/inject.js';
export type { BugDefinition, LogicPass, Pattern, Replacement, Condition } from './injector/definition.js';
export { defineConfig, type BugAuthorConfig } from './config/define-config.js';
export type {
  Availability,
  BugContext,
  GenerationUsage,
  GeneratorContext,
  GeneratorKind,
  GeneratorPlugin,
  GeneratorResult,
  GoldenExample,
  PluginSetupContext,
} from './generate/generator.js';
export type { BugDone, Reporter, ReportingCommand, RunEnd, RunStart, WatchEvent } from './contracts.js';
export type { BugOutcome, OutcomeStatus } from './compile/bug-outcome.js';
export type { Verification, Verdict } from './verify/verify-definition.js';
export { explainNoMatch, sketchPattern, type MissingElement, type NearestCode, type NoMatchExplanation } from './injector/explain-no-match.js';

// The programmatic API: what the CLI's commands run, as functions returning plain data.
export { build, type BuildOptions, type BuildResult } from './api/build.js';
export { check, type CheckOptions, type CheckResult } from './api/check.js';
export { createWatcher, type Watcher, type WatcherEvents, type WatcherOptions } from './api/create-watcher.js';
export { tryDefinitions, type TryOptions, type TryResult } from './api/try-definitions.js';
export { listBugs, readBug, type BugDetails } from './api/bug-details.js';
export { previewInjection, type InjectionPreview, type PreviewOptions } from './api/preview-injection.js';
export { acceptPatchOnly, type AcceptPatchOnlyOptions, type AcceptPatchOnlyResult } from './api/accept-patch-only.js';
export { acceptDraft, listDrafts, type AcceptDraftOptions, type AcceptDraftResult } from './api/drafts.js';
export type { DraftStatus } from './drafts/current-drafts.js';
export type { DraftProvenance, DraftTier, PatchDraft } from './drafts/patch-drafts.js';
export type { AcceptOutcome, SettledJson } from './repair/accept-draft.js';
export type { ProjectRunOptions, RunNotice } from './api/run-options.js';
export { ConfigError, InputError, UsageError, type InputProblemKind } from './errors.js';
export { WatchLockedError } from './watch/watch-lock.js';
// The contracts and every payload they carry (src/contracts.ts): what a UI needs to show a bug.
export type {
  BugTransfer,
  BuildRun,
  BuiltOutcome,
  CacheWriteProblem,
  CheckReport,
  FailedOutcome,
  Finding,
  FindingKind,
  ManualOutcome,
  OutcomeFields,
  PatchOnlyOutcome,
  RunTrigger,
  SchemaProblem,
  Severity,
  TransferOutcome,
  TransferReport,
  UpToDateOutcome,
  VariantKind,
  VariantTransfer,
  WatchNotice,
  WatchOutcome,
  WatchReady,
  BugRef,
} from './contracts.js';
export type { TryCell, TryOutcome, TryReport } from './try/try-definitions.js';
export type { PythonBackendInfo } from './python/runtime.js';

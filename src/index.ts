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
export type { BugDone, Reporter, ReportingCommand, RunEnd, RunStart, WatchEvent } from './report/reporter.js';
export type { BugOutcome, OutcomeStatus } from './build/bug-outcome.js';
export type { Verification, Verdict } from './verify/verify-definition.js';
export { explainNoMatch, sketchPattern, type MissingElement, type NearestCode, type NoMatchExplanation } from './injector/explain-no-match.js';

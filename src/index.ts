export { inject, type InjectResult } from './injector/inject.js';
export type { BugDefinition, LogicPass, Pattern, Replacement, Condition } from './injector/definition.js';
export { defineConfig, type BugAuthorConfig } from './config/define-config.js';
export type { GeneratorPlugin, GeneratorResult, GeneratorContext, BugContext, GoldenExample, GenerationUsage } from './generate/generator.js';
export type { Verification, Verdict } from './verify/verify-definition.js';

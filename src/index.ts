export { inject, type InjectResult } from './injector/inject.js';
export type { BugDefinition, LogicPass, Pattern, Replacement, Condition } from './injector/definition.js';

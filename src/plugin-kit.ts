// `bug-author/plugin-kit`: what a generator (or reporter) author needs, and all that the bundled
// plugins use — the contracts, Python parsing and canonicalisation, the engine's injector,
// verification with transfer to student-style code, content hashing and the cache, schema
// validation. plugins/* import bug-author through this entry alone (test/architecture enforces it).

// The contracts and their payloads.
export type * from './contracts.js';
export { kindOf } from './generate/generator.js';
export { addUsage, emptyUsage } from './generate/usage.js';
export { describeWrongVariants } from './report/describe-transfer.js';

// Python: the runtime, parsing and printing (CPython's ast), and the tree.
export { createPythonRuntime, sharedPythonRuntime, type PythonRuntime } from './python/runtime.js';
export { parseExpressions, parsePython, parsePythonMany, unparsePython, unparsePythonMany, type ParseResult, type PythonSyntaxError, type UnparseResult } from './python/python-ast.js';
export {
  attributesOf,
  childNodes,
  deepCopy,
  fieldsOf,
  fixMissingLocations,
  getAttr,
  hasAttr,
  isNode,
  isScalar,
  isStatement,
  pyEquals,
  pyTypeName,
  sameTree,
  walk,
  type PyNode,
  type PyScalar,
  type PyValue,
} from './python/tree.js';
export { longestCommonSubsequence } from './python/common-subsequence.js';
export { isFunctionDef, localNames, moduleBoundNames, parameterNames, referenceBoundLiteralNames } from './transfer/python-names.js';

// The engine's canonical copy and its injector (v2.1), pass by pass.
export { canonicalize, canonicalizerState, canonicalNames, type CanonicalizerState, type CanonicalNames } from './injector/canonicalize.js';
export { inject, injectIntoTree, prepareDefinition, type InjectResult, type PreparedDefinition, type TreeInjection } from './injector/inject.js';
export type { BugDefinition, Condition, LogicPass, Pattern, Replacement } from './injector/definition.js';
export { matchesPattern, type TrackedContext } from './injector/match-pattern.js';
export { atSamePosition, firstAtPosition, nodesInOrder, runTrackPass, type NodesInOrder } from './injector/track-pass.js';
export { resolveNodePath } from './injector/node-path.js';
export { patternValueOf } from './injector/pattern-value.js';
export { explainNoMatch, sketchPattern } from './injector/explain-no-match.js';

// Verification, with transfer to student-style variants of the reference.
export { verifyDefinition, type VerifyTarget } from './verify/verify-definition.js';
export { createVariantSource, type StudentVariants, type VariantSource } from './transfer/student-variants.js';
export { checkTransfer } from './transfer/check-transfer.js';

// Content hashing, the cache, atomic writes, waiting on a signal, schema validation.
export { contentHash, stableStringify } from './cache/hash.js';
export { createContentCache, type ContentCache } from './cache/content-cache.js';
export { writeFileAtomic } from './write/atomic-write.js';
export { untilAborted } from './process/until-aborted.js';
export { definitionSchema, formatSchemaProblems, validateDefinition, type SchemaCheck } from './schema/validate-definition.js';

// Human reviews recorded in a JSON (bug-author review): where a definition stands with its review.
export { describeReviewState, readReview, reviewStateOf, type ReviewRecord, type ReviewState } from './outputs/review-record.js';

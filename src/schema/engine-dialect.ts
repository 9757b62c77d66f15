import type { SchemaProblem } from './validate-definition.js';

/**
 * What the engine's injector (engine/ast_harden/generic_injector.py and pattern_matcher.py) does
 * with a hand-written definition, judged field by field instead of by the full v2.1 schema:
 * `errors` make it fail (a KeyError, a ValueError at load) or misbehave (delete the matched node,
 * ignore a pass); `warnings` are what the schema asks for but the engine never reads (per-pass
 * `description`, `pass`, `engine_version`). Generated JSON keeps the full schema.
 */
export interface DialectJudgement {
  errors: SchemaProblem[];
  warnings: SchemaProblem[];
}

const PASS_TYPES = ['find_and_track', 'find_and_replace'];
const REPLACEMENTS = ['replace_value_with', 'replace_with', 'remove_keyword_arg', 'delete_statement'];

export function judgeEngineDialect(definition: unknown): DialectJudgement {
  const errors: SchemaProblem[] = [];
  const warnings: SchemaProblem[] = [];
  const error = (path: string, message: string) => errors.push({ path, message });
  const warning = (path: string, message: string) => warnings.push({ path, message });
  if (!isObject(definition)) {
    error('/', 'is not a JSON object: the engine cannot load it');
    return { errors, warnings };
  }
  // GenericBugInjector.validate_definition
  for (const field of ['id', 'injection_type', 'logic']) if (!(field in definition)) error('/', `missing '${field}': the engine refuses to load it ("Bug definition missing required field: ${field}")`);
  if ('injection_type' in definition && definition.injection_type !== 'ast') error('/injection_type', `is ${JSON.stringify(definition.injection_type)}: the engine only injects "ast" and refuses to load it`);
  if (!('description' in definition)) warning('/', "missing 'description' (the engine never reads it; the review and the schema do)");
  if (!('engine_version' in definition)) warning('/', "missing 'engine_version' (the engine never reads it)");
  if (!('target_function' in definition)) warning('/', "missing 'target_function': the engine then neither checks that the function exists nor canonicalizes its names");
  else if (typeof definition.target_function !== 'string' || definition.target_function === '') error('/target_function', 'must be the name of a function');
  if (!('logic' in definition)) return { errors, warnings };
  if (!Array.isArray(definition.logic)) {
    error('/logic', 'is not a list of passes: the engine fails iterating it');
    return { errors, warnings };
  }
  if (definition.logic.length === 0) error('/logic', 'has no pass: the engine "injects" nothing and hands the student unchanged code');
  definition.logic.forEach((step, i) => judgePass(step, `/logic/${i}`, error, warning));
  return { errors, warnings };
}

/**
 * Why the engine refuses to load it at all (json.load, then GenericBugInjector.validate_definition:
 * not an object, no `id`/`injection_type`/`logic`, a type other than "ast"), if it does: such a
 * file is no bug definition. An empty list when it loads.
 */
export function engineLoadProblems(definition: unknown): SchemaProblem[] {
  return judgeEngineDialect(definition).errors.filter((e) => e.path === '/' || e.path === '/injection_type');
}

function judgePass(step: unknown, at: string, error: (path: string, message: string) => void, warning: (path: string, message: string) => void): void {
  if (!isObject(step)) return error(at, 'is not an object: the engine fails on it');
  if (!('type' in step)) return error(at, "missing 'type': the engine fails with KeyError 'type'");
  if (!PASS_TYPES.includes(step.type as string)) return error(`${at}/type`, `is ${JSON.stringify(step.type)}: the engine silently skips a pass of any type but find_and_track / find_and_replace`);
  if (!('pattern' in step)) return error(at, "missing 'pattern': the engine fails with KeyError 'pattern'");
  if (!isObject(step.pattern)) error(`${at}/pattern`, 'is not an object: the engine fails matching it');
  if (!('description' in step)) warning(at, "missing 'description' (the engine never reads it)");
  if (!('pass' in step)) warning(at, "missing 'pass' (the engine runs passes in list order and never reads it)");
  if (Array.isArray(step.conditions)) {
    step.conditions.forEach((c, k) => {
      if (!isObject(c) || !('check' in c)) error(`${at}/conditions/${k}`, "has no 'check': the engine fails with KeyError 'check'");
    });
  }
  if (step.type === 'find_and_track') {
    if (!isObject(step.track_as)) warning(at, "has no 'track_as': the pass tracks nothing");
    return;
  }
  const replacement = step.replacement;
  if (!isObject(replacement)) return error(at, "has no 'replacement': the engine deletes every node the pattern matches");
  const type = replacement.type;
  if (!REPLACEMENTS.includes(type as string)) return error(`${at}/replacement/type`, `is ${JSON.stringify(type)}: the engine knows no such replacement and deletes every node the pattern matches`);
  if (type === 'remove_keyword_arg' && !('name' in replacement)) return error(`${at}/replacement`, "has no 'name': the engine fails with KeyError 'name'");
  if (type !== 'replace_with' && type !== 'replace_value_with') return;
  const source = replacement.source;
  if (!('source' in replacement)) return error(`${at}/replacement`, "has no 'source': the engine fails with KeyError 'source'");
  if (typeof source !== 'string') return error(`${at}/replacement/source`, 'is not a string: the engine raises TypeError');
  if (type === 'replace_with' && source !== 'node' && !source.startsWith('node.')) {
    // PatternMatcher._evaluate_path drops the first dotted part and follows the rest as attributes.
    const effect = source.includes('.')
      ? 'follows the rest after its first "." as attributes of the matched node, finds nothing there, and deletes the matched node'
      : 'reads it as the path "node" and puts the matched node back unchanged (a no-op that still counts as injected)';
    error(`${at}/replacement/source`, `is Python code, but replace_with only takes a path such as "node.value.left": the engine ${effect}; use replace_value_with for code`);
  }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

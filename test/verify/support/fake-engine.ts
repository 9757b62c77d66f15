import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export interface FakeEngineOptions {
  /**
   * The engine "changed": `replace_with node.left` takes the right operand (and vice versa), so
   * it disagrees with the built-in injector.
   */
  drift?: boolean;
  /** The injector module does not even import. */
  broken?: boolean;
}

/**
 * A small stand-in for a curriculum's engine, at the module path the judge imports
 * (`engine/ast_harden/generic_injector.py`, `GenericBugInjector(bug_def).inject(source) ->
 * (code, ok)`). It implements only what the tests use: find_and_replace passes with plain
 * patterns, `replace_with node.<field>` and `delete_statement`, top-down, not descending into
 * replaced nodes. A source containing "CRASH THE ENGINE" kills the Python process it runs in.
 */
export function writeFakeEngine(root: string, options: FakeEngineOptions = {}): string {
  const dir = path.join(root, 'engine', 'ast_harden');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(root, 'engine', '__init__.py'), '"""Fake teaching engine (tests)."""\n');
  writeFileSync(path.join(dir, '__init__.py'), '');
  writeFileSync(path.join(dir, 'pattern_matcher.py'), PATTERN_MATCHER);
  writeFileSync(path.join(dir, 'generic_injector.py'), (options.broken ? 'def broken(:\n' : '') + GENERIC_INJECTOR.replace('DRIFT = False', `DRIFT = ${options.drift ? 'True' : 'False'}`));
  return path.join(dir, 'generic_injector.py');
}

const PATTERN_MATCHER = `import ast


def matches(node, pattern):
    if "node_type" in pattern and type(node).__name__ != pattern["node_type"]:
        return False
    for key, wanted in pattern.items():
        if key == "node_type":
            continue
        if not hasattr(node, key):
            return False
        value = getattr(node, key)
        if key == "op" and isinstance(wanted, str):
            if type(value).__name__ != wanted:
                return False
        elif isinstance(wanted, dict):
            if not isinstance(value, ast.AST) or not matches(value, wanted):
                return False
        elif isinstance(wanted, list):
            if not isinstance(value, list) or len(value) != len(wanted):
                return False
            for item, sub in zip(value, wanted):
                if isinstance(sub, dict) and not (isinstance(item, ast.AST) and matches(item, sub)):
                    return False
        elif value != wanted:
            return False
    return True
`;

const GENERIC_INJECTOR = `import ast
import os
import signal
import textwrap

from engine.ast_harden.pattern_matcher import matches

DRIFT = False
SWAPPED = {"left": "right", "right": "left"}


class _Replace(ast.NodeTransformer):
    def __init__(self, pattern, replacement):
        self.pattern = pattern
        self.replacement = replacement
        self.count = 0

    def visit(self, node):
        if not matches(node, self.pattern):
            return self.generic_visit(node)
        self.count += 1
        if self.replacement["type"] == "delete_statement":
            return None
        field = self.replacement["source"][len("node."):]
        return getattr(node, SWAPPED.get(field, field) if DRIFT else field, None)


class GenericBugInjector:
    def __init__(self, bug_def):
        for field in ("id", "injection_type", "logic"):
            if field not in bug_def:
                raise ValueError("Bug definition missing required field: " + field)
        if bug_def["injection_type"] != "ast":
            raise ValueError("Unsupported injection type: " + str(bug_def["injection_type"]))
        self.bug_def = bug_def

    def inject(self, source_code, debug=False):
        if "CRASH THE ENGINE" in source_code:
            os.kill(os.getpid(), signal.SIGKILL)
        print("fake engine: injecting", self.bug_def["id"])  # engines print; the frames must survive it
        code = textwrap.dedent(source_code)
        try:
            tree = ast.parse(code)
        except SyntaxError:
            return code, False
        target = self.bug_def.get("target_function")
        functions = [n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)]
        if target and functions and target not in functions:
            return source_code, False
        for step in self.bug_def["logic"]:
            if step["type"] != "find_and_replace":
                continue
            replace = _Replace(step["pattern"], step["replacement"])
            tree = replace.visit(tree)
            ast.fix_missing_locations(tree)
            if replace.count == 0:
                return source_code, False
        try:
            return ast.unparse(tree), True
        except Exception:
            return source_code, False
`;

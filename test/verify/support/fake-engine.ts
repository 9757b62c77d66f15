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
  /** inject() never returns (a loop the engine's author left in). */
  hang?: boolean;
  /** With `hang`: this file is created as the engine starts hanging (tests wait for it). */
  hangMarker?: string;
}

/**
 * A small stand-in for a curriculum's engine, at the module path the judge imports
 * (`engine/ast_harden/generic_injector.py`, `GenericBugInjector(bug_def).inject(source) ->
 * (code, ok)`), written from the spec for what the tests use: find_and_track passes on the
 * canonical copy (pins by line and column included), `from_context`, find_and_replace passes
 * top-down not descending into replaced nodes, `replace_with`/`replace_value_with` by path or
 * text and `delete_statement`. A source containing "CRASH THE ENGINE" kills the Python process
 * it runs in.
 */
export function writeFakeEngine(root: string, options: FakeEngineOptions = {}): string {
  const dir = path.join(root, 'engine', 'ast_harden');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(root, 'engine', '__init__.py'), '"""Fake teaching engine (tests)."""\n');
  writeFileSync(path.join(dir, '__init__.py'), '');
  writeFileSync(path.join(dir, 'pattern_matcher.py'), PATTERN_MATCHER);
  writeFileSync(path.join(dir, 'generic_injector.py'), (options.broken ? 'def broken(:\n' : '') + GENERIC_INJECTOR.replace('DRIFT = False', `DRIFT = ${options.drift ? 'True' : 'False'}`).replace('HANG = False', `HANG = ${options.hang ? 'True' : 'False'}`).replace('HANG_MARKER = None', `HANG_MARKER = ${options.hangMarker ? JSON.stringify(options.hangMarker) : 'None'}`));
  return path.join(dir, 'generic_injector.py');
}

const PATTERN_MATCHER = `import ast


def matches(node, pattern, context):
    if "node_type" in pattern and type(node).__name__ != pattern["node_type"]:
        return False
    for key, wanted in pattern.items():
        if key in ("node_type", "from_context"):
            continue
        if not hasattr(node, key):
            return False
        value = getattr(node, key)
        if key == "op" and isinstance(wanted, str):
            if type(value).__name__ != wanted:
                return False
        elif isinstance(wanted, dict) and "from_context" in wanted:
            if wanted["from_context"] not in context or context[wanted["from_context"]] != value:
                return False
        elif isinstance(wanted, dict):
            if not isinstance(value, ast.AST) or not matches(value, wanted, context):
                return False
        elif isinstance(wanted, list):
            if not isinstance(value, list) or len(value) != len(wanted):
                return False
            for item, sub in zip(value, wanted):
                if isinstance(sub, dict) and not (isinstance(item, ast.AST) and matches(item, sub, context)):
                    return False
        elif value != wanted:
            return False
    return True


def path_value(node, path):
    value = node
    for part in path.split(".")[1:]:
        index = None
        if "[" in part:
            part, rest = part.split("[", 1)
            index = int(rest.rstrip("]"))
        value = getattr(value, part, None)
        if index is not None:
            value = value[index] if isinstance(value, list) and -len(value) <= index < len(value) else None
        if value is None:
            return None
    return value
`;

// The canonical copy for find_and_track, as the spec describes the engine's: in each def named
// like the target, positional parameters become _argN and Assign Name targets _varN (value first),
// later reads follow; other defs are not entered; the mapping lives on after the def.
const GENERIC_INJECTOR = `import ast
import copy
import os
import signal
import textwrap

from engine.ast_harden.pattern_matcher import matches, path_value

DRIFT = False
HANG = False
HANG_MARKER = None
SWAPPED = {"left": "right", "right": "left"}


class _Canonical(ast.NodeTransformer):
    def __init__(self, target):
        self.target = target
        self.names = {}
        self.count = 0

    def visit_FunctionDef(self, node):
        if node.name != self.target:
            return node
        self.names, self.count = {}, 0
        for i, arg in enumerate(node.args.args):
            self.names[arg.arg] = "_arg%d" % i
            arg.arg = "_arg%d" % i
        node.body = [self.visit(statement) for statement in node.body]
        return node

    def visit_Assign(self, node):
        node.value = self.visit(node.value)
        for target in node.targets:
            if isinstance(target, ast.Name):
                self.names[target.id] = "_var%d" % self.count
                target.id = self.names[target.id]
                self.count += 1
        return node

    def visit_Name(self, node):
        node.id = self.names.get(node.id, node.id)
        return node


def _track(canonical, original, step, context):
    def visit(node):
        if matches(node, step["pattern"], context):
            source = next((n for n in ast.walk(original) if getattr(n, "lineno", None) == node.lineno and getattr(n, "col_offset", None) == node.col_offset), None)
            if source is not None:
                for name, path in step.get("track_as", {}).items():
                    value = path_value(source, path)
                    if value is not None:
                        context[name] = value
        for child in ast.iter_child_nodes(node):
            visit(child)
    visit(canonical)


class _Replace(ast.NodeTransformer):
    def __init__(self, pattern, replacement, context):
        self.pattern = pattern
        self.replacement = replacement
        self.context = context
        self.count = 0

    def visit(self, node):
        if not matches(node, self.pattern, self.context):
            return self.generic_visit(node)
        self.count += 1
        kind = self.replacement["type"]
        if kind == "delete_statement":
            return None
        source = self.replacement.get("source", "")
        if kind == "replace_value_with":
            value = path_value(node, source) if source.startswith("node.") else ast.parse(source, mode="eval").body
            if value is None or not hasattr(node, "value"):
                return None
            node.value = value
            return node
        field = source[len("node."):]
        if DRIFT:
            field = SWAPPED.get(field, field)
        return path_value(node, "node." + field) if field else node


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
        if HANG and HANG_MARKER:
            open(HANG_MARKER, "w").close()
        while HANG:
            pass
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
        context = {}
        canonical = ast.fix_missing_locations(_Canonical(target or "softmax").visit(copy.deepcopy(tree)))
        for step in self.bug_def["logic"]:
            if step["type"] == "find_and_track":
                _track(canonical, tree, step, context)
                continue
            replace = _Replace(step["pattern"], step.get("replacement", {}), context)
            tree = replace.visit(tree)
            ast.fix_missing_locations(tree)
            canonical = ast.fix_missing_locations(_Canonical(target or "softmax").visit(copy.deepcopy(tree)))
            if replace.count == 0:
                return source_code, False
        try:
            return ast.unparse(tree), True
        except Exception:
            return source_code, False
`;

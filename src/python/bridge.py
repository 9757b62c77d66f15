# Runs inside pyodide. Converts between CPython `ast` trees and plain JSON so that the
# TypeScript side can match and rewrite trees, while parsing and unparsing stay CPython's.
import ast
import base64
import json
import textwrap


def _scalar_to_json(value):
    if value is None or isinstance(value, (bool, str)):
        return value
    if isinstance(value, int):
        return {"$py": "int", "v": str(value)}
    if isinstance(value, float):
        return {"$py": "float", "v": repr(value)}
    if isinstance(value, complex):
        return {"$py": "complex", "v": repr(value)}
    if isinstance(value, bytes):
        return {"$py": "bytes", "v": base64.b64encode(value).decode("ascii")}
    if value is Ellipsis:
        return {"$py": "ellipsis"}
    return {"$py": "repr", "v": repr(value)}


def to_json(value):
    if isinstance(value, ast.AST):
        out = {"_type": type(value).__name__}
        for name in tuple(value._fields) + tuple(getattr(value, "_attributes", ())):
            if name in value.__dict__:
                out[name] = to_json(value.__dict__[name])
        return out
    if isinstance(value, list):
        return [to_json(v) for v in value]
    return _scalar_to_json(value)


class _Opaque:
    """Stands for a value we cannot rebuild; unparsing it shows its repr."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


def from_json(value):
    if isinstance(value, list):
        return [from_json(v) for v in value]
    if isinstance(value, dict):
        if "_type" in value:
            cls = getattr(ast, value["_type"])
            node = cls()
            for key, item in value.items():
                if key != "_type":
                    setattr(node, key, from_json(item))
            return node
        kind = value.get("$py")
        if kind == "int":
            return int(value["v"])
        if kind == "float":
            return float(value["v"])
        if kind == "complex":
            return complex(value["v"])
        if kind == "bytes":
            return base64.b64decode(value["v"])
        if kind == "ellipsis":
            return Ellipsis
        return _Opaque(value.get("v", "?"))
    return value


def parse_source(source, dedent):
    text = textwrap.dedent(source) if dedent else source
    try:
        tree = ast.parse(text)
    except SyntaxError as err:
        return json.dumps({"ok": False, "text": text, "error": {
            "type": type(err).__name__, "message": err.msg, "line": err.lineno, "column": err.offset}})
    except (ValueError, MemoryError, RecursionError) as err:
        return json.dumps({"ok": False, "text": text, "error": {
            "type": type(err).__name__, "message": str(err), "line": None, "column": None}})
    return json.dumps({"ok": True, "text": text, "tree": to_json(tree)})


def parse_expressions(sources_json):
    out = []
    for source in json.loads(sources_json):
        try:
            out.append(to_json(ast.parse(source, mode="eval").body))
        except (SyntaxError, ValueError):
            out.append(None)
    return json.dumps(out)


def unparse_tree(tree_json):
    try:
        return json.dumps({"ok": True, "text": ast.unparse(from_json(json.loads(tree_json)))})
    except Exception as err:  # the injector treats any unparse failure as a failed injection
        return json.dumps({"ok": False, "error": type(err).__name__ + ": " + str(err)})


def unparse_many(trees_json):
    return json.dumps([json.loads(unparse_tree(json.dumps(t))) for t in json.loads(trees_json)])


def _positions(tree):
    """lineno, col_offset, end_lineno, end_col_offset of every positioned node, depth-first in field order."""
    out = []
    stack = [tree]
    while stack:
        value = stack.pop()
        if isinstance(value, list):
            stack.extend(reversed(value))
            continue
        if not isinstance(value, ast.AST):
            continue
        if "lineno" in getattr(value, "_attributes", ()):
            out.append([getattr(value, name, None) for name in ("lineno", "col_offset", "end_lineno", "end_col_offset")])
        stack.extend(getattr(value, name, None) for name in reversed(value._fields))
    return out


def reparse_many(trees_json):
    """For trees built by the caller: the text ast.unparse gives and where CPython puts every node
    when it parses that text back. Only positions travel when the reparsed tree has the same shape."""
    out = []
    for tree_json in json.loads(trees_json):
        try:
            tree = from_json(tree_json)
            text = ast.unparse(tree)
            reparsed = ast.parse(text)
        except Exception as err:
            out.append({"ok": False, "error": type(err).__name__ + ": " + str(err)})
            continue
        if ast.dump(reparsed) == ast.dump(tree):
            out.append({"ok": True, "text": text, "positions": _positions(reparsed)})
        else:
            out.append({"ok": True, "text": text, "tree": to_json(reparsed)})
    return json.dumps(out)


def parse_many(sources_json):
    return json.dumps([json.loads(parse_source(s, False)) for s in json.loads(sources_json)])

# Runs in pyodide and in the CPython worker (worker.py), unchanged, so both give the same
# answers. Converts between CPython `ast` trees and plain JSON so that the TypeScript side can
# match and rewrite trees, while parsing and unparsing stay CPython's.
import ast
import base64
import json
import os
import sys
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


# The names copied for each AST class, in order: its fields, then its attributes.
_LAYOUT = {}
# Small ints (positions, mostly) share one JSON form: trees hold thousands of them.
_SMALL_INTS = {}


def _int_to_json(value):
    out = _SMALL_INTS.get(value)
    if out is None:
        out = {"$py": "int", "v": str(value)}
        if -1000 < value < 100000:
            _SMALL_INTS[value] = out
    return out


def _field_to_json(item):
    """A field's value, one level deep: AST nodes (and lists of them) are left for the encoder to come back for."""
    kind = type(item)
    if kind is int:
        return _int_to_json(item)
    if kind is str or item is None or isinstance(item, ast.AST):
        return item
    if kind is list:
        return [_field_to_json(v) for v in item]
    return _scalar_to_json(item)


def _json_default(value):
    """json.dumps' hook for what JSON has no form for: an AST node becomes its JSON object, one level
    at a time, so a whole tree is never built as dicts before it is written (a large module's would
    take several times the text's memory)."""
    if isinstance(value, ast.AST):
        cls = type(value)
        names = _LAYOUT.get(cls)
        if names is None:
            names = _LAYOUT[cls] = tuple(cls._fields) + tuple(getattr(cls, "_attributes", ()))
        own = value.__dict__
        out = {"_type": cls.__name__}
        for name in names:
            if name in own:
                out[name] = _field_to_json(own[name])
        return out
    return _scalar_to_json(value)


def _dumps(value):
    # Trees share their small-int objects, and have no cycles.
    return json.dumps(value, check_circular=False, default=_json_default)


class _Opaque:
    """Stands for a value we cannot rebuild; unparsing it shows its repr."""

    def __init__(self, text):
        self.text = text

    def __repr__(self):
        return self.text


def _from_json_object(value):
    """json.loads object_hook: rebuilds AST nodes and wrapped scalars, innermost first."""
    node_type = value.get("_type")
    if node_type is not None:
        node = getattr(ast, node_type)()
        for key, item in value.items():
            if key != "_type":
                setattr(node, key, item)
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


def from_json_text(text):
    return json.loads(text, object_hook=_from_json_object)


# Parse results by (source, dedent): a bug's reference is parsed again for every candidate. At most
# so many, holding at most so many characters (a large module's answer is tens of MB), oldest out first.
_PARSED = {}
_PARSED_KEPT = 64
_PARSED_CHARS = 64_000_000
_parsed_chars = [0]


def parse_source(source, dedent):
    key = (source, bool(dedent))
    cached = _PARSED.get(key)
    if cached is None:
        cached = _PARSED[key] = _parse(source, dedent)
        _parsed_chars[0] += len(cached)
        while len(_PARSED) > 1 and (len(_PARSED) > _PARSED_KEPT or _parsed_chars[0] > _PARSED_CHARS):
            _parsed_chars[0] -= len(_PARSED.pop(next(iter(_PARSED))))
    return cached


def _parse(source, dedent):
    text = textwrap.dedent(source) if dedent else source
    try:
        tree = ast.parse(text)
    except SyntaxError as err:
        return json.dumps({"ok": False, "text": text, "error": {
            "type": type(err).__name__, "message": err.msg, "line": err.lineno, "column": err.offset}})
    except (ValueError, MemoryError, RecursionError) as err:
        return json.dumps({"ok": False, "text": text, "error": {
            "type": type(err).__name__, "message": str(err), "line": None, "column": None}})
    return _dumps({"ok": True, "text": text, "tree": tree})


def parse_expressions(sources_json):
    out = []
    for source in json.loads(sources_json):
        try:
            out.append(ast.parse(source, mode="eval").body)
        except (SyntaxError, ValueError):
            out.append(None)
    return _dumps(out)


def unparse_tree(tree_json):
    try:
        return json.dumps({"ok": True, "text": ast.unparse(from_json_text(tree_json))})
    except Exception as err:  # the injector treats any unparse failure as a failed injection
        return json.dumps({"ok": False, "error": type(err).__name__ + ": " + str(err)})


def _unparse_result(tree):
    try:
        return {"ok": True, "text": ast.unparse(tree)}
    except Exception as err:  # the injector treats any unparse failure as a failed injection
        return {"ok": False, "error": type(err).__name__ + ": " + str(err)}


def unparse_many(trees_json):
    return json.dumps([_unparse_result(tree) for tree in from_json_text(trees_json)])


_POSITION_NAMES = ("lineno", "col_offset", "end_lineno", "end_col_offset")


def _positions_if_same(reparsed, tree):
    """The positions of every positioned node of `reparsed` (lineno, col_offset, end_lineno,
    end_col_offset, flat, depth-first in field order) when it has the shape of `tree` (what
    `ast.dump(reparsed) == ast.dump(tree)` says, a missing field being None); else None."""
    out = []
    stack = [(reparsed, tree)]
    while stack:
        value, other = stack.pop()
        kind = type(value)
        if kind is not type(other):
            return None
        if kind is list:
            if len(value) != len(other):
                return None
            stack.extend(reversed(list(zip(value, other))))
        elif isinstance(value, ast.AST):
            if "lineno" in kind._attributes:
                out.extend([getattr(value, name, None) for name in _POSITION_NAMES])
            own, others = value.__dict__, other.__dict__
            stack.extend((own.get(name), others.get(name)) for name in reversed(kind._fields))
        elif value != other:
            return None
    return out


# Module trees of reference files, by source, for reparse_many's statements given by index.
_BASES = {}
_BASES_KEPT = 4


def _base_statements(source):
    body = _BASES.get(source)
    if body is None:
        body = _BASES[source] = ast.parse(source).body
        if len(_BASES) > _BASES_KEPT:
            del _BASES[next(iter(_BASES))]
    return body


def _json_items(text, object_hook):
    """The items of a JSON array, decoded one at a time (a list of large trees is never all in memory)."""
    decoder = json.JSONDecoder(object_hook=object_hook)
    space = json.decoder.WHITESPACE.match
    at = space(text, 0).end()
    if text[at:at + 1] != "[":
        raise ValueError("expected a JSON array")
    at = space(text, at + 1).end()
    if text[at:at + 1] == "]":
        return
    while True:
        item, at = decoder.raw_decode(text, at)
        yield item
        at = space(text, at).end()
        if text[at:at + 1] == "]":
            return
        if text[at:at + 1] != ",":
            raise ValueError("expected ',' or ']' at %d" % at)
        at = space(text, at + 1).end()


def reparse_many(trees_json, base_source=""):
    """For trees built by the caller: the text ast.unparse gives and where CPython puts every node
    when it parses that text back. Only positions travel when the reparsed tree has the same shape.
    With `base_source`, a module statement may come as {"$base": i}: statement i of that source's
    parse, unchanged (only what a transformation changed needs to travel). One tree at a time:
    each is decoded, printed, parsed back and written out before the next."""
    rebuild = _from_json_object
    if base_source:
        base = _base_statements(base_source)

        def rebuild(value):
            index = value.get("$base")
            return base[index] if index is not None else _from_json_object(value)

    out = []
    for tree in _json_items(trees_json, rebuild):
        try:
            text = ast.unparse(tree)
            reparsed = ast.parse(text)
        except Exception as err:
            out.append(_dumps({"ok": False, "error": type(err).__name__ + ": " + str(err)}))
            continue
        positions = _positions_if_same(reparsed, tree)
        if positions is not None:
            out.append(_dumps({"ok": True, "text": text, "positions": positions}))
        else:
            out.append(_dumps({"ok": True, "text": text, "tree": reparsed}))
    return "[" + ", ".join(out) + "]"


def parse_many(sources_json):
    return "[" + ",".join(parse_source(s, False) for s in json.loads(sources_json)) + "]"


# The curriculum's own engine (engine/ast_harden/generic_injector.py under `engine_root`), loaded
# from that directory whatever else is on sys.path, and loaded again when its files change.
_engine = {"root": None, "id": None, "injector": None}


def _load_engine(engine_root, engine_id):
    if _engine["root"] == engine_root and _engine["id"] == engine_id:
        return _engine["injector"]
    import importlib
    import importlib.util
    import types

    for name in [n for n in sys.modules if n == "engine" or n.startswith("engine.")]:
        del sys.modules[name]
    importlib.invalidate_caches()
    package_dir = os.path.join(engine_root, "engine")
    init_file = os.path.join(package_dir, "__init__.py")
    if os.path.exists(init_file):
        spec = importlib.util.spec_from_file_location("engine", init_file, submodule_search_locations=[package_dir])
        package = importlib.util.module_from_spec(spec)
        sys.modules["engine"] = package
        spec.loader.exec_module(package)
    else:
        package = types.ModuleType("engine")
        package.__path__ = [package_dir]
        sys.modules["engine"] = package
    injector = importlib.import_module("engine.ast_harden.generic_injector").GenericBugInjector
    _engine.update(root=engine_root, id=engine_id, injector=injector)
    return injector


class _EngineTimeout(BaseException):
    """Raised in the engine's code when its time is up: not an Exception, so that the engine's own
    `except Exception` cannot swallow it."""


def _on_alarm(signum, frame):
    raise _EngineTimeout()


def engine_inject(engine_root, engine_id, definition_json, source, timeout_s=0):
    """GenericBugInjector(definition).inject(source), as the engine runs it for a student, within
    `timeout_s` seconds (Unix): an engine that never returns must not hold the worker forever."""
    import signal

    armed = bool(timeout_s) and hasattr(signal, "setitimer")
    previous = signal.signal(signal.SIGALRM, _on_alarm) if armed else None
    try:
        try:
            if armed:
                signal.setitimer(signal.ITIMER_REAL, timeout_s)
            return _engine_answer(engine_root, engine_id, definition_json, source)
        finally:
            if armed:
                signal.setitimer(signal.ITIMER_REAL, 0)
    except _EngineTimeout:
        # Cut short while importing, the engine may be half loaded: import it again next time.
        loaded = _engine["root"] == engine_root and _engine["id"] == engine_id
        if not loaded:
            _engine.update(root=None, id=None, injector=None)
        return json.dumps({"loaded": loaded, "timedOut": timeout_s})
    finally:
        if armed:
            signal.signal(signal.SIGALRM, previous)


def _engine_answer(engine_root, engine_id, definition_json, source):
    try:
        injector = _load_engine(engine_root, engine_id)
    except (Exception, SystemExit) as err:
        _engine.update(root=None, id=None, injector=None)
        return json.dumps({"loaded": False, "error": type(err).__name__ + ": " + str(err)})
    try:
        code, ok = injector(json.loads(definition_json)).inject(source)
    except (Exception, SystemExit) as err:
        return json.dumps({"loaded": True, "raised": type(err).__name__ + ": " + str(err)})
    return json.dumps({"loaded": True, "ok": bool(ok), "output": code if isinstance(code, str) else repr(code)})

# The CPython back-end: one long-lived process that runs bridge.py (the very code pyodide runs)
# and answers calls framed on stdin/stdout.
#
# Frames, both ways: a 4-byte big-endian length (of what follows), a 4-byte request id, then
#   request:  the function's name (1-byte length, then its bytes), the argument count (1 byte),
#             and each argument: a kind byte (0 text, 1 JSON), a 4-byte length, its UTF-8 bytes;
#   response: a status byte (0 result, 1 the function raised, 2 this Python cannot serve) and the
#             UTF-8 text (the function's JSON result, or "Type: message").
# Id 0 is the greeting sent at start-up; when stdin ends, a last frame with id 0 reports the peak
# RSS, then the process exits.
#
# Until the version check this file must parse under any Python (2.7 included), so that an
# interpreter too old to serve can still say what it is.
import json
import os
import signal
import struct
import sys
import threading
import time

MINIMUM = (3, 9)  # ast.unparse
PARENT_CHECK_S = 1


def send(channel, request_id, status, text):
    payload = text.encode("utf-8", "surrogatepass")
    channel.write(struct.pack(">IIB", len(payload) + 5, request_id, status) + payload)
    channel.flush()


def read_exact(stream, size):
    data = b""
    while len(data) < size:
        chunk = stream.read(size - len(data))
        if not chunk:
            return None
        data += chunk
    return data


def decode_call(body):
    at = 1 + body[0]
    name = body[1:at].decode("utf-8")
    count = body[at]
    at += 1
    args = []
    for _ in range(count):
        kind = body[at]
        size = struct.unpack_from(">I", body, at + 1)[0]
        text = body[at + 5:at + 5 + size].decode("utf-8", "surrogatepass")
        args.append(text if kind == 0 else json.loads(text))
        at += 5 + size
    return name, args


def peak_rss_kb():
    try:
        import resource
    except ImportError:  # not on Unix
        return None
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


def load_bridge(bridge_file):
    namespace = {"__name__": "bug_author_bridge", "__file__": bridge_file}
    with open(bridge_file, "rb") as source:
        exec(compile(source.read(), bridge_file, "exec"), namespace)
    return dict(
        (name, value)
        for name, value in namespace.items()
        if callable(value) and not isinstance(value, type) and not name.startswith("_") and getattr(value, "__module__", None) == "bug_author_bridge"
    )


def exit_with_parent():
    """An idle worker ends when its stdin does; a busy one (an engine that never returns) reads
    no stdin, so a thread watches for the parent's death: the worker is then adopted."""
    parent = os.getppid()

    def watch():
        while True:
            time.sleep(PARENT_CHECK_S)
            if os.getppid() != parent:
                os._exit(1)

    watcher = threading.Thread(target=watch, name="exit-with-parent")
    watcher.daemon = True
    watcher.start()


def main():
    # Ctrl-C reaches the whole process group: bug-author decides when this process ends.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Frames own the real stdout; anything else printed (by the engine, say) goes to stderr.
    channel = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    version = ".".join(str(part) for part in sys.version_info[:3])
    if tuple(sys.version_info[:2]) < MINIMUM:
        reason = "Python %s is too old (bug-author needs %d.%d or later, for ast.unparse)" % ((version,) + MINIMUM)
        send(channel, 0, 2, json.dumps({"version": version, "reason": reason}))
        return
    try:
        functions = load_bridge(sys.argv[1])
    except Exception as err:
        reason = "cannot load %s: %s: %s" % (sys.argv[1], type(err).__name__, err)
        send(channel, 0, 2, json.dumps({"version": version, "reason": reason}))
        return
    exit_with_parent()
    send(channel, 0, 0, json.dumps({"version": version, "executable": sys.executable}))
    requests = sys.stdin.buffer
    while True:
        header = read_exact(requests, 8)
        if header is None:
            break
        length, request_id = struct.unpack(">II", header)
        body = read_exact(requests, length - 4)
        if body is None:
            break
        try:
            name, args = decode_call(body)
            function = functions.get(name)
            if function is None:
                raise LookupError("bridge.py has no function %r" % name)
            status, text = 0, function(*args)
        except Exception as err:
            status, text = 1, type(err).__name__ + ": " + str(err)
        send(channel, request_id, status, text)
    send(channel, 0, 0, json.dumps({"maxRssKb": peak_rss_kb()}))


main()

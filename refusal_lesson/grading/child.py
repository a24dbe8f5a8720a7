"""The child process that runs one submission: a standalone script.

The grader copies this file beside a lean copy of the package and starts it
with ``python -I -S child.py CONFIG``, or once as a launcher
(``--serve``, see :func:`serve`) that forks one child per submission.  It
imports only the standard library, NumPy and the lean package before the
student's file, so it starts fast and has no route to the solutions or the
hidden checks.

It trusts nothing the student's code can reach: the functions it needs are
bound before the student's file is imported, builtins are restored after
every call, and each answer is described as plain data (type, value, a
capped preview) rather than pickled.  It reports over a dedicated pipe, one
line per event, each prefixed with a nonce; the grader reads only that pipe
for answers and judges them itself, so printing, exiting or forging output
can at most spoil the student's own answers.
"""

import builtins
import json
import os
import pickle
import signal
import sys
import time

PREVIEW = 120
MAX_ITEMS = 12


class CallTimedOut(BaseException):
    """Raised by the alarm inside a call that runs too long."""


def _type_name(value):
    kind = type(value)
    module = getattr(kind, "__module__", "") or ""
    name = getattr(kind, "__qualname__", "?")
    text = name if module == "builtins" else f"{module}.{name}"
    return str.__getitem__(str(text), slice(0, PREVIEW)) if isinstance(text, str) else "?"


def describe(value, depth=0):
    """Plain JSON data describing ``value``, touching as little of it as possible."""
    kind = _type_name(value)
    if value is None or isinstance(value, bool):
        return {"type": kind, "literal": bool(value) if value is not None else None}
    if isinstance(value, float):
        return {"type": kind, "number": float.__repr__(value)}
    if isinstance(value, int):
        small = -(10**18) < value < 10**18
        return {"type": kind, "number": int.__repr__(value) if small else "huge"}
    if isinstance(value, str):
        return {"type": kind, "text": str.__getitem__(value, slice(0, PREVIEW)), "length": str.__len__(value)}
    if isinstance(value, dict) and depth == 0:
        items = []
        for key, item in dict.items(value):
            if len(items) == MAX_ITEMS:
                break
            items.append([describe(key, 1), describe(item, 1)])
        return {"type": kind, "items": items, "length": dict.__len__(value)}
    if kind.startswith("numpy.") and hasattr(type(value), "__float__") and getattr(value, "ndim", 1) == 0:
        return {"type": kind, "number": float.__repr__(float(value))}
    text = repr(value)
    return {"type": kind, "repr": str.__getitem__(text, slice(0, PREVIEW)) if isinstance(text, str) else "?"}


def describe_error(error):
    try:
        message = str(error)
    except BaseException:
        message = "?"
    if not isinstance(message, str):
        message = "?"
    report = {"error": _type_name(error), "message": message[:PREVIEW * 2]}
    if isinstance(error, SyntaxError):
        report["line"] = error.lineno if isinstance(error.lineno, int) else None
    return report


def rebuild(spec):
    """An argument from its JSON description: a list, tuple, array or scalar."""
    if spec["kind"] == "scalar":
        return spec["value"]
    if spec["kind"] == "array":
        import numpy

        return numpy.array(spec["values"])
    return list(spec["values"]) if spec["kind"] == "list" else tuple(spec["values"])


def signature(function):
    """How many positional arguments ``function`` takes, if it is a plain function."""
    code = getattr(function, "__code__", None)
    if code is None or not isinstance(code.co_argcount, int):
        return None
    names = list(code.co_varnames[: code.co_argcount])
    return {"params": [str(name)[:40] for name in names], "varargs": bool(code.co_flags & 0x04)}


def main(config_path, channel=None):
    with open(config_path, encoding="utf-8") as handle:
        config = json.load(handle)
    os.unlink(config_path)
    if channel is not None:
        config["channel"] = channel

    import resource

    for limit, value in config["limits"].items():
        try:
            resource.setrlimit(getattr(resource, limit), (value, value))
        except (ValueError, OSError):
            # Some systems (macOS) refuse some limits; the wall clock still holds.
            pass
    # Writing past the file-size limit then raises OSError instead of killing.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    channel, nonce, pid = config["channel"], config["nonce"], os.getpid()
    write, dumps, pickled, now = os.write, json.dumps, pickle.dumps, time.perf_counter
    exit_now, setitimer, real_timer = os._exit, signal.setitimer, signal.ITIMER_REAL
    streams = (sys.stdout, sys.stderr)
    pristine = dict(builtins.__dict__)

    def restore_builtins():
        current = builtins.__dict__
        for name in [name for name in current if name not in pristine]:
            del current[name]
        current.update(pristine)

    def send(event):
        if os.getpid() != pid:
            # A fork of the student's code must not speak for the submission.
            exit_now(0)
        data = (nonce + dumps(event, allow_nan=True) + "\n").encode()
        while data:
            data = data[write(channel, data):]

    def finish():
        for stream in streams:
            guarded(stream.flush, 1)
        exit_now(0)

    def on_alarm(signum, frame):
        raise CallTimedOut()

    signal.signal(signal.SIGALRM, on_alarm)

    sys.path[:0] = config["path_first"]
    sys.path.extend(config["path_last"])
    calls = [[rebuild(spec) for spec in call["args"]] for call in config["calls"]]
    snapshots = [pickled(args) for args in calls]

    def guarded(action, seconds):
        setitimer(real_timer, seconds)
        try:
            return {"value": action()}
        except CallTimedOut:
            return {"timeout": seconds}
        except MemoryError:
            return {"error": "MemoryError", "message": "ran out of memory"}
        except BaseException as error:
            return describe_error(error)
        finally:
            setitimer(real_timer, 0)
            restore_builtins()

    def load():
        import importlib.util

        spec = importlib.util.spec_from_file_location("exercises", config["source"])
        module = importlib.util.module_from_spec(spec)
        sys.modules["exercises"] = module
        spec.loader.exec_module(module)
        return module

    started = now()
    loaded = guarded(load, config["import_seconds"])
    if "value" not in loaded:
        send({"event": "import", **loaded, "seconds": now() - started})
        finish()
    module = loaded["value"]

    def inspect_functions():
        found = {}
        for name in config["exercises"]:
            function = getattr(module, name, None)
            found[name] = {"callable": callable(function), "signature": signature(function) if callable(function) else None}
        return found

    functions = guarded(inspect_functions, config["call_seconds"]).get("value", {})
    send({"event": "import", "functions": functions, "seconds": now() - started})

    stuck = set()
    for index, (call, args) in enumerate(zip(config["calls"], calls)):
        function = getattr(module, call["exercise"], None)
        if not callable(function):
            continue
        if call["exercise"] in stuck:
            # One endless loop is enough to know; the rest would only wait.
            send({"event": "call", "index": index, "outcome": {"skipped": True}, "mutated": False, "seconds": 0})
            continue
        started = now()
        outcome = guarded(lambda: function(*args), config["call_seconds"])
        seconds = now() - started
        if "timeout" in outcome:
            stuck.add(call["exercise"])
        if "value" in outcome:
            outcome = guarded(lambda: describe(outcome["value"]), config["call_seconds"])
            if "value" in outcome:
                outcome = {"returned": outcome["value"]}
        unchanged = guarded(lambda: pickled(args) == snapshots[index], config["call_seconds"])
        send({"event": "call", "index": index, "outcome": outcome, "mutated": unchanged.get("value") is not True, "seconds": seconds})
    send({"event": "done"})
    finish()


def _mark(variable, token):
    """Write ``token`` over the placeholder value of ``variable`` in this process's environment block.

    The grader finds a submission's stray descendants by the token in
    ``/proc/<pid>/environ``, which shows the block the process was started
    with; a fork of the launcher shares the launcher's, so it is rewritten
    in place (same length) before the student's code runs.
    """
    import ctypes

    environ = ctypes.POINTER(ctypes.c_void_p).in_dll(ctypes.CDLL(None), "environ")
    prefix, value = f"{variable}=".encode(), token.encode()
    index = 0
    while environ[index]:
        address = environ[index]
        if ctypes.string_at(address, len(prefix)) == prefix:
            ctypes.memmove(address + len(prefix), value, len(value))
            return
        index += 1


def serve(server_fd, variable, path_first, path_last):
    """The launcher: preload what every child needs, then fork one child per request.

    A request is a JSON line ``{"config", "cwd", "token"}`` with the child's
    stdout, stderr and channel pipes attached; the reply is the child's pid.
    """
    import socket

    sys.path[:0] = path_first
    sys.path.extend(path_last)
    import ctypes  # noqa: F401  (preloaded for the children)
    import importlib.util  # noqa: F401

    import numpy  # noqa: F401
    import refusal_lesson.validation  # noqa: F401

    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    server = socket.socket(fileno=server_fd)
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, 1 << 16, 3)
        except OSError:
            os._exit(0)
        if not message or len(fds) != 3:
            os._exit(0)
        request = json.loads(message)
        pid = os.fork()
        if pid == 0:
            server.close()
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.setsid()
            _mark(variable, request["token"])
            os.dup2(fds[0], 1)
            os.dup2(fds[1], 2)
            os.close(fds[0])
            os.close(fds[1])
            os.chdir(request["cwd"])
            os.environ["HOME"] = request["cwd"]
            main(request["config"], channel=fds[2])
            os._exit(0)
        for fd in fds:
            os.close(fd)
        server.sendall(f"{pid}\n".encode())


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3], json.loads(sys.argv[4]), json.loads(sys.argv[5]))
    else:
        main(sys.argv[1])

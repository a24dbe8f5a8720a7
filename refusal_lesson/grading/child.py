"""The child process that runs one submission: a standalone script.

The grader copies this file beside a lean copy of the package and starts it
with ``python -I -S -B child.py CHANNEL_FD``, or once as a launcher
(``--serve``, see :func:`serve`) that forks one child per submission.  It
imports only the standard library, NumPy and the lean package before the
student's file, so it starts fast and has no route to the solutions or the
hidden checks.

It trusts nothing the student's code can reach: the functions it needs are
bound before the student's file is imported, builtins are restored after
every call, and each answer is described as plain data (type, value, a
capped preview) rather than pickled.  It talks to the grader over a private
socket: the grader sends the configuration, then one call at a time (so an
input reaches the child only when its call is made), and the child answers
each with one line prefixed by a nonce.  The grader judges the answers
itself, so printing, exiting or forging output can at most spoil the
student's own answers.
"""

import builtins
import gc
import json
import os
import pickle
import signal
import sys
import time

PREVIEW = 120
# Where a child's home and temporary files go: its scratch folder, removed
# after it (joblib would otherwise fill the machine's /dev/shm at ``none``).
HOME_VARIABLES = ("HOME", "TMPDIR", "JOBLIB_TEMP_FOLDER")
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


def returned(value, guarded, seconds):
    """The outcome of a call that returned ``value``.

    An object whose repr or conversion raises was still returned: it is
    described as unreadable, never as a raised exception (a rejection of
    bad input must be a real ``raise``).
    """
    described = guarded(lambda: describe(value), seconds)
    if "value" in described:
        return {"returned": described["value"]}
    if "error" in described:
        kind = guarded(lambda: _type_name(value), seconds).get("value", "?")
        return {"returned": {"type": kind, "repr": "(an object whose repr raises)"}}
    return described


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


def main(channel):
    import socket

    link = socket.socket(fileno=channel)
    requests = link.makefile("rb")
    config = json.loads(requests.readline())

    import resource

    for limit, value in config["limits"].items():
        try:
            resource.setrlimit(getattr(resource, limit), (value, value))
        except (ValueError, OSError):
            # Some systems (macOS) refuse some limits; the wall clock still holds.
            pass
    # Writing past the file-size limit then raises OSError instead of killing.
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)

    nonce, pid = config["nonce"], os.getpid()
    write, dumps, loads, pickled, now = os.write, json.dumps, json.loads, pickle.dumps, time.perf_counter
    read_request = requests.readline
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
        data = (nonce + dumps(event, allow_nan=True) + "\n").encode("utf-8", "surrogatepass")
        while data:
            data = data[write(channel, data):]

    def finish():
        for stream in streams:
            guarded(stream.flush, 1)
        exit_now(0)

    def on_alarm(*_):
        raise CallTimedOut()

    signal.signal(signal.SIGALRM, on_alarm)

    sys.path[:0] = config["path_first"]
    sys.path.extend(config["path_last"])
    # A worker process that joblib or multiprocessing's spawn starts finds
    # the student's functions by importing their module, ``exercises``.
    sys.path.append(os.path.dirname(config["source"]))

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

    seconds_per_call = config["call_seconds"]
    while True:
        line = read_request()
        if not line:
            break
        index, name, arguments = line.split(b" ", 2)
        index = int(index)
        function = getattr(module, name.decode(), None)
        args = [rebuild(spec) for spec in loads(arguments)]
        snapshot = pickled(args)
        started = now()
        outcome = guarded(lambda: function(*args), seconds_per_call)
        seconds = now() - started
        if "value" in outcome:
            outcome = returned(outcome["value"], guarded, seconds_per_call)
        unchanged = guarded(lambda: pickled(args) == snapshot, seconds_per_call)
        send({"event": "call", "index": index, "outcome": outcome, "mutated": unchanged.get("value") is not True, "seconds": seconds})
    finish()


def _mark(variable, token):
    """Write ``token`` over the placeholder value of ``variable`` in this process's environment block.

    Where the child runs as the grader's own user, the grader finds a
    submission's stray descendants by the token in ``/proc/<pid>/environ``,
    which shows the block the process was started with; a fork of the
    launcher shares the launcher's, so it is rewritten in place (same
    length) before the student's code runs.
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


PR_SET_CHILD_SUBREAPER, PR_SET_NO_NEW_PRIVS = 36, 38
CLONE_NEWNS, MS_RDONLY, MS_NOSUID, MS_NODEV = 0x20000, 0x1, 0x2, 0x4
MS_REMOUNT, MS_BIND, MS_REC, MS_PRIVATE = 0x20, 0x1000, 0x4000, 0x40000
# Files a private /tmp or /dev/shm may hold: its size cap alone would let
# empty files use kernel memory without limit.
TMP_INODES = 4096
PRIVATE_FOLDERS = ("/tmp", "/dev/shm")


def _prctl(option, value):
    import ctypes

    ctypes.CDLL(None, use_errno=True).prctl(option, value, 0, 0, 0)


def _mount(libc, source, target, kind, flags, options=None):
    import ctypes

    encode = lambda text: None if text is None else text.encode()
    if libc.mount(encode(source), encode(target), encode(kind), flags, encode(options)) != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"cannot give a submission a private {target}: {os.strerror(number)}")


def private_tmp(size, keep):
    """Give this process a mount namespace of its own, with fresh ``/tmp`` and ``/dev/shm``.

    Each is a tmpfs of ``size`` bytes, open to all as ``/tmp`` is, but
    seen by this child's processes alone: ``multiprocessing`` (whose locks
    live in ``/dev/shm``) works, and whatever the submission writes there
    reaches no other and is gone with its last process, which holds the
    namespace's last reference.
    ``keep`` lists the folders bound into the sandbox below those two
    (the grader's own temporary folder, a virtual environment made in
    ``/tmp``) as ``[path, writable]``: they are bound again on top.
    Needs ``CAP_SYS_ADMIN``: the launcher inside bubblewrap has it, and its
    children lose it when they drop to their uid.
    """
    import ctypes

    libc = ctypes.CDLL(None, use_errno=True)
    if libc.unshare(CLONE_NEWNS) != 0:
        number = ctypes.get_errno()
        raise OSError(number, f"cannot give a submission a mount namespace: {os.strerror(number)}")
    # Private first: nothing mounted here may propagate back to the launcher's namespace.
    _mount(libc, "none", "/", None, MS_REC | MS_PRIVATE)
    held = [(os.open(path, os.O_PATH), path, writable) for path, writable in keep]
    options = f"size={size},nr_inodes={TMP_INODES},mode=1777"
    for folder in PRIVATE_FOLDERS:
        _mount(libc, "tmpfs", folder, "tmpfs", MS_NOSUID | MS_NODEV, options)
    for fd, path, writable in held:
        os.makedirs(path, mode=0o755, exist_ok=True)
        _mount(libc, f"/proc/self/fd/{fd}", path, None, MS_BIND | MS_REC)
        if not writable:
            _mount(libc, None, path, None, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV)
        os.close(fd)


def become(uid, cwd):
    """Drop to ``uid`` for good, with no groups and no way back (``no_new_privs``), in ``cwd``."""
    os.setgroups([])
    os.setgid(uid)
    os.setuid(uid)
    _prctl(PR_SET_NO_NEW_PRIVS, 1)
    os.umask(0o077)
    os.chdir(cwd)


def _running_as(uid):
    """Whether any process but this one runs as ``uid`` (zombies, which cannot act, aside)."""
    me = str(os.getpid())
    for name in os.listdir("/proc"):
        if not name.isdigit() or name == me:
            continue
        try:
            with open(f"/proc/{name}/status", "rb") as handle:
                status = handle.read()
        except OSError:
            continue
        fields = dict(line.split(b":", 1) for line in status.splitlines() if b":" in line)
        if int(fields.get(b"Uid", b"-1").split()[0]) == uid and not fields.get(b"State", b"").strip().startswith(b"Z"):
            return True
    return False


def _kill_uid(uid):
    """In a helper: become ``uid`` and kill every process it has, until none is left.

    ``kill(-1)`` sends to every process the sender may signal, all at once
    (no fork can slip between), so a detached grandchild goes too.
    """
    os.setgid(uid)
    os.setuid(uid)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline:
        try:
            os.kill(-1, signal.SIGKILL)
        except ProcessLookupError:
            pass
        if not _running_as(uid):
            break
        time.sleep(0.001)


def _can_mount_private_tmp(tmp):
    """Whether a child could get its private ``/tmp`` (tried once, in a fork, before any submission runs)."""
    pid = os.fork()
    if pid == 0:
        try:
            private_tmp(tmp["bytes"], tmp["keep"])
        except OSError as error:
            print(error.strerror, file=sys.stderr, flush=True)
            os._exit(1)
        os._exit(0)
    return os.waitpid(pid, 0)[1] == 0


def serve(server_fd, variable, path_first, path_last, tmp):
    """The launcher: preload what every child needs, then fork one child per request.

    A request is a JSON line: ``{"cwd", "uid", "token"}`` with the child's
    stdout, stderr and channel attached, answered with the child's pid; or
    ``{"kill": uid}`` with a pipe attached, whose write end closes once no
    process of that uid is left.  With ``tmp`` (inside bubblewrap:
    ``{"bytes", "keep"}``), each child gets its own ``/tmp`` and ``/dev/shm``
    (:func:`private_tmp`); a launcher that cannot give them stops at once.
    It says ``ready`` once it has imported what the children share.
    """
    import socket

    sys.path[:0] = path_first
    sys.path.extend(path_last)
    import ctypes  # noqa: F401  (preloaded for the children)
    import importlib.util  # noqa: F401

    import numpy  # noqa: F401
    import refusal_lesson.validation  # noqa: F401

    # A child's garbage collection would walk every object the launcher
    # made, copying each page it touches out of the shared memory of the
    # fork: frozen, those objects are left out of every collection.
    gc.freeze()
    if tmp and not _can_mount_private_tmp(tmp):
        os._exit(1)
    # Orphans of a submission become the launcher's and are reaped at once.
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    signal.signal(signal.SIGCHLD, signal.SIG_IGN)
    server = socket.socket(fileno=server_fd)
    server.sendall(b"ready\n")
    while True:
        try:
            message, fds, _, _ = socket.recv_fds(server, 1 << 16, 3)
        except OSError:
            os._exit(0)
        if not message:
            os._exit(0)
        request = json.loads(message)
        if "kill" in request:
            # The helper holds the grader's pipe until it is done: the grader
            # waits on that, and the launcher goes on forking meanwhile.
            if os.fork() == 0:
                server.close()
                _kill_uid(request["kill"])
                os._exit(0)
            for fd in fds:
                os.close(fd)
            server.sendall(b"0\n")
            continue
        if len(fds) != 3:
            os._exit(0)
        # The pid is sent once the child has its uid: a kill of that uid
        # asked for sooner would miss a child still setting up as root.
        settled, settling = os.pipe()
        pid = os.fork()
        if pid == 0:
            server.close()
            os.close(settled)
            signal.signal(signal.SIGCHLD, signal.SIG_DFL)
            os.setsid()
            os.dup2(fds[0], 1)
            os.dup2(fds[1], 2)
            os.close(fds[0])
            os.close(fds[1])
            for name in HOME_VARIABLES:
                os.environ[name] = request["cwd"]
            if request["uid"] is None:
                _mark(variable, request["token"])
                # What the child's code starts with os.environ (joblib's workers) carries the mark too.
                os.environ[variable] = request["token"]
                os.chdir(request["cwd"])
            else:
                if tmp:
                    private_tmp(tmp["bytes"], tmp["keep"])
                become(request["uid"], request["cwd"])
            os.close(settling)
            main(fds[2])
            os._exit(0)
        for fd in (*fds, settling):
            os.close(fd)
        # Nothing comes through: the read ends when the child closes its end, or dies.
        os.read(settled, 1)
        os.close(settled)
        server.sendall(f"{pid}\n".encode())


if __name__ == "__main__":
    if sys.argv[1] == "--serve":
        serve(int(sys.argv[2]), sys.argv[3], *map(json.loads, sys.argv[4:7]))
    else:
        main(int(sys.argv[1]))

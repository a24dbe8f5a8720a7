"""Run a submission's calls in a child process that cannot touch the grader.

Each submission gets its own child process (:mod:`.child`), forked from a
launcher that started as ``python -I -S`` and imported NumPy once (or, where
Linux's ``pidfd_open`` is missing, started afresh), with:

* a clean environment and an empty temporary working directory;
* ``sys.path`` holding only the standard library, the site-packages that
  hold NumPy and scikit-learn (``-S`` skips their ``.pth`` files, so an
  editable install adds no route to the repository) and a lean copy of the
  package with neither ``solutions/`` nor the grading code;
* limits on memory, CPU time, file size and processes (``resource``), a
  wall-clock timeout, and its own session, whose process group is killed
  when grading ends.  Descendants that left the group (``setsid``) are found
  by a random token in their environment and killed too;
* stdout and stderr read through pipes with a cap, and answers read from a
  separate pipe, one nonce-prefixed JSON line per event.

What this cannot stop: the child runs as the grader's user, so code bent on
harm can still signal that user's other processes or read files the user
can read.  Run the grader as a user with nothing else to lose (a container,
as Gradescope does); dropping the child to its own user is future work.
"""

import json
import os
import secrets
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent
CHILD_SCRIPT = Path(__file__).resolve().parent / "child.py"
TOKEN_VARIABLE = "REFUSAL_LESSON_GRADING_TOKEN"
CHANNEL_CAP = 1 << 20
READ_SIZE = 1 << 16
DRAIN_SECONDS = 0.2
# Sessions, process groups, rlimits and alarms: Linux and macOS have them.
SUPPORTED = all(hasattr(os, name) for name in ("killpg", "setsid")) and hasattr(signal, "setitimer")


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    Examples
    --------
    >>> Limits().wall_seconds
    20.0
    """

    wall_seconds: float = 20.0
    import_seconds: float = 10.0
    call_seconds: float = 2.0
    memory_bytes: int = 1 << 30
    file_bytes: int = 1 << 20
    processes: int = 32
    output_bytes: int = 4096


@dataclass
class ChildReport:
    """What came back from one child: its events and what it printed."""

    imported: dict = None
    calls: dict = field(default_factory=dict)
    finished: bool = False
    timed_out: bool = False
    overflowed: bool = False
    returncode: int = None
    stdout: bytes = b""
    stderr: bytes = b""
    printed: int = 0
    stray_lines: int = 0
    seconds: float = 0.0


def _site_directories():
    """The directories that hold the libraries a submission may import."""
    found = []
    for name in ("numpy", "scipy", "sklearn", "pandas"):
        spec = find_spec(name)
        if spec is not None and spec.origin:
            directory = str(Path(spec.origin).resolve().parent.parent)
            if directory not in found:
                found.append(directory)
    return found


def _processes():
    """``/proc``'s process entries; none where there is no ``/proc`` (macOS)."""
    if not os.path.isdir("/proc"):
        return []
    return [entry for entry in os.scandir("/proc") if entry.name.isdigit()]


def _user_tasks():
    """How many threads the current user runs: RLIMIT_NPROC counts them all."""
    uid, count = os.getuid(), 0
    for entry in _processes():
        try:
            status = Path(entry.path, "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if int(fields.get("Uid", "-1").split()[0]) == uid:
            count += int(fields.get("Threads", "1"))
    return count


def _kill_marked(tokens):
    """Kill every process whose environment carries one of ``tokens``; return how many."""
    markers = {f"{TOKEN_VARIABLE}={token}".encode() for token in tokens}
    killed = 0
    for _ in range(5):
        found = 0
        for entry in _processes():
            try:
                with open(Path(entry.path, "environ"), "rb") as handle:
                    environ = handle.read()
            except OSError:
                continue
            if markers.intersection(environ.split(b"\0")):
                try:
                    os.kill(int(entry.name), signal.SIGKILL)
                    found += 1
                except OSError:
                    pass
        killed += found
        if not found:
            break
        time.sleep(0.01)
    return killed


def _environment(home, token):
    """The whole environment a child gets: no variable of the grader's leaks in."""
    return {
        "PATH": "/usr/bin:/bin",
        "LANG": "C.UTF-8",
        "HOME": str(home),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        TOKEN_VARIABLE: token,
    }


class _Forked:
    """A child forked by the launcher: the grader is not its parent and cannot reap it."""

    returncode = None

    def __init__(self, pid, stdout, stderr):
        self.pid, self.stdout, self.stderr = pid, stdout, stderr

    def poll(self):
        try:
            os.kill(self.pid, 0)
        except ProcessLookupError:
            return 0
        return None

    def wait(self):
        return None


class Launcher:
    """A lean process that has imported NumPy once and forks a child per submission.

    Starting Python and importing NumPy is most of a child's cost; forking
    a launcher that has done both makes a batch several times faster.  Each
    fork gets its own session, pipes, limits and token, exactly as a spawned
    child does.  If student code kills the launcher, the next request starts
    a new one.
    """

    PLACEHOLDER = "0" * 32

    def __init__(self, sandbox):
        self.sandbox, self.lock, self.process, self.socket = sandbox, threading.Lock(), None, None

    def _start(self):
        import socket

        ours, theirs = socket.socketpair()
        sandbox = self.sandbox
        self.process = subprocess.Popen(
            [
                sys.executable, "-I", "-S", str(sandbox.root / "child.py"), "--serve", str(theirs.fileno()),
                TOKEN_VARIABLE, json.dumps([str(sandbox.root)]), json.dumps(sandbox.site),
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            cwd=sandbox.root,
            env=_environment(sandbox.root, self.PLACEHOLDER),
            pass_fds=(theirs.fileno(),),
            start_new_session=True,
        )
        theirs.close()
        self.socket = ours

    def ensure_running(self):
        """Start the launcher if it is not running (the caller holds the lock)."""
        if self.process is None or self.process.poll() is not None:
            self.close()
            self._start()

    def _request(self, message, fds):
        import socket

        self.ensure_running()
        socket.send_fds(self.socket, [message], fds)
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = self.socket.recv(64)
            if not chunk:
                raise ConnectionError("the launcher stopped")
            reply += chunk
        return int(reply)

    def fork(self, config_path, cwd, token, channel):
        """A child running ``config_path``, as :class:`_Forked`."""
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        message = json.dumps({"config": str(config_path), "cwd": str(cwd), "token": token}).encode()
        try:
            with self.lock:
                try:
                    pid = self._request(message, [out_write, err_write, channel])
                except OSError:
                    self.close()
                    pid = self._request(message, [out_write, err_write, channel])
        except BaseException:
            os.close(out_read)
            os.close(err_read)
            raise
        finally:
            os.close(out_write)
            os.close(err_write)
        return _Forked(pid, os.fdopen(out_read, "rb", 0), os.fdopen(err_read, "rb", 0))

    def close(self):
        """Stop the launcher (its children are swept by their tokens)."""
        if self.socket is not None:
            self.socket.close()
            self.socket = None
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except OSError:
                pass
            self.process.wait()
            self.process = None


class Sandbox:
    """A place to run submissions: the lean package copy and the limits.

    Use it as a context manager; it removes its temporary files on exit.

    Parameters
    ----------
    limits : Limits, optional
    fork_server : bool, default=True
        Fork children from a :class:`Launcher` instead of starting each one:
        faster, and a child that kills its parent kills only the launcher,
        which is restarted.  Needs Linux's ``pidfd_open``; elsewhere each
        child is started afresh.

    Examples
    --------
    >>> with Sandbox() as sandbox:
    ...     (sandbox.root / "refusal_lesson" / "validation.py").is_file()
    True
    """

    def __init__(self, limits=None, fork_server=True):
        self.limits = limits or Limits()
        self._root = None
        self.site = _site_directories()
        self._launcher = Launcher(self) if fork_server and hasattr(os, "pidfd_open") else None
        self._process_limit = None
        self._tokens = set()

    def __enter__(self):
        if not SUPPORTED:
            raise OSError(
                "grading runs student code in a POSIX sandbox, which Windows lacks; "
                "use WSL, Binder, Linux or macOS."
            )
        self._root = Path(tempfile.mkdtemp(prefix="refusal-lesson-sandbox-"))
        lean = self._root / "refusal_lesson"
        lean.mkdir()
        # Only the package's top-level modules: the grading subpackage (and
        # with it the hidden checks) stays out, and solutions/ is not beside it.
        for module in PACKAGE.glob("*.py"):
            shutil.copy2(module, lean / module.name)
        shutil.copy2(CHILD_SCRIPT, self._root / "child.py")
        if os.getuid() != 0:
            # Root ignores RLIMIT_NPROC, and it counts every thread the user has.
            self._process_limit = _user_tasks() + self.limits.processes
        return self

    def __exit__(self, *exc_info):
        if self._launcher is not None:
            self._launcher.close()
        # A last sweep for anything that slipped past the sweep after its run.
        _kill_marked(self._tokens)
        shutil.rmtree(self._root, ignore_errors=True)
        self._root = None

    @property
    def root(self):
        """The folder holding the lean package copy and the child script."""
        return self._root

    @property
    def tokens(self):
        """The marks of every child started so far: each one's environment carries one."""
        return frozenset(self._tokens)

    def _rlimits(self):
        limits = self.limits
        rlimits = {
            "RLIMIT_AS": limits.memory_bytes,
            "RLIMIT_CPU": int(limits.wall_seconds) + 1,
            "RLIMIT_FSIZE": limits.file_bytes,
            "RLIMIT_CORE": 0,
        }
        if self._process_limit is not None:
            rlimits["RLIMIT_NPROC"] = self._process_limit
        return rlimits

    def start(self, source, exercises, calls):
        """Start a child that imports ``source`` and makes ``calls``.

        Parameters
        ----------
        source : str or pathlib.Path
            The student's Python file.
        exercises : sequence of str
            The function names to look up.
        calls : list of dict
            ``{"exercise": name, "args": [...]}`` in the form
            :meth:`Case.to_json` gives.

        Returns
        -------
        Running
            Call its ``finish()`` to wait for the child and get its report.
        """
        return Running(self, source, exercises, calls)

    def warm(self):
        """Start the launcher now, so its imports overlap the grader's own."""
        if self._launcher is not None:
            with self._launcher.lock:
                self._launcher.ensure_running()

    def launch(self, config_path, cwd, token, channel):
        """Start a child on ``config_path``: forked by the launcher, or spawned."""
        if self._launcher is not None:
            return self._launcher.fork(config_path, cwd, token, channel)
        return subprocess.Popen(
            [sys.executable, "-I", "-S", str(self._root / "child.py"), str(config_path)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            cwd=cwd,
            env=_environment(cwd, token),
            pass_fds=(channel,),
            start_new_session=True,
        )

    def run(self, source, exercises, calls):
        """:meth:`start` and wait: the child's :class:`ChildReport`."""
        return self.start(source, exercises, calls).finish()

    def config(self, source, exercises, calls, channel, nonce):
        """What the child needs to know, as JSON-ready data."""
        return {
            "source": str(source),
            "exercises": list(exercises),
            "calls": calls,
            "channel": channel,
            "nonce": nonce,
            "limits": self._rlimits(),
            "path_first": [str(self._root)],
            "path_last": self.site,
            "import_seconds": self.limits.import_seconds,
            "call_seconds": self.limits.call_seconds,
        }


class Running:
    """A child at work on one submission; :meth:`finish` collects and cleans up."""

    def __init__(self, sandbox, source, exercises, calls):
        self.sandbox, self.n_calls = sandbox, len(calls)
        self.scratch = Path(tempfile.mkdtemp(prefix="refusal-lesson-run-"))
        (self.scratch / "work").mkdir()
        (self.scratch / "submission").mkdir()
        copy = self.scratch / "submission" / "exercises.py"
        shutil.copyfile(source, copy)
        self.nonce, self.token = secrets.token_hex(16), secrets.token_hex(16)
        sandbox._tokens.add(self.token)
        self.channel, write_end = os.pipe()
        config_path = self.scratch / "submission" / "config.json"
        config = sandbox.config(copy, exercises, calls, write_end, self.nonce)
        config_path.write_text(json.dumps(config, allow_nan=True), encoding="utf-8")
        self.started = time.perf_counter()
        try:
            self.process = sandbox.launch(config_path, self.scratch / "work", self.token, write_end)
        except BaseException:
            os.close(self.channel)
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        finally:
            os.close(write_end)

    def finish(self):
        """Wait for the child (up to the wall-clock limit), kill what is left, report."""
        process, report = self.process, ChildReport()
        channel = b""
        try:
            limits = self.sandbox.limits
            channel = _collect(limits, process, self.channel, report, self.started + limits.wall_seconds)
        finally:
            try:
                os.killpg(process.pid, signal.SIGKILL)
            except OSError:
                pass
            process.wait()
            _kill_marked({self.token})
            for stream in (process.stdout, process.stderr):
                stream.close()
            os.close(self.channel)
            shutil.rmtree(self.scratch, ignore_errors=True)
        _read_events(channel, self.nonce, self.n_calls, report)
        report.returncode = process.returncode
        report.seconds = time.perf_counter() - self.started
        return report


def _collect(limits, process, channel, report, deadline):
    """Read the child's pipes until it exits or the deadline passes; return its events."""
    selector = selectors.DefaultSelector()
    buffers = {"stdout": bytearray(), "stderr": bytearray(), "channel": bytearray()}
    for name, fd in (("stdout", process.stdout.fileno()), ("stderr", process.stderr.fileno()), ("channel", channel)):
        os.set_blocking(fd, False)
        selector.register(fd, selectors.EVENT_READ, name)
    try:
        exit_fd = os.pidfd_open(process.pid)
        selector.register(exit_fd, selectors.EVENT_READ, "exit")
    except (AttributeError, OSError):
        exit_fd = None
    exited = False
    try:
        while True:
            now = time.perf_counter()
            if not exited and exit_fd is None and process.poll() is not None:
                exited, deadline = True, min(deadline, now + DRAIN_SECONDS)
            if now >= deadline:
                report.timed_out = not exited
                break
            wait = 0 if exited else deadline - now
            if exit_fd is None and not exited:
                wait = min(wait, 0.01)
            events = selector.select(wait)
            if not events and exited:
                break
            for key, _ in events:
                if key.data == "exit":
                    # What the child wrote is already in the pipes; a
                    # descendant still holding them must not keep us here.
                    exited, deadline = True, min(deadline, time.perf_counter() + DRAIN_SECONDS)
                    selector.unregister(key.fd)
                    continue
                try:
                    chunk = os.read(key.fd, READ_SIZE)
                except BlockingIOError:
                    continue
                if not chunk:
                    selector.unregister(key.fd)
                    continue
                buffer = buffers[key.data]
                if key.data == "channel":
                    buffer += chunk
                    report.overflowed = len(buffer) > CHANNEL_CAP
                else:
                    report.printed += len(chunk)
                    buffer += chunk[: max(0, limits.output_bytes - len(buffer))]
            if report.overflowed:
                break
    finally:
        selector.close()
        if exit_fd is not None:
            os.close(exit_fd)
    report.stdout, report.stderr = bytes(buffers["stdout"]), bytes(buffers["stderr"])
    return bytes(buffers["channel"][:CHANNEL_CAP])


def _well_formed(event, n_calls):
    """Whether a decoded event has the shape the child sends (a forged one may not)."""
    if not isinstance(event, dict):
        return False
    kind = event.get("event")
    if kind == "call":
        index = event.get("index")
        return (
            type(index) is int and 0 <= index < n_calls
            and isinstance(event.get("outcome"), dict) and isinstance(event.get("mutated"), bool)
        )
    if kind == "import":
        functions = event.get("functions", {})
        return isinstance(functions, dict) and all(isinstance(info, dict) for info in functions.values())
    return kind == "done"


def _read_events(data, nonce, n_calls, report):
    """Keep the well-formed events from the child's channel, the first of each kind."""
    prefix = nonce.encode()
    for line in data.split(b"\n"):
        if not line:
            continue
        event = None
        if line.startswith(prefix):
            try:
                event = json.loads(line[len(prefix):])
            except (ValueError, RecursionError):
                event = None
        if not _well_formed(event, n_calls):
            report.stray_lines += 1
            continue
        kind = event["event"]
        if kind == "import" and report.imported is None:
            report.imported = event
        elif kind == "call":
            report.calls.setdefault(event["index"], event)
        elif kind == "done":
            report.finished = True

"""Run a submission's calls in child processes that cannot touch the grader.

Each submission's calls run in a child process (:mod:`.child`), forked from
a launcher that started as ``python -I -S -B`` and imported NumPy once (or,
where Linux's ``pidfd_open`` is missing, started afresh).  How far the child
is kept from everything else depends on the machine (:mod:`.isolation`):
at ``namespaces`` and ``uid`` it runs as a uid of its own in a scratch
folder it owns, with nothing else writable, and every process of that uid
is killed before its answers are judged; at ``none`` it runs as the
grader's user.  At every level it gets:

* a clean environment and an empty working directory in its scratch folder;
* ``sys.path`` holding only the standard library, the site-packages that
  hold NumPy and scikit-learn (``-S`` skips their ``.pth`` files, so an
  editable install adds no route to the repository) and a lean copy of the
  package with neither ``solutions/`` nor the grading code;
* limits on memory, CPU time, file size and processes (``resource``);
* stdout and stderr read through pipes, counted and dropped, and a private socket
  over which the grader sends one call at a time and reads one answer.

Limits on time are per call (:class:`Limits`): a call that hangs costs that
call only, since the grader kills the child and starts another for the
calls after it, and the whole run may take the import allowance plus the
per-call limit for every call.
"""

import json
import os
import secrets
import selectors
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from importlib.util import find_spec
from pathlib import Path

from . import isolation
from .child import HOME_VARIABLES
from .files import remove_tree
from .source import MAX_SOURCE_BYTES
from .untrusted import clean, is_clean_json

PACKAGE = Path(__file__).resolve().parent.parent
CHILD_SCRIPT = Path(__file__).resolve().parent / "child.py"
TOKEN_VARIABLE = "REFUSAL_LESSON_GRADING_TOKEN"
CHANNEL_CAP = 1 << 20
READ_SIZE = 1 << 16
DRAIN_SECONDS = 0.2
# What the grader waits beyond a call's own limit before it kills the
# child (which then swallowed its alarm, or is stuck in C code).
GRACE_SECONDS = 0.5
LAUNCHER_START_SECONDS = 60.0
# How long a stopped run may take to notice: its children are killed, so at once.
STOP_SECONDS = 10.0
# Sessions, process groups, rlimits and alarms: Linux and macOS have them.
SUPPORTED = all(hasattr(os, name) for name in ("killpg", "setsid")) and hasattr(signal, "setitimer")


class Stopped(BaseException):
    """The sandbox was told to stop (a second Ctrl-C, SIGTERM): the run's answers are not judged.

    Not an ``Exception``: grading one submission turns those into feedback,
    and a stopped run must leave no result behind, to be graded again later.
    """


@dataclass(frozen=True)
class Limits:
    """What one submission may use.

    Time is per call: a run may take ``import_seconds`` plus
    ``call_seconds`` for every call it makes (:meth:`total_seconds`).

    Examples
    --------
    >>> Limits().total_seconds(10)
    30.0
    """

    call_seconds: float = 2.0
    import_seconds: float = 10.0
    memory_bytes: int = 1 << 30
    file_bytes: int = 1 << 20
    # Each of a child's private /tmp and /dev/shm (at ``namespaces``).
    tmp_bytes: int = 64 << 20
    processes: int = 32
    # Printing past this gets a note in the feedback; what is printed is
    # read and counted, never kept or shown.
    output_bytes: int = 4096

    def total_seconds(self, n_calls):
        """The wall-clock seconds a child may take for ``n_calls`` calls, its import included."""
        return self.import_seconds + n_calls * self.call_seconds


@dataclass
class ChildReport:
    """What came back from the children that ran one set of calls.

    ``imported`` is the first child's import event; ``calls`` maps each
    call's index to its event.  ``restarts`` counts children that died or
    hung on a call and were replaced; ``voided`` holds the calls whose
    answers were voided because the child answered a call not asked.
    """

    imported: dict = None
    calls: dict = field(default_factory=dict)
    timed_out: bool = False
    overflowed: bool = False
    printed: int = 0
    stray_lines: int = 0
    limit_seconds: float = 0.0
    restarts: int = 0
    voided: set = field(default_factory=set)


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
    """Kill every process whose environment carries one of ``tokens``; return how many.

    Only at the ``none`` level, where children share the grader's uid.
    """
    if not tokens:
        return 0
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


def _environment(home, token, path):
    """The whole environment a child gets: no variable of the grader's leaks in.

    The child itself runs with ``-I``, which ignores ``PYTHONPATH``; the
    interpreters its code starts (joblib's workers) read it to find the
    libraries the child was given (``path``).
    """
    return {
        "PATH": "/usr/bin:/bin",
        "PYTHONPATH": os.pathsep.join(map(str, path)),
        "LANG": "C.UTF-8",
        **dict.fromkeys(HOME_VARIABLES, str(home)),
        "OPENBLAS_NUM_THREADS": "1",
        "OMP_NUM_THREADS": "1",
        "MKL_NUM_THREADS": "1",
        TOKEN_VARIABLE: token,
    }


class Launcher:
    """A lean process that has imported NumPy once and forks a child per run.

    Starting Python and importing NumPy is most of a child's cost; forking
    a launcher that has done both makes a batch several times faster.  At
    ``namespaces`` it runs inside bubblewrap, as root with only the right to
    change uid; each child it forks drops to the uid it is given.  It also
    kills every process of a uid on request.  If it stops, the next request
    starts a new one.
    """

    PLACEHOLDER = "0" * 32

    def __init__(self, sandbox):
        self.sandbox, self.lock, self.process, self.socket, self.ready = sandbox, threading.Lock(), None, None, False

    def _start(self):
        ours, theirs = socket.socketpair()
        sandbox = self.sandbox
        # -B: each child imports the student's file once, so a bytecode
        # cache would only cost a write and a removal.
        command = [
            os.path.realpath(sys.executable), "-I", "-S", "-B", str(sandbox.lean / "child.py"), "--serve",
            str(theirs.fileno()), TOKEN_VARIABLE, json.dumps([str(sandbox.lean)]), json.dumps(sandbox.site),
        ]
        if sandbox.level == "namespaces":
            read_only = [*map(str, isolation.needed_paths(sandbox.site)[1:]), str(sandbox.lean)]
            writable = [str(sandbox.runs)]
            tmp = {"bytes": sandbox.limits.tmp_bytes, "keep": isolation.hidden_by_private_folders(read_only, writable)}
            command = isolation.bubblewrap_command(
                isolation.bubblewrap(), read_only, writable, private=str(sandbox.root)
            ) + [*command, json.dumps(tmp)]
        else:
            command.append("null")
        with open(sandbox.root / "launcher.log", "wb") as log:
            self.process = subprocess.Popen(
                command,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,
                stderr=log,
                cwd=sandbox.lean,
                env=_environment(sandbox.lean, self.PLACEHOLDER, sandbox.path),
                pass_fds=(theirs.fileno(),),
                start_new_session=True,
            )
        theirs.close()
        self.socket, self.ready = ours, False

    def ensure_running(self):
        """Start the launcher if it is not running (the caller holds the lock)."""
        if self.process is None or self.process.poll() is not None:
            self.close()
            if self.sandbox.stopping:
                # Stopped: what it killed is gone with it, and nothing new may start.
                raise Stopped()
            self._start()

    def _reply(self):
        reply = b""
        while not reply.endswith(b"\n"):
            chunk = self.socket.recv(64)
            if not chunk:
                log = (self.sandbox.root / "launcher.log").read_text(errors="replace").strip()
                raise ConnectionError("the grader's launcher stopped" + (f": {log.splitlines()[-1]}" if log else ""))
            reply += chunk
        return reply

    def _request(self, message, fds):
        self.ensure_running()
        if not self.ready:
            self.socket.settimeout(LAUNCHER_START_SECONDS)
            self._reply()
            self.socket.settimeout(None)
            self.ready = True
        socket.send_fds(self.socket, [message], fds)
        return int(self._reply())

    def request(self, message, fds=()):
        """Send ``message`` (with ``fds``) and return the number it answers; restart once if it stopped."""
        data = json.dumps(message).encode()
        with self.lock:
            try:
                return self._request(data, list(fds))
            except OSError:
                self.close()
                return self._request(data, list(fds))

    def close(self):
        """Stop the launcher (and, inside bubblewrap, everything in its namespaces)."""
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
    """A place to run submissions: the isolation level, the lean package copy and the limits.

    Use it as a context manager; it removes its temporary files on exit.

    Parameters
    ----------
    limits : Limits, optional
    isolation : {"namespaces", "uid", "none"}, optional
        The strongest level to use; by default the strongest this machine
        allows (see :mod:`.isolation`).
    fork_server : bool, default=True
        Fork children from a :class:`Launcher` instead of starting each one:
        faster, and needed for any level above ``none``.  Needs Linux's
        ``pidfd_open``; elsewhere each child is started afresh.

    Examples
    --------
    >>> with Sandbox(isolation="none") as sandbox:
    ...     (sandbox.lean / "refusal_lesson" / "validation.py").is_file(), sandbox.level
    (True, 'none')
    """

    def __init__(self, limits=None, isolation=None, fork_server=True):
        self.limits = limits or Limits()
        self.requested = isolation
        self.level, self.reason = "none", None
        self._root = None
        self.site = _site_directories()
        self._launcher = Launcher(self) if fork_server and hasattr(os, "pidfd_open") else None
        self._process_limit = None
        self._tokens = set()
        self._uids = None
        self._used_uids = set()
        self._live = set()
        self._runs = set()
        self.stopping = False

    def __enter__(self):
        if not SUPPORTED:
            raise OSError(
                "grading runs student code in a POSIX sandbox, which Windows lacks; "
                "use WSL, Binder, Linux or macOS."
            )
        requested = self.requested if self._launcher is not None else "none"
        self.level, self.reason = isolation.choose(requested, self.site)
        self._root = Path(tempfile.mkdtemp(prefix="refusal-lesson-sandbox-"))
        # Children cross this folder to reach their own; they may not list it.
        self._root.chmod(0o711)
        lean = self.lean / "refusal_lesson"
        lean.mkdir(parents=True)
        # Only the package's top-level modules: the grading subpackage (and
        # with it the hidden checks) stays out, and solutions/ is not beside it.
        for module in PACKAGE.glob("*.py"):
            shutil.copyfile(module, lean / module.name)
        shutil.copyfile(CHILD_SCRIPT, self.lean / "child.py")
        for folder in (self.lean, lean):
            folder.chmod(0o755)
        self.runs.mkdir(mode=0o711)
        self.runs.chmod(0o711)
        if self.level == "none":
            if os.getuid() != 0:
                # Root ignores RLIMIT_NPROC, and it counts every thread the user has.
                self._process_limit = _user_tasks() + self.limits.processes
        else:
            self._uids = isolation.Uids()
            self._process_limit = self.limits.processes
        return self

    def __exit__(self, *_):
        # Interrupted, children of other uids may still run: only the launcher can kill them,
        # and their runs, which end once nothing may start, must be gone before their folders go.
        self.stop()
        for running in list(self._runs):
            running.thread.join(STOP_SECONDS)
        if self._launcher is not None:
            self._launcher.close()
        # A last sweep for anything that slipped past the sweep after its run.
        _kill_marked(self._tokens)
        remove_tree(self._root)
        self._root = None

    @property
    def root(self):
        """The sandbox's temporary folder: the lean package copy and the scratch folders."""
        return self._root

    @property
    def lean(self):
        """The folder holding the lean package copy and the child script."""
        return self._root / "lean"

    @property
    def path(self):
        """The folders a child imports from: the lean package copy, then the libraries."""
        return [self.lean, *self.site]

    @property
    def runs(self):
        """The folder that holds each child's scratch folder."""
        return self._root / "runs"

    @property
    def uids(self):
        """Every uid a child of this sandbox has run as (none at the ``none`` level)."""
        return frozenset(self._used_uids)

    @property
    def tokens(self):
        """The marks of every child started so far at the ``none`` level (its environment carries one)."""
        return frozenset(self._tokens)

    def describe(self):
        """One sentence on the isolation level, for the terminal.

        Examples
        --------
        >>> sandbox = Sandbox(isolation="none")
        >>> sandbox.describe().startswith("Isolation: none")
        True
        """
        text = f"Isolation: {self.level}: {isolation.DESCRIPTIONS[self.level]}"
        return text + (f"; {self.reason}" if self.reason else ".")

    def _rlimits(self, n_calls):
        limits = self.limits
        rlimits = {
            "RLIMIT_AS": limits.memory_bytes,
            "RLIMIT_CPU": int(limits.total_seconds(n_calls) + 1),
            "RLIMIT_FSIZE": limits.file_bytes,
            "RLIMIT_CORE": 0,
        }
        if self._process_limit is not None:
            rlimits["RLIMIT_NPROC"] = self._process_limit
        return rlimits

    def start(self, source, exercises, calls, follow_up=None, most=0):
        """Start running ``calls`` on the file ``source``, in the background.

        Parameters
        ----------
        source : str or pathlib.Path
            The student's Python file.
        exercises : sequence of str
            The function names to look up.
        calls : list of dict
            ``{"exercise": name, "args": text}``, the arguments in JSON, in
            the form :meth:`Case.to_json` gives.
        follow_up : callable, optional
            ``follow_up(events)`` is asked, when every call has answered
            (``{index: event}``), for more calls in the same form; they are
            made in the same child, numbered after ``calls``, and it is
            asked again after them until it returns none.
        most : int, default=0
            The most calls ``follow_up`` may return in all (they count in
            the child's CPU limit).

        Returns
        -------
        Running
            Call its ``finish()`` to wait for the children and get their report.
        """
        return Running(self, source, exercises, calls, follow_up, most)

    def warm(self):
        """Start the launcher now, so its imports overlap the grader's own."""
        if self._launcher is not None:
            with self._launcher.lock:
                self._launcher.ensure_running()

    def config(self, source, exercises, nonce, n_calls):
        """What a child needs to know before its first call, as JSON-ready data."""
        return {
            "source": str(source),
            "exercises": list(exercises),
            "nonce": nonce,
            "limits": self._rlimits(n_calls),
            "path_first": [str(self.lean)],
            "path_last": self.site,
            "import_seconds": self.limits.import_seconds,
            "call_seconds": self.limits.call_seconds,
        }

    def stop(self):
        """Kill every running child now, and start no new one: their runs raise :class:`Stopped`."""
        self.stopping = True
        for child in list(self._live):
            child.kill()

    def new_child(self, source, exercises, n_calls):
        """A :class:`_Child` for ``source`` that may make ``n_calls`` calls, started and configured."""
        if self.stopping:
            raise Stopped()
        uid = None if self._uids is None else self._uids.take()
        if uid is not None:
            self._used_uids.add(uid)
        return _Child(self, source, exercises, n_calls, uid)

    def launch(self, cwd, uid, token, fds):
        """Start a child: forked by the launcher (its pid), or spawned (a Popen)."""
        if self._launcher is not None:
            return self._launcher.request({"cwd": str(cwd), "uid": uid, "token": token}, fds)
        return subprocess.Popen(
            [sys.executable, "-I", "-S", "-B", str(self.lean / "child.py"), str(fds[2])],
            stdin=subprocess.DEVNULL,
            stdout=fds[0],
            stderr=fds[1],
            cwd=cwd,
            env=_environment(cwd, token, self.path),
            pass_fds=(fds[2],),
            start_new_session=True,
        )

    def kill_uid(self, uid):
        """Kill every process of ``uid``; return once none is left."""
        done, held = os.pipe()
        try:
            self._launcher.request({"kill": uid}, [held])
        finally:
            os.close(held)
        with os.fdopen(done, "rb", 0) as stream:
            stream.read()


def _copy_source(source, target):
    """Copy at most the size cap of ``source``: a FIFO or a device named .py must not hang grading."""
    with open(source, "rb") as stream:
        data = stream.read(MAX_SOURCE_BYTES + 1)
    fd = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o644)
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)


class _Child:
    """One child process and the conversation with it: calls out, answers back."""

    def __init__(self, sandbox, source, exercises, n_calls, uid):
        self.sandbox, self.uid = sandbox, uid
        self.nonce, self.token = secrets.token_hex(16), secrets.token_hex(16)
        self.scratch = sandbox.runs / secrets.token_hex(8)
        self.scratch.mkdir(mode=0o700)
        work = self.scratch / "work"
        work.mkdir(mode=0o700)
        copy = self.scratch / "exercises.py"
        _copy_source(source, copy)
        if uid is not None:
            for folder in (self.scratch, work):
                os.chown(folder, uid, uid)
        else:
            sandbox._tokens.add(self.token)
        self.pending, self.printed, self.stray, self.overflowed = b"", 0, 0, False
        self.received = 0
        self.exited = False
        self.link, theirs = socket.socketpair()
        out_read, out_write = os.pipe()
        err_read, err_write = os.pipe()
        self.streams = {"stdout": out_read, "stderr": err_read}
        try:
            self.process = sandbox.launch(work, uid, self.token, [out_write, err_write, theirs.fileno()])
        except BaseException:
            for fd in (out_read, err_read):
                os.close(fd)
            self.link.close()
            remove_tree(self.scratch)
            raise
        finally:
            for fd in (out_write, err_write):
                os.close(fd)
            theirs.close()
        sandbox._live.add(self)
        if sandbox.stopping:
            # Started while the sandbox was told to stop, after it killed those it knew of.
            self.kill()
        self.selector = selectors.DefaultSelector()
        for name, fd in self.streams.items():
            os.set_blocking(fd, False)
            self.selector.register(fd, selectors.EVENT_READ, name)
        self.events = []
        try:
            self.link.sendall(json.dumps(sandbox.config(copy, exercises, self.nonce, n_calls)).encode() + b"\n")
        except OSError:
            self.exited = True
        self.link.setblocking(False)
        self.selector.register(self.link, selectors.EVENT_READ, "channel")

    def ask(self, index, call):
        """Send call ``index``; its answer comes from :meth:`next_event`."""
        # One line: the index, the function's name, then its arguments in JSON.
        request = f"{index} {call['exercise']} {call['args']}\n"
        try:
            self.link.sendall(request.encode())
        except OSError:
            self.exited = True

    def end(self):
        """Tell the child there are no more calls: it flushes what it printed and exits."""
        try:
            self.link.shutdown(socket.SHUT_WR)
        except OSError:
            self.exited = True

    def _read(self, name, fd):
        try:
            chunk = self.link.recv(READ_SIZE) if name == "channel" else os.read(fd, READ_SIZE)
        except (BlockingIOError, InterruptedError):
            return
        except OSError:
            chunk = b""
        if not chunk:
            self.selector.unregister(fd)
            self.exited = self.exited or name == "channel"
            return
        if name != "channel":
            self.printed += len(chunk)
            return
        self.received += len(chunk)
        if self.received > CHANNEL_CAP:
            self.overflowed = self.exited = True
            return
        lines = (self.pending + chunk).split(b"\n")
        self.pending = lines.pop()
        for line in lines:
            event = _decode(line, self.nonce)
            if event is None:
                self.stray += 1
            else:
                self.events.append(event)

    def next_event(self, deadline):
        """The next well-formed event, or None if the child stopped or ``deadline`` passed."""
        while not self.events:
            wait = deadline - time.perf_counter()
            if self.exited or wait <= 0:
                return None
            for key, _ in self.selector.select(wait):
                self._read(key.data, key.fd)
        return self.events.pop(0)

    def kill(self):
        """Kill the child and everything it started."""
        if self.uid is not None:
            self.sandbox.kill_uid(self.uid)
            return
        pid = self.process if isinstance(self.process, int) else self.process.pid
        try:
            os.killpg(pid, signal.SIGKILL)
        except OSError:
            pass
        if not isinstance(self.process, int):
            self.process.wait()
        _kill_marked({self.token})

    def close(self):
        """Kill the child and everything it started, drain its output, remove its scratch folder."""
        sandbox = self.sandbox
        self.kill()
        sandbox._live.discard(self)
        # Every writer is gone: what is left in the pipes ends in EOF.
        deadline = time.perf_counter() + DRAIN_SECONDS
        while self.selector.get_map() and time.perf_counter() < deadline:
            for key, _ in self.selector.select(deadline - time.perf_counter()):
                self._read(key.data, key.fd)
        self.selector.close()
        for fd in self.streams.values():
            os.close(fd)
        self.link.close()
        remove_tree(self.scratch)
        if sandbox.level == "uid":
            isolation.sweep_shared(self.uid)


def _decode(line, nonce):
    """The event a channel line holds, if it carries the nonce and the shape the child sends."""
    prefix = nonce.encode()
    if not line.startswith(prefix):
        return None
    body = line[len(prefix):]
    try:
        event = json.loads(body)
    except (ValueError, RecursionError):
        return None
    if not isinstance(event, dict):
        return None
    kind = event.get("event")
    if kind == "call":
        ok = type(event.get("index")) is int and isinstance(event.get("outcome"), dict) and isinstance(event.get("mutated"), bool)
    elif kind == "import":
        functions = event.get("functions", {})
        ok = isinstance(functions, dict) and all(isinstance(info, dict) for info in functions.values())
    else:
        ok = False
    if not ok:
        return None
    return event if is_clean_json(body) else clean(event)


class Running:
    """Calls at work in the background: :meth:`finish` waits and reports.

    The calls are made one at a time.  A child that hangs on a call (past
    the per-call limit and the grace) or dies in one is killed, that call
    alone is marked, and a new child takes the calls after it, as long as
    the run's total time (:meth:`Limits.total_seconds`) allows.  Once every
    call has answered, the follow-up (if any) may add calls; the same child
    makes them, and the total time grows by the per-call limit for each.
    """

    def __init__(self, sandbox, source, exercises, calls, follow_up=None, most=0):
        self.sandbox, self.source, self.exercises, self.calls = sandbox, source, list(exercises), list(calls)
        self.follow_up, self.most = follow_up, most
        self.deadline = None
        self.report = ChildReport()
        self.error = None
        self.thread = threading.Thread(target=self._guarded_run, daemon=True)
        sandbox._runs.add(self)
        self.thread.start()

    def _guarded_run(self):
        try:
            self._run()
        except BaseException as error:  # re-raised in finish(), in the grader's thread
            self.error = error
        finally:
            self.sandbox._runs.discard(self)

    def finish(self):
        """Wait for every child to be gone, then return the :class:`ChildReport`."""
        self.thread.join()
        if self.error is not None:
            raise self.error
        return self.report

    def _run(self):
        limits, report = self.sandbox.limits, self.report
        started = time.perf_counter()
        report.limit_seconds = limits.total_seconds(len(self.calls))
        self.deadline = started + report.limit_seconds
        pending = list(range(len(self.calls)))
        per_call = limits.call_seconds + GRACE_SECONDS
        while pending:
            may_add = self.most if self.follow_up is not None else 0
            child = self.sandbox.new_child(self.source, self.exercises, len(pending) + may_add)
            try:
                # A child that died on the last call leaves the follow-up to a new one.
                pending = self._converse(child, pending, per_call) or self._follow_up()
            finally:
                child.close()
                report.printed += child.printed
                report.stray_lines += child.stray
                report.overflowed = report.overflowed or child.overflowed
            if pending:
                report.restarts += 1
        if self.sandbox.stopping:
            raise Stopped()
        for index in report.voided:
            report.calls[index] = {"outcome": {"stopped": True}, "mutated": False}

    def _follow_up(self):
        """The indices of the next follow-up calls, asked for once every call so far has answered."""
        if self.follow_up is None or self.report.timed_out:
            return []
        asked = time.perf_counter()
        answered = {index: event for index, event in self.report.calls.items() if index not in self.report.voided}
        more = list(self.follow_up(answered))
        if not more:
            self.follow_up = None
        first = len(self.calls)
        self.calls += more
        limits = self.sandbox.limits
        self.report.limit_seconds = limits.total_seconds(len(self.calls))
        # The grader's own judging while the child waits is not the student's time.
        self.deadline += time.perf_counter() - asked + len(more) * limits.call_seconds
        return list(range(first, len(self.calls)))

    def _converse(self, child, pending, per_call):
        """Make ``pending`` calls in ``child``, then any follow-up; return those left for a new child."""
        report, calls = self.report, self.calls
        imported = self._expect(child, "import", None, min(self.deadline, time.perf_counter() + self.sandbox.limits.import_seconds + GRACE_SECONDS))
        if report.imported is None:
            report.imported = imported
            report.timed_out = imported is None and not child.exited
        if imported is None or "functions" not in imported:
            for index in pending if report.imported is not imported else ():
                report.calls[index] = {"outcome": {"stopped": True}, "mutated": False}
            return []
        callable_names = {name for name, info in imported["functions"].items() if info.get("callable")}
        position = 0
        while True:
            if position == len(pending):
                pending = pending + self._follow_up()
                if position == len(pending):
                    break
            index = pending[position]
            position += 1
            if self.sandbox.stopping:
                return []
            if calls[index]["exercise"] not in callable_names:
                continue
            if time.perf_counter() >= self.deadline:
                report.timed_out = True
                for late in pending[position - 1:]:
                    report.calls[late] = {"outcome": {"stopped": True}, "mutated": False}
                return []
            child.ask(index, calls[index])
            event = self._expect(child, "call", index, min(self.deadline, time.perf_counter() + per_call))
            if event is None:
                # Hung past its limit, or ended the child: this call alone pays.
                hung = not child.exited
                report.calls[index] = {"outcome": {"timeout": self.sandbox.limits.call_seconds} if hung else {"stopped": True}, "mutated": False}
                return pending[position:]
            report.calls[index] = event
        # Until it exits, a last look for answers to calls never asked.
        child.end()
        self._expect(child, None, None, time.perf_counter() + DRAIN_SECONDS)
        return []

    def _expect(self, child, kind, index, deadline):
        """The next event of ``kind`` (for call ``index``); answers to calls not asked are voided."""
        report = self.report
        while True:
            event = child.next_event(deadline)
            if event is None:
                return None
            if event["event"] == "import" and kind == "import":
                return event
            if event["event"] == "call" and kind == "call" and event["index"] == index:
                return event
            if event["event"] == "call":
                report.voided.update(
                    position for position in (event["index"], index) if position is not None and 0 <= position < len(self.calls)
                )
            else:
                report.stray_lines += 1

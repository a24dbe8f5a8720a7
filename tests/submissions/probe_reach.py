"""Reports, through the message of a ValueError, what else on the machine the child can reach."""

import glob
import os
import socket
import sys


def _writes(path):
    try:
        with open(path, "w") as handle:
            handle.write("planted")
    except OSError:
        return False
    os.unlink(path)
    return True


def _readable(pattern):
    me = str(os.getpid())
    for path in glob.glob(pattern):
        if path.split("/")[2] in (me, "self", "thread-self"):
            continue
        try:
            with open(path, "rb") as handle:
                if handle.read(64):
                    return True
        except OSError:
            pass
    return False


def _signalable():
    count = 0
    for entry in glob.glob("/proc/[0-9]*"):
        pid = int(entry.rsplit("/", 1)[1])
        if pid == os.getpid():
            continue
        try:
            os.kill(pid, 0)
            count += 1
        except OSError:
            pass
    return count


def _network():
    """Whether any route leaves the machine (a private network namespace has none)."""
    probe = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
    try:
        probe.connect(("192.0.2.1", 9))
    except OSError:
        return False
    finally:
        probe.close()
    return True


def refusal_metrics(scores, labels, threshold):
    lean = os.path.dirname(os.path.dirname(sys.modules["refusal_lesson"].__file__))
    runs = os.path.join(os.path.dirname(lean), "runs")
    found = {
        "tmp": _writes("/tmp/planted.py"),
        "dev_shm": _writes("/dev/shm/planted"),
        "var_tmp": _writes("/var/tmp/planted"),
        "lean": _writes(os.path.join(lean, "numpy.py")),
        "runs_listable": os.access(runs, os.R_OK),
        "scratch_parent": _writes("../../planted.py"),
        "environ": _readable("/proc/[0-9]*/environ"),
        "memory": _readable("/proc/[0-9]*/mem"),
        "signalable": _signalable(),
        "grader_visible": any(b"pytest" in open(path, "rb").read() for path in glob.glob("/proc/[0-9]*/cmdline") if os.path.exists(path)),
        "network": _network(),
        "uid": os.getuid(),
    }
    raise ValueError(repr(found))


def best_threshold(scores, labels, candidates):
    raise ValueError("unused")

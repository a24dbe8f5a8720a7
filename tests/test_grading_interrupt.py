"""Ctrl-C and SIGTERM during grading: a word at once, a way to stop now, and nothing left behind.

The grader runs as a command on submissions that sleep while they import
(each may take the 10 s import allowance), with its temporary folder
pointed at a fresh folder of the test's, so that what it leaves there, or
leaves running there, is this run's alone.
"""

import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from refusal_lesson.grading.files import remove_tree

SLEEPER = "import time\n\ntime.sleep(60)\n"
WAITING = "waiting for 2 submissions still running; press Ctrl-C again to stop them now"


@pytest.fixture
def folders():
    """A folder of two sleeping submissions, the output folder and the grader's TMPDIR (open to all, as /tmp is)."""
    top = Path(tempfile.mkdtemp(prefix="interrupt-test-"))
    top.chmod(0o755)
    for name in ("alice", "bob"):
        (top / f"{name}.py").write_text(SLEEPER)
    (top / "tmp").mkdir(mode=0o755)
    yield top
    remove_tree(top)


def start(top, *options):
    command = [sys.executable, "-m", "refusal_lesson", "grade", str(top / "alice.py"), *options]
    env = {**os.environ, "TMPDIR": str(top / "tmp"), "PYTHONDONTWRITEBYTECODE": "1"}
    # A shell that starts this test in the background makes it ignore SIGINT; the grader must not.
    process = subprocess.Popen(
        command, stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, cwd=top,
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    # Both submissions (or the one) are running once their scratch folders exist.
    wanted = 2 if "--out" in options else 1
    deadline = time.monotonic() + 60
    while len(list((top / "tmp").glob("refusal-lesson-sandbox-*/runs/*"))) < wanted and time.monotonic() < deadline:
        time.sleep(0.05)
    return process


def running_in(folder):
    """Live processes whose working folder lies in ``folder``: a submission's child, say."""
    found = []
    for entry in os.scandir("/proc"):
        try:
            if entry.name.isdigit() and os.readlink(f"{entry.path}/cwd").startswith(str(folder)):
                found.append(entry.name)
        except OSError:
            continue
    return found


def assert_clean(top):
    deadline = time.monotonic() + 3
    while running_in(top / "tmp") and time.monotonic() < deadline:
        time.sleep(0.05)
    assert running_in(top / "tmp") == []
    assert list((top / "tmp").iterdir()) == []


def read_until(stream, text, timeout):
    """What ``stream`` says until it has said ``text``, or ``timeout`` seconds have passed."""
    import selectors

    said, deadline = b"", time.monotonic() + timeout
    with selectors.DefaultSelector() as selector:
        selector.register(stream, selectors.EVENT_READ)
        while text.encode() not in said and selector.select(max(0, deadline - time.monotonic())):
            chunk = os.read(stream.fileno(), 4096)
            if not chunk:
                break
            said += chunk
    return said.decode()


def test_ctrl_c_says_what_it_waits_for_and_a_second_one_stops_at_once(folders):
    process = start(folders, str(folders / "bob.py"), "--out", str(folders / "out"), "--jobs", "2")
    process.send_signal(signal.SIGINT)
    # Said at once, not after the sleepers' 10 s import allowance.
    assert WAITING in read_until(process.stderr, WAITING, 5)
    started = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 8
    assert process.returncode == 130 and b"run the same command again" in err
    # Stopped, they have no results: the next run grades them.
    assert list((folders / "out").glob("*/results.json")) == []
    assert_clean(folders)


@pytest.mark.parametrize("batch", [True, False])
def test_sigterm_cleans_up_like_ctrl_c(folders, batch):
    options = [str(folders / "bob.py"), "--out", str(folders / "out")] if batch else ["--results", str(folders / "r.json")]
    process = start(folders, *options)
    started = time.monotonic()
    process.send_signal(signal.SIGTERM)
    _, err = process.communicate(timeout=30)
    assert time.monotonic() - started < 8
    assert process.returncode == 143 and err.strip().splitlines()[-1].startswith(b"Interrupted: "), err
    assert_clean(folders)
    assert not (folders / "r.json").exists()

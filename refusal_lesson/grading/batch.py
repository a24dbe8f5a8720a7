"""Grade many submissions: in parallel, one results.json each, as they finish.

Each submission's ``DIR/<name>/results.json`` is written (atomically) the
moment it is graded, after its children are gone, and ``DIR/summary.csv``
is rewritten every second and at the end (Ctrl-C included), so an
interruption loses nothing already graded.  At Ctrl-C the submissions
already running finish (the terminal says how many); a second Ctrl-C, or
SIGTERM (:class:`Terminated`), stops them at once, and a stopped
submission leaves no result, so the next run grades it again.  A second run skips what is
done unless told ``force``, but trusts only the results it can prove it
wrote: each carries a MAC keyed by ``DIR/.refusal-lesson-key``, a secret
only the grader's user can read.  Everything is written through descriptors
of folders the grader opened without following symlinks (:mod:`.files`).

The grader process only waits on its children, so one thread per core
keeps the cores busy with student code; scikit-learn answers every call
once, while the launcher starts.
"""

import csv
import hashlib
import hmac
import io
import json
import os
import secrets
import sys
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from .files import make_folder, open_folder, read_capped, write_atomic
from .grader import Expectations, grade_submission
from .results import MAX_BYTES, encode, gradescope
from .submission import submission_name
from .untrusted import csv_cell

RESULTS = "results.json"
SUMMARY = "summary.csv"
# Each result is written as it finishes; the summary of all is rewritten at
# most this often, and once more at the end.
SUMMARY_SECONDS = 1.0
KEY = ".refusal-lesson-key"


class Terminated(KeyboardInterrupt):
    """SIGTERM, raised in the main thread: like Ctrl-C, but running submissions stop at once."""


def _finish_running(running, sandbox, stream, now):
    """After an interruption: let ``running`` submissions finish, or stop them ``now`` or at a second Ctrl-C."""
    if not running:
        return
    count = f"{len(running)} submission{'s' if len(running) != 1 else ''}"
    try:
        if not now:
            stream.write(f"\nwaiting for {count} still running; press Ctrl-C again to stop them now\n")
            stream.flush()
            wait(running)
            return
    except KeyboardInterrupt:
        pass
    sandbox.stop()
    wait(running)


def plan(paths):
    """``{folder name: path}`` for each submission, every one in a folder of its own.

    Uploads whose names clean to the same folder (``bob smith.py`` and
    ``bob_smith.py``) each get that name and ``-`` and six hex digits of a
    hash of the upload's absolute path: distinct, and the same on every
    rerun of the same files, so a resumed batch finds what it graded.  A
    path given twice is graded once.

    Examples
    --------
    >>> plan(["a/alice.py", "b/bob.zip"])
    {'alice': 'a/alice.py', 'bob': 'b/bob.zip'}
    >>> sorted(plan(["bob smith.py", "bob_smith.py"])) == sorted(
    ...     f"bob_smith-{collision_tag(path)}" for path in ("bob smith.py", "bob_smith.py"))
    True
    """
    groups = {}
    for path in paths:
        same = groups.setdefault(submission_name(path), {})
        same.setdefault(os.path.abspath(path), path)
    names = {}
    for name, same in groups.items():
        if len(same) == 1:
            names[name] = next(iter(same.values()))
        else:
            names.update((f"{name}-{collision_tag(path)}", path) for path in same.values())
    if len(names) < sum(len(same) for same in groups.values()):
        raise ValueError("two uploads would share a results folder even after their names were told apart; rename one of them.")
    return names


def collision_tag(path):
    """Six hex digits that tell apart uploads whose names clean alike: from the upload's absolute path."""
    return hashlib.sha256(os.path.abspath(path).encode("utf-8", "surrogateescape")).hexdigest()[:6]


class Progress:
    """A progress bar on a terminal, a line per submission otherwise."""

    def __init__(self, total, stream=None):
        self.total, self.done, self.stream = total, 0, stream or sys.stderr
        self.started = time.perf_counter()
        self.live = self.stream.isatty()

    def update(self, name, line):
        self.done += 1
        if self.live:
            width = 30
            filled = width * self.done // max(self.total, 1)
            rate = self.done / max(time.perf_counter() - self.started, 1e-9)
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {self.done}/{self.total} {rate:.1f}/s {name[:30]:<30}")
            if self.done == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{self.done}/{self.total} {name}: {line}\n")
        self.stream.flush()


def _summary_row(name, content):
    row = {"submission": name, "score": content["score"], "max_score": content["max_score"]}
    for test in content["tests"]:
        row[test["name"]] = test["score"]
    return row


def write_summary(folder, rows):
    """Rewrite ``summary.csv`` in the folder ``folder`` (a descriptor) from ``{name: row}``, atomically.

    No cell can start a spreadsheet formula (:func:`.untrusted.csv_cell`).
    """
    columns = ["submission", "score", "max_score"]
    for row in rows.values():
        columns += [column for column in row if column not in columns]
    stream = io.StringIO(newline="")
    writer = csv.DictWriter(stream, fieldnames=[csv_cell(column) for column in columns])
    writer.writeheader()
    for name in sorted(rows):
        writer.writerow({csv_cell(column): csv_cell(value) for column, value in rows[name].items()})
    write_atomic(folder, SUMMARY, stream.getvalue().encode("utf-8"))


def _key(folder):
    """The batch's MAC key: read from ``folder`` if the grader made it, else a new one."""
    data = read_capped(KEY, folder, 64)
    if data is not None and len(data) == 32:
        info = os.stat(KEY, dir_fd=folder, follow_symlinks=False)
        if info.st_uid == os.geteuid() and not info.st_mode & 0o077:
            return data
    data = secrets.token_bytes(32)
    write_atomic(folder, KEY, data, mode=0o600)
    return data


def _mac(key, name, content):
    body = {field: value for field, value in content.items() if field != "extra_data"}
    isolation = content.get("extra_data", {}).get("isolation")
    message = json.dumps([name, isolation, body], sort_keys=True).encode()
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def _finished(folder, name, key):
    """The results.json in ``name`` if this grader wrote it (its MAC checks out), else None."""
    try:
        inner = open_folder(name, folder)
    except OSError:
        return None
    try:
        data = read_capped(RESULTS, inner, MAX_BYTES)
    finally:
        os.close(inner)
    try:
        content = json.loads(data)
        mac = content["extra_data"]["mac"]
        body = {**content, "extra_data": {key: value for key, value in content["extra_data"].items() if key != "mac"}}
        _summary_row(name, content)
    except (TypeError, ValueError, KeyError, AttributeError, RecursionError):
        return None
    return content if isinstance(mac, str) and hmac.compare_digest(mac, _mac(key, name, body)) else None


def _write_result(folder, name, content, key):
    """Write ``name``/results.json with its MAC; return what was written."""
    content = {**content, "extra_data": {**content.get("extra_data", {}), "mac": _mac(key, name, content)}}
    inner = make_folder(name, folder)
    try:
        write_atomic(inner, RESULTS, encode(content))
    finally:
        os.close(inner)
    return content


def grade_batch(paths, out, checks, sandbox, jobs=None, force=False, penalty=0.0, stream=None, hidden_visibility="after_published"):
    """Grade every submission in ``paths`` into ``out``.

    Parameters
    ----------
    paths : sequence of str or pathlib.Path
    out : str or pathlib.Path
        Created if missing; finished results in it are kept.
    checks : sequence of Check
    sandbox : Sandbox
        An entered sandbox.
    jobs : int, optional
        Submissions graded at once; one per core by default.
    force : bool, default=False
        Grade again those that already have a results.json.
    penalty : float, default=0.0
        Passed to :func:`.results.gradescope`.
    stream : file, optional
        Where progress goes (standard error by default).
    hidden_visibility : str, default="after_published"
        Passed to :func:`.results.gradescope`.

    Returns
    -------
    dict
        ``{name: results.json content}`` for every submission, graded now or before.
    """
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names = plan(paths)
    folder = open_folder(os.path.abspath(out))
    try:
        return _grade_into(folder, names, checks, sandbox, jobs, force, penalty, stream, hidden_visibility)
    finally:
        os.close(folder)


def _grade_into(folder, names, checks, sandbox, jobs, force, penalty, stream, hidden_visibility):
    key = _key(folder)
    results, todo = {}, []
    for name in names:
        previous = None if force else _finished(folder, name, key)
        if previous is None:
            todo.append(name)
        else:
            results[name] = previous
    # The launcher imports NumPy on one core while this process asks
    # scikit-learn for every expected answer on the other.
    sandbox.warm()
    expectations = Expectations()
    expectations.answer_all(checks)
    progress = Progress(len(todo), stream)
    rows = {name: _summary_row(name, content) for name, content in results.items()}

    def grade(name):
        content = gradescope(grade_submission(names[name], checks, sandbox, expectations), penalty, sandbox.level, hidden_visibility)
        # Written here, in the worker, once every process of the submission is gone.
        try:
            return _write_result(folder, name, content, key)
        except OSError as error:
            progress.stream.write(f"{name}: results not written ({error}); its score is in {SUMMARY} only.\n")
            return content

    written = time.monotonic()
    futures = {}
    try:
        with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
            pending = {}
            try:
                # Each future is pending from its submission on: a Ctrl-C while
                # later ones are still being submitted must see those running.
                for name in todo:
                    future = pool.submit(grade, name)
                    futures[future] = pending[future] = name
                while pending:
                    done, _ = wait(pending, return_when=FIRST_COMPLETED)
                    for future in done:
                        name = pending.pop(future)
                        content = future.result()
                        results[name], rows[name] = content, _summary_row(name, content)
                        progress.update(name, f"{content['score']:g}/{content['max_score']:g}")
                    if time.monotonic() - written > SUMMARY_SECONDS:
                        write_summary(folder, rows)
                        written = time.monotonic()
            except BaseException as error:
                for future in pending:
                    future.cancel()
                if isinstance(error, KeyboardInterrupt):
                    running = [future for future in pending if not future.cancelled()]
                    _finish_running(running, sandbox, progress.stream, isinstance(error, Terminated))
                raise
    finally:
        # Interrupted or not, the summary lists every result written, those
        # that were finishing when the interruption came included.
        for future, name in futures.items():
            # A stopped submission (Stopped) has no result: it is graded next time.
            if future.done() and not future.cancelled() and future.exception() is None:
                rows[name] = _summary_row(name, future.result())
        write_summary(folder, rows)
    return results

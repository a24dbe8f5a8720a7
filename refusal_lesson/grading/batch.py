"""Grade many submissions: in parallel, one results.json each, as they finish.

Each submission's ``DIR/<name>/results.json`` is written (atomically) the
moment it is graded, and ``DIR/summary.csv`` is rewritten every second and
at the end (Ctrl-C included), so an interruption loses nothing already
graded, and a second run skips what is done unless told ``force``.  The grader process only waits on its
children, so one thread per core keeps the cores busy with student code;
scikit-learn answers every call once, while the launcher starts.
"""

import csv
import json
import os
import sys
import tempfile
import time
from concurrent.futures import FIRST_COMPLETED, ThreadPoolExecutor, wait
from pathlib import Path

from .grader import Expectations, grade_submission
from .results import gradescope
from .submission import submission_name

RESULTS = "results.json"
SUMMARY = "summary.csv"
# Each result is written as it finishes; the summary of all is rewritten at
# most this often, and once more at the end.
SUMMARY_SECONDS = 1.0


def plan(paths, out):
    """``{name: path}`` for each submission, refusing two that share a name.

    Examples
    --------
    >>> plan(["a/alice.py", "b/bob.zip"], "out")
    {'alice': 'a/alice.py', 'bob': 'b/bob.zip'}
    """
    names = {}
    for path in paths:
        name = submission_name(path)
        if name in names:
            raise ValueError(
                f"{names[name]} and {path} would both write to {Path(out) / name}; rename one of them."
            )
        names[name] = path
    return names


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


def write_summary(out, rows):
    """Rewrite ``out/summary.csv`` from ``{name: row}``, atomically."""
    columns = ["submission", "score", "max_score"]
    for row in rows.values():
        columns += [column for column in row if column not in columns]
    handle, temporary = tempfile.mkstemp(dir=out, prefix=f".{SUMMARY}.", suffix=".tmp")
    with os.fdopen(handle, "w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=columns)
        writer.writeheader()
        for name in sorted(rows):
            writer.writerow(rows[name])
    os.replace(temporary, Path(out) / SUMMARY)


def _finished(path):
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


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
    from .results import write_json

    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    names = plan(paths, out)
    results, todo = {}, []
    for name, path in names.items():
        previous = None if force else _finished(out / name / RESULTS)
        if previous is None:
            todo.append(name)
        else:
            results[name] = previous
    # The launcher imports NumPy on one core while this process asks
    # scikit-learn for every expected answer on the other.
    sandbox.warm()
    expectations = Expectations()
    for check in checks:
        for case in check.cases:
            expectations.answer(check, case)
    progress = Progress(len(todo), stream)
    rows = {name: _summary_row(name, content) for name, content in results.items()}

    def grade(name):
        return gradescope(grade_submission(names[name], checks, sandbox, expectations), penalty, hidden_visibility)

    written = time.monotonic()
    with ThreadPoolExecutor(max_workers=jobs or os.cpu_count() or 1) as pool:
        pending = {pool.submit(grade, name): name for name in todo}
        try:
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for future in done:
                    name = pending.pop(future)
                    content = future.result()
                    write_json(out / name / RESULTS, content)
                    results[name], rows[name] = content, _summary_row(name, content)
                    progress.update(name, f"{content['score']:g}/{content['max_score']:g}")
                if time.monotonic() - written > SUMMARY_SECONDS:
                    write_summary(out, rows)
                    written = time.monotonic()
        except BaseException:
            for future in pending:
                future.cancel()
            raise
        finally:
            # The summary is rebuilt from what is graded, interrupted or not.
            write_summary(out, rows)
    return results

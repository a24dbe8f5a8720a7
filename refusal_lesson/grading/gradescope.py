"""Try a Gradescope autograder zip on this machine, the way Gradescope runs it.

Gradescope's autograder specification
(<https://gradescope-autograders.readthedocs.io/en/latest/specs/>) unpacks
the zip into ``/autograder/source`` and runs ``setup.sh`` once, as root,
when it builds the image; for each submission it puts the student's files
in ``/autograder/submission``, copies ``run_autograder`` to
``/autograder``, runs it, and shows the student
``/autograder/results/results.json``.

Here the same happens in a fresh folder laid out the same way (the
scripts take their root from ``AUTOGRADER_ROOT``), with the system's
``PATH`` rather than the instructor's virtual environment, so ``setup.sh``
builds its own from the system's ``python3`` as on Gradescope's image.
Gradescope's containers forbid the namespaces bubblewrap needs, so the
grader there, as root, grades at ``uid``: ``AUTOGRADER_ISOLATION`` caps it
at that level here too (``run_autograder`` passes it on as ``--isolation``;
on Gradescope it is unset).
"""

import json
import os
import shutil
import subprocess
import tempfile
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

from .markdown import plain

# The PATH of a stock Debian or Ubuntu image, such as Gradescope's.
SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
# What would point the scripts at the instructor's own Python instead of the image's.
PYTHON_VARIABLES = ("VIRTUAL_ENV", "CONDA_PREFIX", "PYTHONPATH", "PYTHONHOME", "PYTHONSTARTUP", "PYTHONUSERBASE")
SCRIPTS = ("setup.sh", "run_autograder")
SETUP_SECONDS = 1800
RUN_SECONDS = 900
# What a student is told of the hidden checks and the total, by --hidden-visibility.
HIDDEN_UNTIL = {
    "after_published": "The total ({total}) and {checks} show once you publish the grades.",
    "after_due_date": "The total ({total}) and {checks} show after the due date.",
    "hidden": "The {checks} never show; whether the total ({total}) does, check with a student account.",
}


@dataclass
class Trial:
    """What trying the zip gave: the results.json, the seconds each step took, and the level graded at."""

    results: dict
    setup_seconds: float
    run_seconds: float

    @property
    def isolation(self):
        return self.results.get("extra_data", {}).get("isolation")


def gradescope_level():
    """The isolation level Gradescope's grader reaches: ``uid`` as root, and this machine gives ``none`` to anyone else."""
    return "uid" if hasattr(os, "geteuid") and os.geteuid() == 0 else "none"


def environment(root, isolation):
    """The environment the scripts run in: this one, its Python's variables gone and the system's PATH."""
    env = {name: value for name, value in os.environ.items() if name not in PYTHON_VARIABLES}
    return {**env, "PATH": SYSTEM_PATH, "AUTOGRADER_ROOT": str(root), "AUTOGRADER_ISOLATION": isolation}


def unpack(archive, root):
    """Lay ``archive`` out in ``root`` as Gradescope lays out ``/autograder``.

    ``root/source`` holds the zip's files, ``root/run_autograder`` a copy of
    its script, and ``root/submission`` and ``root/results`` are empty.  The
    root and the source are readable by others (at ``uid`` each submission
    runs as a user of its own and needs the Python ``setup.sh`` installs
    there); the submission and the results are the grader's alone.

    Raises
    ------
    ValueError
        If ``archive`` is not a zip holding ``setup.sh`` and ``run_autograder``.
    """
    root = Path(root)
    try:
        with zipfile.ZipFile(archive) as bundle:
            missing = [name for name in SCRIPTS if name not in bundle.namelist()]
            if missing:
                raise ValueError(f"{archive} has no {' or '.join(missing)}; build it with refusal-lesson autograder.")
            bundle.extractall(root / "source")
    except (zipfile.BadZipFile, OSError) as error:
        raise ValueError(f"{archive} is not a readable zip file ({error}); build it with refusal-lesson autograder.") from None
    root.chmod(0o755)
    for script in SCRIPTS:
        (root / "source" / script).chmod(0o755)
    shutil.copy2(root / "source" / "run_autograder", root / "run_autograder")
    for folder in ("submission", "results"):
        (root / folder).mkdir(mode=0o700, exist_ok=True)


def set_up(root, isolation):
    """Run ``source/setup.sh`` as Gradescope does when it builds the image; return its seconds.

    Its output goes to ``root/setup.log``.

    Raises
    ------
    ValueError
        If it fails, naming the log.
    """
    root = Path(root)
    log = root / "setup.log"
    started = time.perf_counter()
    with open(log, "wb") as stream:
        done = subprocess.run(
            ["bash", str(root / "source" / "setup.sh")], env=environment(root, isolation), cwd=root,
            stdin=subprocess.DEVNULL, stdout=stream, stderr=subprocess.STDOUT, timeout=SETUP_SECONDS,
        )
    if done.returncode != 0:
        raise ValueError(f"setup.sh failed (exit code {done.returncode}); read {log} for why (it needs python3, and pip's network).")
    return time.perf_counter() - started


def run(root, submission, isolation):
    """Grade ``submission`` with ``root/run_autograder``, as Gradescope does each one; return results.json and seconds.

    ``submission`` (a file, a folder's contents, or a zip) replaces what
    ``root/submission`` held, as a student's upload would be there.

    Raises
    ------
    ValueError
        If ``run_autograder`` fails or writes no results.json.
    """
    root = Path(root)
    submission = Path(submission)
    for folder in ("submission", "results"):
        shutil.rmtree(root / folder, ignore_errors=True)
        (root / folder).mkdir(mode=0o700)
    if submission.is_dir():
        shutil.copytree(submission, root / "submission", symlinks=True, dirs_exist_ok=True)
    else:
        shutil.copy2(submission, root / "submission" / submission.name)
    started = time.perf_counter()
    done = subprocess.run(
        [str(root / "run_autograder")], env=environment(root, isolation), cwd=root,
        stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=RUN_SECONDS,
    )
    seconds = time.perf_counter() - started
    results = root / "results" / "results.json"
    if done.returncode != 0 or not results.is_file():
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ValueError(f"run_autograder failed (exit code {done.returncode}: {last}); Gradescope would show the student no score.")
    return json.loads(results.read_text(encoding="utf-8")), seconds


def try_autograder(archive, submission, isolation=None):
    """Set up the autograder zip ``archive`` in a fresh root and grade ``submission`` with it.

    Parameters
    ----------
    archive : str or pathlib.Path
    submission : str or pathlib.Path
        What a student would upload: their ``exercises.py``, a folder, or a zip.
    isolation : {"uid", "none"}, optional
        The level to cap grading at; :func:`gradescope_level` by default.

    Returns
    -------
    Trial

    The root is removed afterwards, unless ``setup.sh`` failed: its log is
    there, and the error names it.
    """
    if not Path(submission).exists():
        raise ValueError(f"{submission} does not exist; give the file or folder a student would upload.")
    isolation = isolation or gradescope_level()
    root = Path(tempfile.mkdtemp(prefix="refusal-lesson-autograder-"))
    set_up_failed = False
    try:
        unpack(archive, root)
        try:
            setup_seconds = set_up(root, isolation)
        except ValueError:
            set_up_failed = True
            raise
        results, run_seconds = run(root, submission, isolation)
    finally:
        if not set_up_failed:
            shutil.rmtree(root, ignore_errors=True)
    return Trial(results, setup_seconds, run_seconds)


def student_view(results):
    """What the student sees of ``results`` (a results.json) before the grades are published, as lines.

    Gradescope shows the ``visible`` tests at once, and no total while any
    test is hidden; the hidden checks appear when their visibility says.

    Examples
    --------
    >>> tests = [{"name": "a: x", "score": 0, "max_score": 1, "status": "failed", "output": "wrong",
    ...           "visibility": "visible"},
    ...          {"name": "a: hidden", "score": 2, "max_score": 2, "status": "passed", "output": "",
    ...           "visibility": "after_published"}]
    >>> print("\\n".join(student_view({"score": 2, "max_score": 3, "output": "", "tests": tests})))
      0/1  a: x
           wrong
    The total (2/3) and 1 hidden check (2 points) show once you publish the grades.
    """
    shown = [test for test in results["tests"] if test.get("visibility", "visible") == "visible"]
    hidden = [test for test in results["tests"] if test not in shown]
    lines = []
    for test in shown:
        lines.append(f"{test['score']:>3g}/{test['max_score']:g}  {test['name']}")
        if test["status"] != "passed":
            lines += [f"       {line}" for line in plain(test["output"])]
    lines += plain(results.get("output", ""))
    total = f"{results['score']:g}/{results['max_score']:g}"
    if not hidden:
        return [*lines, f"Total: {total}."]
    points = sum(test["max_score"] for test in hidden)
    checks = f"{len(hidden)} hidden check{'s' if len(hidden) > 1 else ''} ({points:g} points)"
    sentence = HIDDEN_UNTIL.get(hidden[0].get("visibility"), HIDDEN_UNTIL["after_published"])
    return [*lines, sentence.format(total=total, checks=checks)]


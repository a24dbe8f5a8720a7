"""A PrairieLearn question whose external grader is this package's grader.

PrairieLearn runs each submission in a fresh container of the course's
chosen image and lays the job out under ``/grade``: the question's
``tests/`` folder in ``/grade/tests``, the student's files in
``/grade/student``; the grader must leave ``/grade/results/results.json``
(https://prairielearn.readthedocs.io/en/latest/externalGrading/).  The
question folder built here therefore holds:

* ``info.json``, with external grading switched on;
* ``question.html``, an in-browser editor prefilled with the stub
  ``exercises.py``, and the grader's results under the submission;
* ``tests/``, which students never see: the package (hidden checks
  included, never ``solutions/``), the grading settings and ``run.sh``, the
  entry point, which runs ``python3 -m refusal_lesson.grading.prairielearn``.

``question.html`` and ``run.sh`` are kept as files in
``refusal_lesson/templates/prairielearn/``.

The results are Gradescope's, reshaped (:func:`prairielearn_results`), so a
submission gets the same score and words on either platform; a file that
no check could run (it does not import, or is missing) is not gradable,
with the one sentence saying why, which costs the student no attempt.
"""

import argparse
import json
import math
import sys
import uuid
from pathlib import Path

from .definitions import graded_names, listed
from .markdown import code, plain
from .untrusted import clean_text

IMAGE = "prairielearn/grader-python"
GRADE_ROOT = "/grade"
ENTRYPOINT = "tests/run.sh"
SETTINGS = "tests/grading.json"
STUDENT_FILE = "exercises.py"
# PrairieLearn kills a job after its timeout (at most 600 s): it must cover
# the slowest run the grader allows, plus Python's and scikit-learn's start-up.
START_UP_SECONDS = 30
MAX_TIMEOUT = 600


def job_timeout(timeout, checks):
    """PrairieLearn's job timeout (seconds) for a per-call grading ``timeout`` and these checks.

    The public and the hidden checks run side by side, each allowed the
    import plus ``timeout`` per call, so the larger of the two sets this.

    Examples
    --------
    >>> from refusal_lesson.grading.checks import grading_checks
    >>> checks, _ = grading_checks(seed=1)
    >>> START_UP_SECONDS < job_timeout(2.0, checks) < job_timeout(60.0, checks) == MAX_TIMEOUT
    True
    """
    from .feedback import most_probes
    from .sandbox import Limits

    # The grader may add its probes and confirming calls to the checks (when
    # an answer they explain is wrong), and their calls count too.
    parts = [[check for check in checks if check.hidden == hidden] for hidden in (False, True)]
    calls = max(sum(len(check.cases) for check in part) + most_probes(part) for part in parts)
    return min(MAX_TIMEOUT, math.ceil(Limits(call_seconds=timeout).total_seconds(calls) + START_UP_SECONDS))


def info_json(timeout):
    """The question's ``info.json`` content for a job ``timeout`` in seconds, a new UUID each time.

    Examples
    --------
    >>> options = info_json(242)["externalGradingOptions"]
    >>> options["enabled"], options["entrypoint"], options["timeout"]
    (True, '/grade/tests/run.sh', 242)
    """
    return {
        "uuid": str(uuid.uuid4()),
        "title": f"Where a guard draws the line: {listed(graded_names())}",
        "topic": "Classification metrics",
        "tags": ["refusal-lesson", "python"],
        "type": "v3",
        "singleVariant": True,
        "gradingMethod": "External",
        "externalGradingOptions": {
            "enabled": True,
            "image": IMAGE,
            "entrypoint": f"{GRADE_ROOT}/{ENTRYPOINT}",
            "timeout": timeout,
        },
    }


def question_files(seed, timeout, penalty):
    """``{path in the question folder: bytes}``; see the module's docstring.

    Parameters
    ----------
    seed : int
        Seed of the hidden checks' inputs.
    timeout : float
        Seconds each call of the student's code may take.
    penalty : float
        Share of an exercise's points lost when it delegates.

    Examples
    --------
    >>> files = question_files(seed=1, timeout=20.0, penalty=0.0)
    >>> "tests/refusal_lesson/grading/hidden.py" in files, any("solutions" in name for name in files)
    (True, False)
    """
    from .bundle import package_files, template
    from .checks import grading_checks

    package = package_files()
    checks, _ = grading_checks(seed)
    settings = {"seed": seed, "timeout": timeout, "delegation_penalty": penalty}
    files = {
        "info.json": json.dumps(info_json(job_timeout(timeout, checks)), indent=2).encode() + b"\n",
        "question.html": template("prairielearn/question.html").replace(
            b"{exercises}", listed(f"<code>{name}</code>" for name in graded_names()).encode()
        ),
        STUDENT_FILE: package[f"refusal_lesson/{STUDENT_FILE}"],
        SETTINGS: json.dumps(settings, indent=2).encode() + b"\n",
        ENTRYPOINT: template("prairielearn/run.sh"),
    }
    files.update({f"tests/{name}": data for name, data in package.items()})
    return files


def build_question(outdir, seed, timeout, penalty):
    """Write the question folder into ``outdir``, which must be new or empty; return the file count.

    Raises
    ------
    ValueError
        If ``outdir`` is a file or a folder that holds anything.
    """
    from .bundle import require_empty

    outdir = require_empty(outdir)
    files = question_files(seed, timeout, penalty)
    for name, data in files.items():
        target = outdir / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    (outdir / ENTRYPOINT).chmod(0o755)
    return len(files)


def prairielearn_results(content):
    """PrairieLearn's results.json for the Gradescope results ``content`` of one submission.

    The score becomes a fraction; each test keeps its name and points, its
    first line of feedback becomes the message and the rest its output;
    ``extra_data`` (the isolation level) is kept.

    Examples
    --------
    >>> content = {"score": 1, "max_score": 4, "output": "", "tests": [
    ...     {"name": "a", "score": 1, "max_score": 1, "output": "a: fine"},
    ...     {"name": "b", "score": 0, "max_score": 3, "output": "b: wrong\\n\\n```\\ngot: 2\\n```"}]}
    >>> results = prairielearn_results(content)
    >>> results["score"], results["tests"][1]["message"], results["tests"][1]["output"]
    (0.25, 'b: wrong', 'got: 2')
    """
    tests = []
    for test in content["tests"]:
        lines = plain(test["output"]) or [""]
        tests.append(
            {
                "name": test["name"],
                "points": test["score"],
                "max_points": test["max_score"],
                "message": lines[0],
                "output": "\n".join(lines[1:]),
            }
        )
    fraction = content["score"] / content["max_score"] if content["max_score"] else 0.0
    results = {
        "gradable": True,
        "score": min(1.0, max(0.0, fraction)),
        "message": f"{content['score']:g} of {content['max_score']:g} points.",
        "output": "\n".join(plain(content["output"])),
        "tests": tests,
    }
    # PrairieLearn keeps extra keys: the isolation level travels with the score.
    if "extra_data" in content:
        results["extra_data"] = content["extra_data"]
    return results


def grade_job(root):
    """Grade the PrairieLearn job laid out under ``root``; write and return its results.

    Parameters
    ----------
    root : str or pathlib.Path
        ``/grade`` in PrairieLearn's container: ``tests/grading.json`` holds
        the settings, ``student/`` the submission.

    Returns
    -------
    dict
        What was written to ``root/results/results.json``.
    """
    from .checks import grading_checks
    from .grader import grade_submission
    from .results import gradescope, write_json
    from .sandbox import Limits, Sandbox

    root = Path(root)
    settings = json.loads((root / SETTINGS).read_text(encoding="utf-8"))
    checks, _ = grading_checks(settings["seed"])
    with Sandbox(Limits(call_seconds=settings["timeout"])) as sandbox:
        result = grade_submission(root / "student", checks, sandbox)
        level = sandbox.level
    if result.ungradable:
        reason = clean_text(result.ungradable[:1].upper() + result.ungradable[1:])
        results = {"gradable": False, "message": reason, "format_errors": [reason]}
    else:
        results = prairielearn_results(gradescope(result, settings["delegation_penalty"], level))
    write_json(root / "results" / "results.json", results)
    return results


def main(argv=None):
    """``python3 -m refusal_lesson.grading.prairielearn ROOT``: the question's entry point.

    If the grader itself fails (a broken question folder, a grading image
    without scikit-learn), the job is written up as not gradable, which
    costs the student neither points nor an attempt, with the reason.
    """
    parser = argparse.ArgumentParser(description="Grade one PrairieLearn job (run by tests/run.sh).")
    parser.add_argument("root", nargs="?", default=GRADE_ROOT, help=f"the job's folder (default: {GRADE_ROOT})")
    root = Path(parser.parse_args(argv).root)
    try:
        results = grade_job(root)
    except Exception as error:  # the student must get a result, whatever broke
        from .results import write_json

        reason = f"The grader could not run ({code(f'{type(error).__name__}: {error}')}); tell your instructor."
        write_json(root / "results" / "results.json", {"gradable": False, "format_errors": [reason]})
        print(reason, file=sys.stderr)
        return 1
    print(f"score {results['score']:.4f}" if results["gradable"] else "not gradable: " + results["format_errors"][0])
    return 0


if __name__ == "__main__":
    sys.exit(main())

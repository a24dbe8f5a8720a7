"""A graded submission as Gradescope's results.json and as a readable table.

Gradescope's format is the lingua franca of autograders: a top-level
``score`` and ``max_score`` and one entry per test with ``name``, ``score``,
``max_score``, ``status``, ``output`` and ``visibility``.  Public checks are
``visible``; hidden ones are ``after_published`` and never show their
inputs.
"""

import json
import os
import tempfile
from pathlib import Path

DELEGATION_TITLE = "computes it by hand (not with scikit-learn's metrics or threshold_sweep)"


def _output(check_result):
    # The test's name already carries the check's title.
    heading = [check_result.summary] if check_result.summary != check_result.check.title else []
    return "\n".join([*heading, *check_result.details])


def delegation_tests(result, penalty):
    """One test per exercise that delegates; ``penalty`` is a share of its points.

    Parameters
    ----------
    result : SubmissionResult
    penalty : float
        0 (the default setting) notes the delegation without costing points.

    Returns
    -------
    list of dict
    """
    tests = []
    for exercise, names in sorted(result.delegated.items()):
        worth = sum(item.check.points for item in result.checks if item.check.exercise == exercise)
        tests.append(
            {
                "name": f"{exercise}: {DELEGATION_TITLE}",
                "score": -round(penalty * worth, 2),
                "max_score": 0,
                "status": "failed",
                "output": f"{exercise} calls {', '.join(names)}; the exercise is to compute the metrics yourself.",
                "visibility": "visible",
            }
        )
    return tests


def gradescope(result, penalty=0.0):
    """The Gradescope results.json content for one submission.

    Parameters
    ----------
    result : SubmissionResult
    penalty : float, default=0.0
        Share of an exercise's points taken off when it delegates.

    Returns
    -------
    dict

    Examples
    --------
    >>> from refusal_lesson.grading.grader import SubmissionResult
    >>> gradescope(SubmissionResult([]))["score"]
    0.0
    """
    tests = [
        {
            "name": item.check.name,
            "score": item.score,
            "max_score": item.check.points,
            "status": "passed" if item.status == "passed" else "failed",
            "output": _output(item),
            "visibility": "after_published" if item.check.hidden else "visible",
        }
        for item in result.checks
    ]
    tests += delegation_tests(result, penalty)
    score = max(0.0, round(sum(test["score"] for test in tests), 2))
    return {
        "score": score,
        "max_score": result.max_score,
        "output": "\n".join(result.notes),
        "visibility": "visible",
        "tests": tests,
    }


def table(results_json):
    """A plain-text table of a results.json: one row per test, then the total.

    Examples
    --------
    >>> print(table({"score": 1, "max_score": 2, "output": "", "tests": [
    ...     {"name": "a: x", "score": 1, "max_score": 1, "status": "passed", "output": "x"},
    ...     {"name": "a: y", "score": 0, "max_score": 1, "status": "failed", "output": "y: wrong"}]}))
    score  test
      1/1  a: x
      0/1  a: y
           y: wrong
      1/2  total
    """
    lines = ["score  test"]
    for test in results_json["tests"]:
        lines.append(f"{_fraction(test['score'], test['max_score']):>5}  {test['name']}")
        if test["status"] != "passed":
            lines += [f"       {line}" for line in test["output"].splitlines()]
    lines.append(f"{_fraction(results_json['score'], results_json['max_score']):>5}  total")
    if results_json.get("output"):
        lines.append(results_json["output"])
    return "\n".join(lines)


def _fraction(score, max_score):
    return f"{score:g}/{max_score:g}"


def write_json(path, content):
    """Write ``content`` as JSON to ``path`` atomically: a reader never sees half a file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            json.dump(content, stream, indent=2)
            stream.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise

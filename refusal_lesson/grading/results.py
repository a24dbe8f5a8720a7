"""A graded submission as Gradescope's results.json and as a readable table.

Gradescope's format is the lingua franca of autograders: a top-level
``score`` and ``max_score`` and one entry per test with ``name``, ``score``,
``max_score``, ``status``, ``output`` and ``visibility``.  Outputs are
Markdown (:mod:`.markdown`), each test carries the seconds the student's
code took and, when it failed for a known reason, that misconception as its
tag.  Public checks are ``visible``; hidden ones never show their inputs,
and when they show at all is the instructor's choice (``hidden_visibility``).
"""

import json
import os
import tempfile
from pathlib import Path

from .markdown import plain, render

DELEGATION_TITLE = "computes it by hand (not with scikit-learn's metrics or threshold_sweep)"
# Gradescope's visibility settings a hidden check may take; "visible" would show it.
HIDDEN_VISIBILITIES = ("hidden", "after_due_date", "after_published")
# Microseconds: one check's calls often take well under a millisecond.
SECONDS_DIGITS = 6


def feedback_lines(check_result):
    """The lines a student reads about one check: the summary, then the details.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> feedback_lines(SimpleNamespace(summary="a: wrong", details=["got: 1"]))
    ['a: wrong', 'got: 1']
    """
    return [check_result.summary, *check_result.details]


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
                "output": render([f"{exercise} calls {', '.join(names)}; the exercise is to compute the metrics yourself."]),
                "output_format": "md",
                "visibility": "visible",
            }
        )
    return tests


def gradescope_test(item, hidden_visibility="after_published"):
    """One check's entry in results.json, with Gradescope's display fields.

    Parameters
    ----------
    item : CheckResult
    hidden_visibility : {"hidden", "after_due_date", "after_published"}
        When Gradescope shows the student a hidden check.

    Returns
    -------
    dict

    Examples
    --------
    >>> from refusal_lesson.grading.cases import public_checks
    >>> from refusal_lesson.grading.grader import CheckResult
    >>> check = public_checks("refusal_metrics")[0]
    >>> test = gradescope_test(CheckResult(check, "failed", "a: wrong", ["got: 1"], "swapped", 0.25))
    >>> test["tags"], test["execution_time"], test["output"].splitlines()
    (['swapped'], 0.25, ['a\\\\: wrong', '', '```', 'got: 1', '```'])
    """
    test = {
        "name": item.check.name,
        "score": item.score,
        "max_score": item.check.points,
        "status": "passed" if item.status == "passed" else "failed",
        "output": render(feedback_lines(item)),
        "output_format": "md",
        "visibility": hidden_visibility if item.check.hidden else "visible",
        "execution_time": round(item.seconds, SECONDS_DIGITS),
    }
    if item.misconception:
        test["tags"] = [item.misconception]
    return test


def gradescope(result, penalty=0.0, hidden_visibility="after_published"):
    """The Gradescope results.json content for one submission.

    Parameters
    ----------
    result : SubmissionResult
    penalty : float, default=0.0
        Share of an exercise's points taken off when it delegates.
    hidden_visibility : {"hidden", "after_due_date", "after_published"}
        When Gradescope shows the student the hidden checks.

    Returns
    -------
    dict

    Examples
    --------
    >>> from refusal_lesson.grading.grader import SubmissionResult
    >>> gradescope(SubmissionResult([]))["score"]
    0.0
    """
    if hidden_visibility not in HIDDEN_VISIBILITIES:
        raise ValueError(f"hidden_visibility is {hidden_visibility!r}; give one of {', '.join(HIDDEN_VISIBILITIES)}.")
    tests = [gradescope_test(item, hidden_visibility) for item in result.checks]
    tests += delegation_tests(result, penalty)
    score = max(0.0, round(sum(test["score"] for test in tests), 2))
    return {
        "score": score,
        "max_score": result.max_score,
        "execution_time": round(result.seconds, SECONDS_DIGITS),
        "output": render(result.notes),
        "output_format": "md",
        "test_output_format": "md",
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
            lines += [f"       {line}" for line in plain(test["output"])]
    lines.append(f"{_fraction(results_json['score'], results_json['max_score']):>5}  total")
    lines += plain(results_json.get("output", ""))
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

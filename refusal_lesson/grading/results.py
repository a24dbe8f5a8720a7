"""A graded submission as Gradescope's results.json and as a readable table.

Gradescope's format is the lingua franca of autograders: a top-level
``score`` and ``max_score`` and one entry per test with ``name``, ``score``,
``max_score``, ``status``, ``output`` and ``visibility``.  Outputs are
Markdown (:mod:`.markdown`), each test carries the seconds the student's
code took and, when it failed for a known reason, that misconception as its
tag.  Public checks are ``visible``; hidden ones never show their inputs,
and when they show at all is the instructor's choice (``hidden_visibility``).
Gradescope keeps ``extra_data`` as it is: the isolation level the
submission was graded at goes there.

Every string is cleaned (:mod:`.untrusted`) and capped, before it is
rendered, so the file is valid JSON under 1 MiB whatever the submission sent.
"""

import json

from .files import write_file
from .markdown import code, plain, render
from .untrusted import clean_text

OUTPUT_CAP = 4000
MAX_BYTES = 1 << 20
DELEGATION_TITLE = "computes it by hand (not with scikit-learn's metrics or threshold_sweep)"
# Gradescope's visibility settings a hidden check may take; "visible" would show it.
HIDDEN_VISIBILITIES = ("hidden", "after_due_date", "after_published")
# Microseconds: one check's calls often take well under a millisecond.
SECONDS_DIGITS = 6


def feedback_lines(check_result):
    """The lines a student reads about one check: the summary, unless it only repeats the title, then the details.

    Examples
    --------
    >>> from types import SimpleNamespace
    >>> check = SimpleNamespace(title="rounds to 4 places")
    >>> feedback_lines(SimpleNamespace(check=check, summary="rounds to 4 places: wrong", details=["got: 1"]))
    ['rounds to 4 places: wrong', 'got: 1']
    >>> feedback_lines(SimpleNamespace(check=check, summary="rounds to 4 places", details=["got: 1"]))
    ['got: 1']
    """
    # The test's name already carries the check's title.
    heading = [check_result.summary] if check_result.summary != check_result.check.title else []
    return [*heading, *check_result.details]


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
                "output": render([f"{exercise} calls {', '.join(map(code, names))}; the exercise is to compute the metrics yourself."]),
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
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> from refusal_lesson.grading.feedback import Cause, CheckResult
    >>> check = public_checks("refusal_metrics")[0]
    >>> cause = Cause("swapping precision and recall", "", slips=("swapped",))
    >>> test = gradescope_test(CheckResult(check, "failed", "a: wrong", ["got: 1"], cause, 0.25))
    >>> test["tags"], test["execution_time"], test["output"].splitlines()
    (['swapped'], 0.25, ['a: wrong', '', '```', 'got: 1', '```'])
    """
    test = {
        "name": item.check.name,
        "score": item.score,
        "max_score": item.check.points,
        "status": "passed" if item.status == "passed" else "failed",
        "output": render([clean_text("\n".join(feedback_lines(item)), OUTPUT_CAP, newlines=True)]),
        "output_format": "md",
        "visibility": hidden_visibility if item.check.hidden else "visible",
        "execution_time": round(item.seconds, SECONDS_DIGITS),
    }
    if item.cause is not None and item.cause.slips:
        test["tags"] = list(item.cause.slips)
    return test


def gradescope(result, penalty=0.0, isolation=None, hidden_visibility="after_published"):
    """The Gradescope results.json content for one submission.

    Parameters
    ----------
    result : SubmissionResult
    penalty : float, default=0.0
        Share of an exercise's points taken off when it delegates.
    isolation : {"namespaces", "uid", "none"}, optional
        The level the submission was graded at, kept in ``extra_data``.
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
    content = {
        "score": score,
        "max_score": result.max_score,
        "execution_time": round(result.seconds, SECONDS_DIGITS),
        "output": render([clean_text(note, OUTPUT_CAP) for note in result.notes]),
        "output_format": "md",
        "test_output_format": "md",
        "visibility": "visible",
        "tests": tests,
    }
    if isolation is not None:
        content["extra_data"] = {"isolation": isolation}
    return content


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


def encode(content):
    """``content`` as the bytes of a results.json: valid JSON, under 1 MiB.

    Examples
    --------
    >>> encode({"score": 1})
    b'{\\n  "score": 1\\n}\\n'
    """
    data = (json.dumps(content, indent=2, allow_nan=False) + "\n").encode("utf-8")
    if len(data) > MAX_BYTES:
        share = MAX_BYTES // (4 * max(1, len(content.get("tests", ()))))
        content = {**content, "tests": [{**test, "output": clean_text(test["output"], share, newlines=True)} for test in content["tests"]]}
        data = (json.dumps(content, indent=2) + "\n").encode("utf-8")
    return data


def write_json(path, content):
    """Write ``content`` as JSON to ``path`` atomically: a reader never sees half a file.

    The file is replaced in one step and never written through a symlink;
    a folder of the path that is a symlink is refused.
    """
    write_file(path, encode(content), mode=0o644)

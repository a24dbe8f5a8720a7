"""Judge one answer and name the mistake behind a wrong one.

The child reports each answer as plain data (see :func:`.child.describe`).
:func:`judge` compares it with scikit-learn's answer and, when it is wrong,
asks which common slip (SPEC section 2) would have produced it, by
comparing it with the oracle's imitation of each slip.  The hint says what
to change, never how the reference solution is written.

scikit-learn is imported (through :mod:`.oracle`) only when an answer is
judged, so the grader can start a child before paying for that import.
"""

import math
from dataclasses import dataclass


METRIC_NAMES = ("precision", "recall", "f1")

# id -> (what the student did, what to do instead)
MISCONCEPTIONS = {
    "strict": (
        "using > instead of >=",
        "A prompt whose score equals the threshold is refused: compare with >=.",
    ),
    "answer_positive": (
        "treating 'answer' as the positive class",
        "'refuse' is the positive class: a true positive is a refused prompt labelled 'refuse'.",
    ),
    "flipped_labels": (
        "counting benign prompts as true positives",
        "A true positive is a refused prompt whose label is 'refuse'.",
    ),
    "swapped": (
        "swapping precision and recall",
        "Precision divides by the prompts refused (TP + FP); recall by the prompts that should be refused (TP + FN).",
    ),
    "zero_division": (
        "crashing or returning NaN on a zero denominator",
        "When a denominator is zero (nothing refused, or nothing to refuse), that value is 0.0.",
    ),
    "not_rounded": (
        "not rounding",
        "Round each value with the built-in round(float(value), 4).",
    ),
    "wrong_places": (
        "rounding to the wrong number of places",
        "Round to 4 decimal places: round(float(value), 4).",
    ),
    "wrong_type": (
        "returning values that are not Python floats",
        "Return each value as a Python float: round(float(value), 4), not a string or a NumPy scalar.",
    ),
    "wrong_keys": (
        "returning something other than a dict with precision, recall and f1",
        "Return a dict with exactly the keys 'precision', 'recall' and 'f1'.",
    ),
    "highest_tie": (
        "picking the highest threshold on a tie",
        "When several candidates share the best F1, return the lowest of them.",
    ),
    "input_order": (
        "picking the first best candidate in input order rather than the lowest",
        "Candidates may come in any order: compare the thresholds themselves, not their positions.",
    ),
    "unrounded_f1": (
        "comparing unrounded F1 (float noise decides ties)",
        "Compare the 4-place F1 that refusal_metrics returns, so values equal to 4 places tie.",
    ),
    "returns_f1": (
        "returning the best F1 instead of the threshold",
        "Return the winning candidate threshold, not its score.",
    ),
    "converted_candidate": (
        "returning a rounded or converted candidate",
        "Return the winning candidate exactly as it was given.",
    ),
    "swapped_costs": (
        "applying each cost to the other kind of error",
        "over_refusal_cost prices each FP (a benign prompt refused); under_refusal_cost each FN (a harmful one answered).",
    ),
    "strict_budget": (
        "rejecting a rate equal to the budget",
        "The budget is a maximum: a rate exactly equal to it is within it, so compare with <=.",
    ),
    "mutation": (
        "mutating the caller's inputs",
        "Work on copies (sorted(...), np.asarray(...)) instead of sorting or editing the arguments in place.",
    ),
    "silent_label": (
        "accepting a misspelt label silently",
        "Raise ValueError for any label other than 'refuse' or 'answer' (refusal_lesson.validation can check for you).",
    ),
    "bad_input": (
        "accepting bad input silently",
        "Raise ValueError naming the problem (refusal_lesson.validation has helpers for this).",
    ),
    "wrong_error": (
        "raising the wrong kind of error for bad input",
        "Bad input must raise ValueError with a message naming the problem.",
    ),
    "wrong_answer": (
        "an answer that differs from scikit-learn's",
        "Count TP, FP and FN by hand for this input and compare with what your code computes.",
    ),
    "crashed": (
        "raising an error on valid input",
        "Run this input yourself and read the traceback.",
    ),
    "timeout": (
        "taking too long (an endless loop?)",
        "Check that every loop ends; the exercise needs one pass over the candidates.",
    ),
    "not_run": (
        "not finishing",
        "Your code ended the grading process, or got stuck, before this call; run the exercise yourself to see why.",
    ),
}

TOLERANCE = 1e-4 + 1e-12


@dataclass(frozen=True)
class Verdict:
    """How one call went: ``ok``, or the misconception and what was returned."""

    ok: bool
    misconception: str = None
    got: str = ""
    note: str = ""


def number(answer):
    """The answer as a float, or None if it is not a number (strings included)."""
    if not isinstance(answer, dict) or "number" not in answer:
        return None
    try:
        return float(answer["number"])
    except (TypeError, ValueError):
        return None


def show(answer):
    """A short, readable rendering of a described answer.

    Examples
    --------
    >>> show({"type": "numpy.float64", "number": "0.5"})
    'np.float64(0.5)'
    >>> show({"type": "str", "text": "0.5", "length": 3})
    "'0.5'"
    """
    if not isinstance(answer, dict):
        return "?"
    kind = str(answer.get("type", "?"))
    if "items" in answer:
        shown = ", ".join(f"{show(key)}: {show(value)}" for key, value in answer["items"])
        more = ", ..." if answer.get("length", 0) > len(answer["items"]) else ""
        body = "{" + shown + more + "}"
        return body if kind == "dict" else f"{kind}({body})"
    if "number" in answer:
        text = str(answer["number"])
        if kind in ("float", "int"):
            return text
        return f"{kind.replace('numpy.', 'np.')}({text})"
    if "text" in answer:
        text = repr(answer["text"])
        if answer.get("length", 0) > len(answer["text"]):
            text = f"{text[:-1]}...' ({answer['length']:,} characters)"
        return text if kind == "str" else f"{kind}({text})"
    if "literal" in answer:
        return repr(answer["literal"])
    return f"{kind} {answer.get('repr', '')}".strip()


def _metric_values(answer):
    """``{name: described value}`` from a described dict, or None."""
    if not isinstance(answer, dict) or "items" not in answer:
        return None
    values = {}
    for key, value in answer["items"]:
        if isinstance(key, dict) and key.get("type") == "str":
            values[key.get("text")] = value
    return values


def _close(got, want):
    return got is not None and not math.isnan(got) and abs(got - want) <= TOLERANCE


def _matching_slip(slips, matches):
    for slip in slips:
        if matches(slip):
            return slip
    return "wrong_answer"


def _judge_metrics_value(check, case, answer, want):
    from . import oracle

    values = _metric_values(answer)
    if values is None or set(METRIC_NAMES) - set(values):
        return Verdict(False, "wrong_keys")
    got = {name: number(values[name]) for name in METRIC_NAMES}
    if any(value is None for value in got.values()):
        text = {name: values[name].get("text") for name in METRIC_NAMES if got[name] is None}
        try:
            got.update({name: float(value) for name, value in text.items()})
        except (TypeError, ValueError):
            return Verdict(False, "wrong_type")
    if any(math.isnan(value) for value in got.values()):
        return Verdict(False, "zero_division")
    if all(_close(got[name], want[name]) for name in METRIC_NAMES):
        return Verdict(True)
    slips = [check.focus] if check.focus in oracle.METRIC_VARIANTS else []
    slips += [slip for slip in oracle.METRIC_VARIANTS if slip not in slips]

    def matches(slip):
        imitation = oracle.metrics(case, slip)
        return all(_close(got[name], imitation[name]) for name in METRIC_NAMES)

    return Verdict(False, _matching_slip(slips, matches))


def _judge_form(answer):
    values = _metric_values(answer)
    if values is None or set(values) != set(METRIC_NAMES) or answer.get("length") != 3:
        return Verdict(False, "wrong_keys")
    wrong = sorted({str(values[name].get("type")) for name in METRIC_NAMES if values[name].get("type") != "float"})
    if wrong:
        return Verdict(False, "wrong_type", note=f"the values are {', '.join(wrong)}")
    return Verdict(True)


def _places(got, want):
    """The places other than 4 that every value is rounded to, if there are such."""
    for places in (1, 2, 3, 5, 6):
        if all(got[name] == round(float(want[name]), places) != round(float(want[name]), 4) for name in METRIC_NAMES):
            return places
    return None


def _judge_rounded(check, case, answer, want):
    verdict = _judge_metrics_value(check, case, answer, want)
    values = _metric_values(answer)
    if values is None or set(METRIC_NAMES) - set(values):
        return verdict
    got = {name: number(values[name]) for name in METRIC_NAMES}
    if None not in got.values() and _places(got, want):
        return Verdict(False, "wrong_places", note=f"to {_places(got, want)} places")
    if not verdict.ok:
        return verdict
    for name in METRIC_NAMES:
        if got[name] is None:
            return Verdict(False, "wrong_type")
        if got[name] != round(got[name], 4):
            return Verdict(False, "not_rounded")
    return Verdict(True)


def _judge_best(check, case, answer, want):
    from . import oracle

    got = number(answer)
    if got is None:
        return Verdict(False, "wrong_answer", note="best_threshold must return one of the candidates")
    if got == want:
        return Verdict(True)
    slips = [check.focus] if check.focus in oracle.BEST_VARIANTS else []
    slips += [slip for slip in oracle.BEST_VARIANTS if slip not in slips]
    slip = _matching_slip(slips, lambda slip: got == oracle.best(case, slip))
    if slip == "wrong_answer" and any(got == round(want, n) for n in range(1, 8)):
        slip = "converted_candidate"
    return Verdict(False, slip)


def _judge_choice(check, case, answer, want):
    from . import oracle

    """Judge a stretch exercise's answer: one candidate, compared exactly."""
    got = number(answer)
    if got is None:
        return Verdict(False, "wrong_answer", note=f"{check.exercise} must return one of the candidates")
    if got == want:
        return Verdict(True)
    variants = oracle.CHOICE_VARIANTS[check.exercise]
    slips = [check.focus] if check.focus in variants else []
    slips += [slip for slip in variants if slip not in slips]
    return Verdict(False, _matching_slip(slips, lambda slip: got == oracle.CHOOSERS[check.exercise](case, slip)))


def _error_verdict(check, outcome):
    kind = outcome.get("error")
    if check.aspect == "error":
        if kind == "ValueError":
            return Verdict(True)
        return Verdict(False, "wrong_error", got=f"{kind}: {outcome.get('message', '')}")
    got = f"{kind}: {outcome.get('message', '')}"
    if kind == "ZeroDivisionError":
        return Verdict(False, "zero_division", got=got)
    return Verdict(False, "crashed", got=got)


def judge(check, case, event, want):
    """Judge one call's event from the child.

    Parameters
    ----------
    check : Check
    case : Case
    event : dict or None
        The child's ``call`` event, None if the call never reported.
    want : dict, float or None
        The oracle's answer (None for error and mutation checks).

    Returns
    -------
    Verdict

    Examples
    --------
    >>> from refusal_lesson.grading.cases import public_checks
    >>> check = public_checks("best_threshold")[1]
    >>> case = check.cases[0]
    >>> event = {"outcome": {"returned": {"type": "float", "number": "0.6"}}, "mutated": False}
    >>> judge(check, case, event, 0.4).misconception
    'highest_tie'
    """
    from . import oracle

    if event is None:
        return Verdict(False, "not_run")
    outcome = event.get("outcome") or {}
    if "stopped" in outcome:
        return Verdict(False, "not_run")
    if "skipped" in outcome or "timeout" in outcome:
        return Verdict(False, "timeout")
    if "error" in outcome:
        verdict = _error_verdict(check, outcome)
        if verdict is not None:
            return verdict
    if check.aspect == "unchanged":
        return Verdict(not event.get("mutated"), None if not event.get("mutated") else "mutation")
    answer = outcome.get("returned")
    got = show(answer)
    if check.aspect == "error":
        slip = "silent_label" if check.focus == "silent_label" else "bad_input"
        return Verdict(False, slip, got=f"returned {got}")
    if check.aspect == "form":
        verdict = _judge_form(answer)
    elif check.aspect == "rounded":
        verdict = _judge_rounded(check, case, answer, want)
    elif check.exercise == "refusal_metrics":
        verdict = _judge_metrics_value(check, case, answer, want)
    elif check.exercise in oracle.CHOOSERS:
        verdict = _judge_choice(check, case, answer, want)
    else:
        verdict = _judge_best(check, case, answer, want)
    return Verdict(verdict.ok, verdict.misconception, got, verdict.note)

"""What the grader asks of each exercise: checks made of concrete calls.

A :class:`Check` is one line of feedback and one row of the score: a title,
the calls it makes (:class:`Case`), what it judges (``aspect``) and the
points it is worth.  Only inputs live here, never expected answers: the
grader asks scikit-learn for those (:mod:`.oracle`), so this module is safe
to ship to students and cheap to import (no NumPy, no scikit-learn).

The public checks below are what ``check()`` runs in the notebook.  Hidden
checks are generated at grading time by :mod:`.hidden`, which the student
bundle leaves out.
"""

from dataclasses import dataclass

from ..example import CANDIDATES, LABELS, SCORES

R, A = "refuse", "answer"

# What a check judges about each call's answer:
#   form      a dict with exactly precision, recall and f1, each a Python float
#   rounded   the values are rounded to 4 places (and near the right values)
#   value     the right answer (metrics to within 1e-4; thresholds exactly)
#   unchanged the caller's inputs are the same after the call
#   error     the call raises ValueError
ASPECTS = ("form", "rounded", "value", "unchanged", "error")


@dataclass(frozen=True)
class Case:
    """One call of an exercise.

    Parameters
    ----------
    scores, labels : tuple
        The first two arguments, as plain values.
    third : float or tuple
        The threshold (``refusal_metrics``) or the candidates
        (``best_threshold`` and the stretch exercises).
    container : {"list", "tuple", "array"}
        What the sequences are passed as.
    extra : tuple
        Any further arguments, numbers passed as they are (the costs of
        ``cheapest_threshold``, the budget of ``capped_threshold``).
    """

    scores: tuple
    labels: tuple
    third: object
    container: str = "list"
    extra: tuple = ()

    @property
    def size(self):
        """How many prompts the call passes: smaller inputs are shown first."""
        return len(self.scores)

    def to_json(self):
        """The call's arguments in the form the child process rebuilds them from."""

        def sequence(values):
            return {"kind": self.container, "values": list(values)}

        third = sequence(self.third) if isinstance(self.third, tuple) else {"kind": "scalar", "value": self.third}
        extra = [{"kind": "scalar", "value": value} for value in self.extra]
        return [sequence(self.scores), sequence(self.labels), third, *extra]


@dataclass(frozen=True)
class Check:
    """A named group of calls judged on one aspect.

    ``focus`` names the misconception the check is built to catch (see
    :mod:`.diagnosis`); it is tried first when an answer is wrong.

    Examples
    --------
    >>> check = public_checks("refusal_metrics")[0]
    >>> check.name.startswith("refusal_metrics: ")
    True
    """

    exercise: str
    title: str
    aspect: str
    cases: tuple
    focus: str = None
    points: float = 1.0
    hidden: bool = False

    @property
    def name(self):
        """The test name: the exercise, a colon, then the title."""
        return f"{self.exercise}: {self.title}"


def _on_counts(harmful_above, benign_above, high=0.9, low=0.5):
    """Scores and labels from how many prompts of each kind sit at two levels.

    ``harmful_above = (n_high, n_low)`` harmful prompts score ``high`` and
    ``low``; the same for benign ones.
    """
    scores = (high,) * harmful_above[0] + (low,) * harmful_above[1] + (high,) * benign_above[0] + (low,) * benign_above[1]
    labels = (R,) * sum(harmful_above) + (A,) * sum(benign_above)
    return scores, labels


# 85 prompts where the F1 at 0.9 (66 TP, 8 FP, 5 FN: 0.91034...) beats the F1
# at 0.5 (71 TP, 14 FP: 0.91026...) only after the 4th decimal: both round to
# 0.9103, so the lower threshold wins.  Neither value is near a half-way point.
_NEAR_TIE = _on_counts((66, 5), (8, 6))

SMALL = ((0.9, 0.8, 0.3), (R, A, A))
# F1 is 1.0 at both 0.4 and 0.6 (0.6 is on the line), 0.6667 at 0.9.
TIED = ((0.9, 0.6, 0.3), (R, R, A))

REFUSAL_METRICS_CHECKS = (
    Check("refusal_metrics", "returns precision, recall and f1 as Python floats", "form", (Case(SCORES, LABELS, 0.5),), focus="wrong_type"),
    Check(
        "refusal_metrics",
        "rounds each value to 4 decimal places",
        "rounded",
        (Case(SCORES, LABELS, 0.5), Case((0.9, 0.7, 0.6, 0.4, 0.2), (R, A, A, R, R), 0.5)),
        focus="not_rounded",
    ),
    Check(
        "refusal_metrics",
        "agrees with scikit-learn on the worked example",
        "value",
        (Case(SCORES, LABELS, 0.3), Case(SCORES, LABELS, 0.7), Case(SCORES, LABELS, 0.52)),
    ),
    Check(
        "refusal_metrics",
        "refuses a score exactly on the threshold",
        "value",
        (Case((0.5, 0.5, 0.2), (R, A, R), 0.5), Case(SCORES, LABELS, 0.4)),
        focus="strict",
    ),
    Check("refusal_metrics", "treats 'refuse' as the positive class", "value", (Case(*SMALL, 0.5), Case(SCORES, LABELS, 0.45)), focus="answer_positive"),
    Check(
        "refusal_metrics",
        "gives 0.0 when a denominator is zero",
        "value",
        (Case((0.1, 0.2), (R, A), 0.5), Case((0.9, 0.2), (A, A), 0.5), Case((0.1,), (A,), 0.5)),
        focus="zero_division",
    ),
    Check(
        "refusal_metrics",
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, 0.5, "tuple"), Case(SCORES, LABELS, 0.5, "array")),
    ),
    Check(
        "refusal_metrics",
        "leaves its inputs unchanged",
        "unchanged",
        (Case((0.2, 0.9, 0.6), (A, R, R), 0.5), Case((0.2, 0.9, 0.6), (A, R, R), 0.5, "array")),
        focus="mutation",
    ),
    Check(
        "refusal_metrics",
        "rejects a misspelt label",
        "error",
        (Case((0.9, 0.2), (R, "Answer"), 0.5), Case((0.9, 0.2, 0.4), (R, A, "refuse "), 0.5)),
        focus="silent_label",
    ),
    Check(
        "refusal_metrics",
        "rejects other bad input with ValueError",
        "error",
        (
            Case((0.9, 0.2), (R,), 0.5),
            Case((0.9, float("nan")), (R, A), 0.5),
            Case((0.9, 0.2), (R, A), float("nan")),
            Case((0.9, "high"), (R, A), 0.5),
        ),
        focus="bad_input",
    ),
)

BEST_THRESHOLD_CHECKS = (
    Check("best_threshold", "finds the best threshold on the worked example", "value", (Case(SCORES, LABELS, CANDIDATES),)),
    Check(
        "best_threshold",
        "breaks a tie towards the lowest threshold",
        "value",
        (Case(*TIED, (0.4, 0.6, 0.9)), Case(SCORES, LABELS, (0.3, 0.4))),
        focus="highest_tie",
    ),
    Check(
        "best_threshold",
        "handles candidates in any order",
        "value",
        (Case(*TIED, (0.9, 0.6, 0.4)), Case(SCORES, LABELS, tuple(reversed(CANDIDATES)))),
        focus="input_order",
    ),
    Check(
        "best_threshold",
        "handles repeated candidates",
        "value",
        (Case(*TIED, (0.9, 0.6, 0.6, 0.4, 0.9)),),
    ),
    Check("best_threshold", "judges ties on the 4-place F1", "value", (Case(*_NEAR_TIE, (0.9, 0.5)),), focus="unrounded_f1"),
    Check(
        "best_threshold",
        "returns the winning candidate unchanged",
        "value",
        (Case(*TIED, (0.654321, 0.123456, 0.95)),),
        focus="converted_candidate",
    ),
    Check(
        "best_threshold",
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, "tuple"), Case(SCORES, LABELS, CANDIDATES, "array")),
    ),
    Check(
        "best_threshold",
        "leaves its inputs unchanged",
        "unchanged",
        (Case((0.2, 0.9, 0.6), (A, R, R), (0.7, 0.1, 0.5)), Case((0.2, 0.9, 0.6), (A, R, R), (0.7, 0.1, 0.5), "array")),
        focus="mutation",
    ),
    Check(
        "best_threshold",
        "rejects bad input with ValueError",
        "error",
        (
            Case((0.9, 0.2), (R, A), ()),
            Case((0.9, 0.2), (R, "Refuse"), (0.5,)),
            Case((0.9, 0.2), (R,), (0.5,)),
        ),
        focus="bad_input",
    ),
)

# The stretch exercises of notebook 4.  Each call passes the costs or the
# budget after the candidates.
NAN = float("nan")
CHEAPEST_THRESHOLD_CHECKS = (
    Check(
        "cheapest_threshold",
        "finds the cheapest threshold on the worked example",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, extra=(1, 5)), Case(SCORES, LABELS, CANDIDATES, extra=(5, 1))),
    ),
    Check(
        "cheapest_threshold",
        "weighs each kind of error by its own cost",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, extra=(0, 1)), Case(SCORES, LABELS, CANDIDATES, extra=(2, 3))),
        focus="swapped_costs",
    ),
    Check(
        "cheapest_threshold",
        "refuses a score exactly on the threshold",
        "value",
        (Case((0.5, 0.5, 0.2), (R, R, A), (0.2, 0.5), extra=(1, 5)),),
        focus="strict",
    ),
    Check(
        "cheapest_threshold",
        "breaks a tie towards the lowest threshold, in any order",
        "value",
        (Case(*TIED, (0.9, 0.6, 0.4), extra=(1, 1)), Case(*TIED, (0.4, 0.6, 0.9), extra=(1, 1))),
        focus="highest_tie",
    ),
    Check(
        "cheapest_threshold",
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, "tuple", (1, 5)), Case(SCORES, LABELS, CANDIDATES, "array", (1, 5))),
    ),
    Check(
        "cheapest_threshold",
        "leaves its inputs unchanged",
        "unchanged",
        (Case((0.2, 0.9, 0.6), (A, R, R), (0.7, 0.1, 0.5), "array", (1, 5)),),
        focus="mutation",
    ),
    Check(
        "cheapest_threshold",
        "rejects bad input with ValueError",
        "error",
        (
            Case((0.9, 0.2), (R, A), (), extra=(1, 5)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(-1, 5)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(1, NAN)),
            Case((0.9, 0.2), (R, "Refuse"), (0.5,), extra=(1, 5)),
        ),
        focus="bad_input",
    ),
)

CAPPED_THRESHOLD_CHECKS = (
    Check(
        "capped_threshold",
        "finds the lowest threshold within the budget on the worked example",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, extra=(0.05,)), Case(SCORES, LABELS, CANDIDATES, extra=(0.45,))),
    ),
    Check(
        "capped_threshold",
        "allows a rate equal to the budget",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, extra=(0.2,)),),
        focus="strict_budget",
    ),
    Check(
        "capped_threshold",
        "refuses a score exactly on the threshold",
        "value",
        (Case((0.9, 0.5, 0.5), (R, A, R), (0.5, 0.6), extra=(0.6,)),),
        focus="strict",
    ),
    Check(
        "capped_threshold",
        "returns the lowest qualifying candidate, in any order",
        "value",
        (Case(SCORES, LABELS, tuple(reversed(CANDIDATES)), extra=(0.45,)),),
        focus="input_order",
    ),
    Check(
        "capped_threshold",
        "counts the rate as 0.0 when no prompt is benign",
        "value",
        (Case((0.9, 0.3), (R, R), (0.5, 0.1), extra=(0.0,)),),
        focus="zero_division",
    ),
    Check(
        "capped_threshold",
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, "tuple", (0.45,)), Case(SCORES, LABELS, CANDIDATES, "array", (0.45,))),
    ),
    Check(
        "capped_threshold",
        "leaves its inputs unchanged",
        "unchanged",
        (Case((0.2, 0.9, 0.6), (A, R, R), (0.7, 0.1, 0.5), "array", (0.5,)),),
        focus="mutation",
    ),
    Check(
        "capped_threshold",
        "raises ValueError when no candidate keeps within the budget",
        "error",
        (Case(SCORES, LABELS, (0.1, 0.2), extra=(0.05,)),),
        focus="bad_input",
    ),
    Check(
        "capped_threshold",
        "rejects bad input with ValueError",
        "error",
        (
            Case((0.9, 0.2), (R, A), (), extra=(0.05,)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(1.5,)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(NAN,)),
            Case((0.9, 0.2), (R,), (0.5,), extra=(0.05,)),
        ),
        focus="bad_input",
    ),
)

PUBLIC_CHECKS = {
    "refusal_metrics": REFUSAL_METRICS_CHECKS,
    "best_threshold": BEST_THRESHOLD_CHECKS,
    "cheapest_threshold": CHEAPEST_THRESHOLD_CHECKS,
    "capped_threshold": CAPPED_THRESHOLD_CHECKS,
}


def public_checks(exercise):
    """The checks a student can see and run from the notebook.

    Parameters
    ----------
    exercise : {"refusal_metrics", "best_threshold", "cheapest_threshold", "capped_threshold"}

    Returns
    -------
    tuple of Check

    Examples
    --------
    >>> len(public_checks("best_threshold")) > 5
    True
    """
    return PUBLIC_CHECKS[exercise]

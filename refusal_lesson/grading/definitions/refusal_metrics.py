"""``refusal_metrics(scores, labels, threshold)``: precision, recall and F1 at one threshold."""

from ...example import LABELS, SCORES
from ..cases import MUTABLE, NAN, NOTEBOOK_GRID, SMALL, A, Case, Check, R
from ..exercise import INPUT_SLIPS, STRICT, ZERO_DIVISION, Exercise, Slip
from ..generate import CONTAINERS, GRID, draw, labelled_set, safe, threshold_trials

NAME = "refusal_metrics"
METRICS = ("precision", "recall", "f1")
# The notebooks' own calls: notebook 1 at 0.5 on the example's tuples, and
# notebook 2's sweep of a 0.01 grid on NumPy arrays (and on the example
# repeated 2,000 times; 100 times here, which gives the same ratios).  Of
# the grid, every threshold that sits on a score, and one in each gap
# between scores: the others give the same answers as their gap's
# representative to any code that compares scores with the threshold, and
# a hundred calls would slow every submission's grading.


def _sweep():
    """Of notebook 2's grid: each threshold on a score, and the first in each gap between scores."""
    kept, gaps = [], set()
    for threshold in NOTEBOOK_GRID:
        gap = sum(score < threshold for score in set(SCORES))
        if threshold in SCORES:
            kept.append(threshold)
        elif gap not in gaps:
            kept.append(threshold)
            gaps.add(gap)
    return tuple(kept)


NOTEBOOK_CALLS = (
    Case(SCORES, LABELS, 0.5, "tuple"),
    *(Case(SCORES, LABELS, threshold, "array") for threshold in _sweep()),
    Case(SCORES * 100, LABELS * 100, 0.5, "array"),
)
# 0.45 sits on no score of the example, so only the check about the line
# itself depends on >= against >.
OFF_THE_LINE = 0.45

CHECKS = (
    Check(NAME, "returns precision, recall and f1 as Python floats", "form", (Case(SCORES, LABELS, OFF_THE_LINE),)),
    Check(
        NAME,
        "rounds each value to 4 decimal places",
        "rounded",
        # The last: F1 is 2/7 (0.2857), but 0.2858 from the rounded precision
        # (1.0) and recall (0.1667): rounding comes last.
        (
            Case(SCORES, LABELS, OFF_THE_LINE),
            Case((0.9, 0.7, 0.6, 0.4, 0.2), (R, A, A, R, R), 0.5),
            Case((0.9, 0.4, 0.3, 0.3, 0.2, 0.1), (R,) * 6, 0.5),
        ),
    ),
    Check(NAME, "agrees with scikit-learn on the notebooks' calls", "value", NOTEBOOK_CALLS),
    Check(NAME, "refuses a score exactly on the threshold", "value", (Case((0.5, 0.5, 0.2), (R, A, R), 0.5), Case(SCORES, LABELS, 0.4))),
    Check(NAME, "treats 'refuse' as the positive class", "value", (Case(*SMALL, 0.5), Case(SCORES, LABELS, OFF_THE_LINE))),
    Check(
        NAME,
        "gives 0.0 when a denominator is zero",
        "value",
        (Case((0.1, 0.2), (R, A), 0.5), Case((0.9, 0.2), (A, A), 0.5), Case((0.1,), (A,), 0.5)),
    ),
    Check(
        NAME,
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, OFF_THE_LINE, "tuple"), Case(SCORES, LABELS, OFF_THE_LINE, "array")),
    ),
    Check(NAME, "leaves its inputs unchanged", "unchanged", (Case(*MUTABLE, 0.5), Case(*MUTABLE, 0.5, "array"))),
    Check(
        NAME,
        "rejects a misspelt label",
        "error",
        (Case((0.9, 0.2), (R, "Answer"), 0.5), Case((0.9, 0.2, 0.4), (R, A, "refuse "), 0.5)),
    ),
    Check(
        NAME,
        "rejects other bad input with ValueError",
        "error",
        (
            Case((0.9, 0.2), (R,), 0.5),
            Case((0.9, NAN), (R, A), 0.5),
            Case((0.9, 0.2), (R, A), NAN),
            Case((0.9, "high"), (R, A), 0.5),
        ),
    ),
)

SLIPS = (
    STRICT,
    Slip(
        "answer_positive",
        "treating 'answer' as the positive class",
        "'refuse' is the positive class: a true positive is a refused prompt labelled 'refuse'.",
    ),
    Slip("flipped_labels", "counting benign prompts as true positives", "A true positive is a refused prompt whose label is 'refuse'."),
    Slip(
        "swapped",
        "swapping precision and recall",
        "Precision divides by the prompts refused (TP + FP); recall by the prompts that should be refused (TP + FN).",
    ),
    ZERO_DIVISION,
    Slip("not_rounded", "not rounding", "Round each value with the built-in round(float(value), 4)."),
    Slip("wrong_places", "rounding to the wrong number of places", "Round to 4 decimal places: round(float(value), 4)."),
    Slip(
        "wrong_type",
        "returning values that are not Python floats",
        "Return each value as a Python float: round(float(value), 4), not a string or a NumPy scalar.",
    ),
    *INPUT_SLIPS,
)


def answer(case, slips=frozenset(), own=None):
    """scikit-learn's precision, recall and F1 (unrounded), or what ``slips`` give.

    Examples
    --------
    >>> answer(Case((0.9, 0.5), ("refuse", "answer"), 0.5))["precision"]
    0.5
    >>> answer(Case((0.9, 0.5), ("refuse", "answer"), 0.5), {"strict"})["precision"]
    1.0
    """
    from .. import oracle

    row = oracle.at(case, strict="strict" in slips)
    if not set(slips) - {"strict"}:
        return {name: row[name] for name in METRICS}
    tp, fp, fn, tn = row["tp"], row["fp"], row["fn"], row["tn"]
    if "answer_positive" in slips:
        tp, fp, fn, tn = tn, fn, fp, tp
    if "flipped_labels" in slips:
        tp, fp, fn, tn = fp, tp, tn, fn
    values = oracle.ratios(tp, fp, fn)
    if "swapped" in slips:
        values["precision"], values["recall"] = values["recall"], values["precision"]
    return values


def hidden(rng):
    """Random labelled sets in every container, and the edge cases."""

    def make(index):
        scores, labels = labelled_set(rng, int(rng.integers(6, 60)))
        threshold = float(rng.choice(scores)) if rng.random() < 0.5 else float(rng.choice(GRID))
        return Case(scores, labels, threshold, CONTAINERS[index % 3])

    random_sets = tuple(draw(lambda: make(index)) for index in range(6))
    scores, labels = labelled_set(rng, int(rng.integers(5, 20)))
    edges = (
        Case(scores, (A,) * len(scores), 0.5),
        Case(scores, (R,) * len(scores), 0.5),
        Case(scores, labels, 1.5),
        Case(scores, labels, min(scores)),
        Case(scores[:1], labels[:1], scores[0]),
    )
    return (
        Check(NAME, "hidden: random labelled sets", "value", random_sets, points=2, hidden=True),
        Check(NAME, "hidden: edge cases", "value", tuple(case for case in edges if safe(case)), points=2, hidden=True),
    )


EXERCISE = Exercise(
    NAME,
    CHECKS,
    answer,
    returns="metrics",
    slips=SLIPS,
    imitated=("strict", "answer_positive", "flipped_labels", "swapped"),
    hidden=hidden,
    trial_inputs=lambda rng: threshold_trials(rng, 30),
    notebook=1,
)

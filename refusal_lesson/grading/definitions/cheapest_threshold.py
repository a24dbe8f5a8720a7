"""Stretch: ``cheapest_threshold(scores, labels, candidates, over_refusal_cost, under_refusal_cost)``."""

from ...example import CANDIDATES, LABELS, SCORES
from ..cases import MUTABLE, NAN, NOTEBOOK_GRID, TIED, A, Case, Check, R
from ..exercise import HIGHEST_TIE, INPUT_ORDER, INPUT_SLIPS, MOST_TRIAL_CANDIDATES, STRICT, Exercise, Slip
from ..generate import candidate_trials, tie_trials

NAME = "cheapest_threshold"

CHECKS = (
    Check(
        NAME,
        "finds the cheapest threshold on the worked example",
        "value",
        # The last, as notebook 4 calls it: NumPy arrays and its grid of 101 thresholds.
        (
            Case(SCORES, LABELS, CANDIDATES, extra=(1, 5)),
            Case(SCORES, LABELS, CANDIDATES, extra=(5, 1)),
            Case(SCORES, LABELS, NOTEBOOK_GRID, "array", (1, 5)),
        ),
    ),
    Check(
        NAME,
        "weighs each kind of error by its own cost",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, extra=(0, 1)), Case(SCORES, LABELS, CANDIDATES, extra=(2, 3))),
    ),
    Check(NAME, "refuses a score exactly on the threshold", "value", (Case((0.5, 0.5, 0.2), (R, R, A), (0.2, 0.5), extra=(1, 5)),)),
    Check(
        NAME,
        "prices each error, not each error rate",
        "value",
        # Harmful and benign prompts unequally many (2 and 6, then 6 and 2):
        # weighing FP and FN rates picks another threshold than counting them.
        (
            Case((0.9, 0.4, 0.8, 0.5, 0.3, 0.2, 0.2, 0.1), (R, R, A, A, A, A, A, A), (0.35, 0.85), extra=(1, 1)),
            Case((0.9, 0.8, 0.7, 0.6, 0.5, 0.3, 0.95, 0.4), (R, R, R, R, R, R, A, A), (0.25, 0.45, 0.97), extra=(1, 1)),
        ),
    ),
    Check(
        NAME,
        "breaks a tie towards the lowest threshold, in any order",
        "value",
        (Case(*TIED, (0.9, 0.6, 0.4), extra=(1, 1)), Case(*TIED, (0.4, 0.6, 0.9), extra=(1, 1))),
    ),
    Check(
        NAME,
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, "tuple", (1, 5)), Case(SCORES, LABELS, CANDIDATES, "array", (1, 5))),
    ),
    Check(NAME, "leaves its inputs unchanged", "unchanged", (Case(*MUTABLE, (0.7, 0.1, 0.5), "array", (1, 5)),)),
    Check(
        NAME,
        "rejects bad input with ValueError",
        "error",
        (
            Case((0.9, 0.2), (R, A), (), extra=(1, 5)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(-1, 5)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(1, NAN)),
            Case((0.9, 0.2), (R, "Refuse"), (0.5,), extra=(1, 5)),
        ),
    ),
)

SLIPS = (
    Slip(
        "swapped_costs",
        "applying each cost to the other kind of error",
        "over_refusal_cost prices each FP (a benign prompt refused); under_refusal_cost each FN (a harmful one answered).",
    ),
    Slip(
        "rates",
        "weighing error rates instead of error counts",
        "Each cost is paid per error: multiply over_refusal_cost by the number of false positives "
        "and under_refusal_cost by the number of false negatives, not by their rates.",
    ),
    STRICT,
    HIGHEST_TIE,
    INPUT_ORDER,
    *INPUT_SLIPS,
)


def answer(case, slips=frozenset(), own=None):
    """The lowest candidate with the lowest total cost, or the one ``slips`` pick.

    Examples
    --------
    >>> answer(Case((0.9, 0.4, 0.6), ("refuse", "refuse", "answer"), (0.7, 0.3), extra=(1, 5)))
    0.3
    """
    from .. import oracle

    over, under = case.extra
    if "swapped_costs" in slips:
        over, under = under, over
    rows = [oracle.at(case, candidate, strict="strict" in slips) for candidate in case.third]
    if "rates" in slips:
        costs = [over * _rate(row["fp"], row["fp"] + row["tn"]) + under * _rate(row["fn"], row["fn"] + row["tp"]) for row in rows]
    else:
        costs = [over * row["fp"] + under * row["fn"] for row in rows]
    winners = [candidate for candidate, cost in zip(case.third, costs) if cost == min(costs)]
    if {"highest_tie", "input_order"} <= set(slips):
        return winners[-1]
    if "highest_tie" in slips:
        return max(winners)
    return winners[0] if "input_order" in slips else min(winners)


def _rate(errors, total):
    return errors / total if total else 0.0


def trials(rng):
    """Random sets with tied candidates in random order and unequal whole costs, and a tie of five in ten orders."""
    costs = candidate_trials(rng, 100, MOST_TRIAL_CANDIDATES, lambda rng, case: rng.choice(range(1, 7), size=2, replace=False).tolist())
    # Counting prices 0.82 to 0.88 lowest, rates 0.32 to 0.38: ties of three on either rule.
    scores, labels = CHECKS[3].cases[0].scores, CHECKS[3].cases[0].labels
    group = (0.32, 0.35, 0.38, 0.82, 0.85, 0.88)
    orders = tuple(Case(scores, labels, tuple(float(value) for value in rng.permutation(group)), extra=(1, 1)) for _ in range(6))
    return costs + tie_trials(rng, 10, (1, 2)) + orders


EXERCISE = Exercise(
    NAME,
    CHECKS,
    answer,
    returns="number",
    slips=SLIPS,
    imitated=("swapped_costs", "rates", "strict", "highest_tie", "input_order"),
    graded=False,
    trial_inputs=trials,
    notebook=4,
)

"""Stretch: ``capped_threshold(scores, labels, candidates, max_over_refusal_rate)``."""

from ...example import CANDIDATES, LABELS, SCORES
from ..cases import MUTABLE, NAN, NO_ANSWER, NOTEBOOK_GRID, A, Case, Check, R
from ..exercise import INPUT_ORDER, INPUT_SLIPS, MOST_TRIAL_CANDIDATES, STRICT, ZERO_DIVISION, Exercise, Slip
from ..generate import candidate_trials, tie_trials

NAME = "capped_threshold"

CHECKS = (
    Check(
        NAME,
        "finds the lowest threshold within the budget on the worked example",
        "value",
        # The last, as notebook 4 calls it: NumPy arrays and its grid of 101 thresholds.
        (
            Case(SCORES, LABELS, CANDIDATES, extra=(0.05,)),
            Case(SCORES, LABELS, CANDIDATES, extra=(0.45,)),
            Case(SCORES, LABELS, NOTEBOOK_GRID, "array", (0.05,)),
        ),
    ),
    Check(NAME, "allows a rate equal to the budget", "value", (Case(SCORES, LABELS, CANDIDATES, extra=(0.2,)),)),
    Check(NAME, "refuses a score exactly on the threshold", "value", (Case((0.9, 0.5, 0.5), (R, A, R), (0.5, 0.6), extra=(0.6,)),)),
    Check(
        NAME,
        "returns the lowest qualifying candidate, in any order",
        "value",
        (Case(SCORES, LABELS, tuple(reversed(CANDIDATES)), extra=(0.45,)),),
    ),
    Check(NAME, "counts the rate as 0.0 when no prompt is benign", "value", (Case((0.9, 0.3), (R, R), (0.5, 0.1), extra=(0.0,)),)),
    Check(
        NAME,
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, "tuple", (0.45,)), Case(SCORES, LABELS, CANDIDATES, "array", (0.45,))),
    ),
    Check(NAME, "leaves its inputs unchanged", "unchanged", (Case(*MUTABLE, (0.7, 0.1, 0.5), "array", (0.5,)),)),
    Check(
        NAME,
        "raises ValueError when no candidate keeps within the budget",
        "unanswerable",
        (Case(SCORES, LABELS, (0.1, 0.2), extra=(0.05,)),),
    ),
    Check(
        NAME,
        "rejects bad input with ValueError",
        "error",
        (
            Case((0.9, 0.2), (R, A), (), extra=(0.05,)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(1.5,)),
            Case((0.9, 0.2), (R, A), (0.5,), extra=(NAN,)),
            Case((0.9, 0.2), (R,), (0.5,), extra=(0.05,)),
        ),
    ),
)

SLIPS = (
    Slip(
        "strict_budget",
        "rejecting a rate equal to the budget",
        "The budget is a maximum: a rate exactly equal to it is within it, so compare with <=.",
    ),
    Slip(
        "rate_of_all",
        "dividing the false positives by every prompt rather than by the benign ones",
        "The over-refusal rate is FP / (FP + TN): the share of benign prompts that are refused.",
    ),
    Slip(
        "highest_fit",
        "picking the highest candidate within the budget rather than the lowest",
        "Of the candidates within the budget, return the lowest: it refuses the most harmful prompts.",
    ),
    STRICT,
    INPUT_ORDER,
    ZERO_DIVISION,
    *INPUT_SLIPS,
)


def answer(case, slips=frozenset(), own=None):
    """The lowest candidate within the budget (NO_ANSWER if none is), or the one ``slips`` pick.

    Examples
    --------
    >>> answer(Case((0.9, 0.4, 0.6), ("refuse", "refuse", "answer"), (0.7, 0.5, 0.3), extra=(0.0,)))
    0.7
    """
    from .. import oracle

    (budget,) = case.extra
    fits = []
    for candidate in case.third:
        row = oracle.at(case, candidate, strict="strict" in slips)
        benign = case.size if "rate_of_all" in slips else row["fp"] + row["tn"]
        rate = row["fp"] / benign if benign else 0.0
        if rate < budget or (rate == budget and "strict_budget" not in slips):
            fits.append(candidate)
    if not fits:
        return NO_ANSWER
    if {"highest_fit", "input_order"} <= set(slips):
        # Every fit overwriting the last: the last in input order.
        return fits[-1]
    if "highest_fit" in slips:
        return max(fits)
    return fits[0] if "input_order" in slips else min(fits)


def trials(rng):
    """Random sets with tied candidates in random order and a budget, and a tie of five.

    First the budgets just above some candidate's rate (a rate equal to the
    budget is then beside the point), then the budgets some candidate meets
    exactly (where it is the point); within each, the most unbalanced sets
    first, since a rate's denominator shows most where benign prompts are
    far from half of them.
    """

    def rate(case, candidate):
        from .. import oracle

        row = oracle.at(case, candidate)
        benign = row["fp"] + row["tn"]
        return row["fp"] / benign if benign else 0.0

    def above(candidate):
        return lambda rng, case: (min(1.0, round(rate(case, candidate(rng, case)) + 0.001, 6)),)

    def met(rng, case):
        return (rate(case, float(rng.choice(case.third))),)

    def unbalanced(cases):
        return tuple(sorted(cases, key=lambda case: abs(case.labels.count(A) / case.size - 0.5), reverse=True))

    # Low candidates only, the budget just above the highest one's rate:
    # there the highest candidate within the budget is not the highest of all.
    low = candidate_trials(rng, 50, MOST_TRIAL_CANDIDATES, above(lambda rng, case: max(case.third)), ceiling=0.5)
    loose = candidate_trials(rng, 50, MOST_TRIAL_CANDIDATES, above(lambda rng, case: float(rng.choice(case.third))))
    exact = candidate_trials(rng, 50, MOST_TRIAL_CANDIDATES, met)
    return unbalanced(low + loose) + unbalanced(exact) + tie_trials(rng, 10, (0.0,))


EXERCISE = Exercise(
    NAME,
    CHECKS,
    answer,
    returns="number",
    slips=SLIPS,
    imitated=("strict_budget", "rate_of_all", "highest_fit", "strict", "input_order"),
    graded=False,
    trial_inputs=trials,
    notebook=4,
)

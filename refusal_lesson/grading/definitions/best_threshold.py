"""``best_threshold(scores, labels, candidates)``: the candidate with the highest 4-place F1."""

import itertools

from ...example import CANDIDATES, LABELS, SCORES
from ..cases import MUTABLE, NEAR_TIE, TIED, A, Case, Check, R, on_counts
from ..exercise import CONVERTED, HIGHEST_TIE, INPUT_ORDER, INPUT_SLIPS, MOST_TRIAL_CANDIDATES, STRICT, Exercise, Slip
from ..generate import candidate_cases, candidate_trials, tie_trials

NAME = "best_threshold"

CHECKS = (
    # Notebook 2 calls it on the example's tuples.
    Check(NAME, "finds the best threshold on the worked example", "value", (Case(SCORES, LABELS, CANDIDATES, "tuple"),)),
    Check(NAME, "breaks a tie towards the lowest threshold", "value", (Case(*TIED, (0.4, 0.6, 0.9)), Case(SCORES, LABELS, (0.3, 0.4)))),
    Check(
        NAME,
        "handles candidates in any order",
        "value",
        # Three tied candidates (0.4, 0.5, 0.6): the last best in input order is 0.5,
        # neither the first best (0.6) nor the highest.
        (Case(*TIED, (0.9, 0.6, 0.4)), Case(SCORES, LABELS, tuple(reversed(CANDIDATES))), Case(*TIED, (0.6, 0.4, 0.5, 0.9))),
    ),
    Check(NAME, "handles repeated candidates", "value", (Case(*TIED, (0.9, 0.6, 0.6, 0.4, 0.9)),)),
    Check(NAME, "judges ties on the 4-place F1", "value", (Case(*NEAR_TIE, (0.9, 0.5)),)),
    Check(NAME, "returns the winning candidate unchanged", "value", (Case(*TIED, (0.654321, 0.123456, 0.95)),)),
    Check(
        NAME,
        "accepts tuples and NumPy arrays",
        "value",
        (Case(SCORES, LABELS, CANDIDATES, "tuple"), Case(SCORES, LABELS, CANDIDATES, "array")),
    ),
    Check(
        NAME,
        "leaves its inputs unchanged",
        "unchanged",
        (
            Case(*MUTABLE, (0.7, 0.1, 0.5)),
            Case(*MUTABLE, (0.7, 0.1, 0.5), "array"),
            Case(*MUTABLE, (0.7, 0.1, 0.5), "candidates_list"),
        ),
    ),
    Check(
        NAME,
        "rejects bad input with ValueError",
        "error",
        (Case((0.9, 0.2), (R, A), ()), Case((0.9, 0.2), (R, "Refuse"), (0.5,)), Case((0.9, 0.2), (R,), (0.5,))),
    ),
)

SLIPS = (
    HIGHEST_TIE,
    INPUT_ORDER,
    Slip(
        "unrounded_f1",
        "comparing unrounded F1 (float noise decides ties)",
        "Compare the 4-place F1 that refusal_metrics returns, so values equal to 4 places tie.",
    ),
    STRICT,
    Slip("returns_f1", "returning the best F1 instead of the threshold", "Return the winning candidate threshold, not its score."),
    CONVERTED,
    *INPUT_SLIPS,
)


def answer(case, slips=frozenset(), own=None):
    """The lowest candidate with the highest 4-place F1, or the one ``slips`` pick.

    ``own`` holds the F1 the student's ``refusal_metrics`` gives each
    candidate; the tie rules then apply to those values.

    Examples
    --------
    >>> case = Case((0.9, 0.6, 0.3), ("refuse", "refuse", "answer"), (0.9, 0.6, 0.4))
    >>> answer(case), answer(case, {"highest_tie"}), answer(case, {"input_order"})
    (0.4, 0.6, 0.6)
    """
    from .. import oracle

    candidates = case.third
    if own is None:
        f1 = [oracle.at(case, candidate, strict="strict" in slips)["f1"] for candidate in candidates]
        keys = [value if "unrounded_f1" in slips else round(value, 4) for value in f1]
    elif {"strict", "unrounded_f1"} & set(slips) or None in own:
        return None
    else:
        keys = list(own)
    top = max(keys)
    if "returns_f1" in slips:
        return round(top, 4)
    winners = [candidate for candidate, key in zip(candidates, keys) if key == top]
    if {"highest_tie", "input_order"} <= set(slips):
        return winners[-1]
    if "highest_tie" in slips:
        return max(winners)
    if "input_order" in slips:
        return winners[0]
    return min(winners)


def hidden(rng):
    """Random labelled sets with random candidates, small and larger."""
    return (
        Check(NAME, "hidden: random labelled sets", "value", candidate_cases(rng, 5, (6, 60), (3, 12)), points=2, hidden=True),
        Check(NAME, "hidden: larger sets", "value", candidate_cases(rng, 2, (150, 250), (15, 25)), points=2, hidden=True),
    )


# 95 prompts where, the other way round, the F1 at 0.5 (0.908046) beats the
# F1 at 0.9 (0.907975) only after the 4th decimal.
NEAR_TIE_LOW = on_counts((74, 5), (10, 6))
# 106 prompts where, as on NEAR_TIE, the F1 at 0.9 (0.715232) beats the F1 at
# 0.5 (0.715152) only after the 4th decimal, but benign prompts are many at
# 0.9: "answer" taken as the positive class scores best where nothing is
# refused (0.95), not where the unrounded F1 is best (0.7), as it does on NEAR_TIE.
NEAR_TIE_BENIGN = on_counts((54, 5), (38, 9))


def trials(rng):
    """Random sets with tied candidates in random order, a tie of five in ten orders, the near ties.

    On the near tie, 0.7, 0.89 and 0.9 refuse the same prompts, and their F1
    is higher than at 0.5 only after the 4th decimal; with ``>``, 0.9
    refuses none.  The lowest (0.5), the highest (0.9), the unrounded best
    (0.7) and the highest with ``>`` (0.89) all differ.  The near tie with
    many benign prompts at 0.9 is the same, in two orders, with 0.95
    (which refuses nothing) as well: a ``refusal_metrics`` that gets F1
    wrong may pick 0.7 on the first by chance, but seldom on both.
    """
    near = tuple(Case(*NEAR_TIE, order) for order in itertools.permutations((0.5, 0.7, 0.89, 0.9)))
    # Here the lowest best (0.45) is the unrounded best too; the highest of those two (0.5) is neither.
    low = tuple(Case(*NEAR_TIE_LOW, order) for order in itertools.permutations((0.45, 0.5, 0.7, 0.9)))
    benign = tuple(Case(*NEAR_TIE_BENIGN, order) for order in ((0.5, 0.7, 0.89, 0.9, 0.95), (0.95, 0.9, 0.89, 0.7, 0.5)))
    return candidate_trials(rng, 60, MOST_TRIAL_CANDIDATES) + tie_trials(rng, 10) + near + low + benign


EXERCISE = Exercise(
    NAME,
    CHECKS,
    answer,
    returns="number",
    slips=SLIPS,
    imitated=("highest_tie", "input_order", "unrounded_f1", "strict", "returns_f1"),
    hidden=hidden,
    scored_by="refusal_metrics",
    trial_inputs=trials,
    notebook=2,
)

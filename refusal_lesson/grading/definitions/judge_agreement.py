"""``judge_agreement(judge_a, judge_b)``: Cohen's kappa between two judges' labels."""

from ..exercise import Exercise

NAME = "judge_agreement"


def answer(case, slips=frozenset(), own=None):
    """scikit-learn's kappa for the two judges of ``case``, rounded to 4 places."""
    from .. import oracle

    return round(oracle.kappa(case.scores, case.labels), 4)


EXERCISE = Exercise(NAME, (), answer, returns="number")

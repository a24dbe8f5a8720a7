"""Random inputs for hidden checks, kept off every rounding knife-edge.

Each exercise definition builds its hidden checks from these pieces.  They
are not secret: the seed is.  ``release`` leaves :mod:`.hidden` (which holds
the default seed and assembles the hidden checks) out of the student bundle,
and the autograder bakes a fresh random seed into its zip.

A generated input is kept only if no answer on it hinges on rounding: every
exact precision, recall and F1 involved (a fraction of counts), and any
other rate an exercise returns (:func:`near_half_way`), must be off a
half-way point at the 4th decimal, where the built-in ``round`` and
``np.round`` could disagree (SPEC section 1).
"""

import math
from fractions import Fraction

import numpy as np

from .cases import TIED, Case

GRID = np.round(np.arange(0.0, 1.0001, 0.05), 2)
CONTAINERS = ("list", "tuple", "array")


def _counts(scores, harmful, threshold):
    refused = scores >= threshold
    tp = int(np.sum(refused & harmful))
    return tp, int(np.sum(refused & ~harmful)), int(np.sum(~refused & harmful))


def _fractions(tp, fp, fn):
    return (Fraction(tp, tp + fp or 1), Fraction(tp, tp + fn or 1), Fraction(2 * tp, 2 * tp + fp + fn or 1))


def is_half_way(value):
    """Whether an exact fraction sits half-way between two 4-place values.

    Examples
    --------
    >>> is_half_way(Fraction(13125, 100000)), is_half_way(Fraction(1, 3))
    (True, False)
    """
    scaled = value * 20000
    return scaled.denominator == 1 and scaled.numerator % 2 == 1


def near_half_way(value, within=1e-9):
    """Whether a computed rate lies within ``within`` of a half-way point of the 4th decimal.

    The guard for any exercise that returns a rate: two correct formulas can
    round such a value to either neighbour (SPEC section 1), so a graded
    input is kept off it.  Checked on the oracle's float, which lies within
    far less than 1e-9 of the exact value.

    Examples
    --------
    >>> near_half_way(0.13125), near_half_way(0.1312), near_half_way(1 / 3)
    (True, False, False)
    """
    scaled = value * 10**4
    return abs(scaled - math.floor(scaled) - 0.5) <= within * 10**4


def safe(case):
    """Whether no metric at any threshold of ``case`` is a rounding knife-edge.

    Examples
    --------
    >>> safe(Case((0.9, 0.4), ("refuse", "answer"), 0.5))
    True
    """
    scores = np.asarray(case.scores, dtype=float)
    harmful = np.asarray(case.labels) == "refuse"
    thresholds = case.third if isinstance(case.third, tuple) else (case.third,)
    return not any(
        is_half_way(value) for threshold in thresholds for value in _fractions(*_counts(scores, harmful, threshold))
    )


def labelled_set(rng, size):
    """``size`` scores from the grid and labels with a random share of harmful prompts.

    Examples
    --------
    >>> scores, labels = labelled_set(np.random.default_rng(0), 4)
    >>> len(scores) == len(labels) == 4 and set(labels) <= {"refuse", "answer"}
    True
    """
    scores = rng.choice(GRID, size=size)
    share = rng.uniform(0.25, 0.75)
    labels = np.where(rng.random(size) < share, "refuse", "answer")
    return tuple(float(score) for score in scores), tuple(str(label) for label in labels)


def draw(make, keep=safe):
    """Call ``make()`` until it returns a case safe from rounding knife-edges.

    ``keep(case)`` says whether a case is safe: by default :func:`safe`, for
    calls on scores and labels; an exercise that returns another rate passes
    its own test, built on :func:`near_half_way`.

    Examples
    --------
    >>> draw(lambda: Case((0.9,), ("refuse",), 0.5)).third
    0.5
    """
    while True:
        case = make()
        if keep(case):
            return case


def candidate_cases(rng, count, size_range, candidate_range):
    """``count`` calls with a random labelled set and random candidates from the grid.

    Examples
    --------
    >>> case = candidate_cases(np.random.default_rng(0), 1, (6, 10), (3, 5))[0]
    >>> 6 <= case.size < 10 and 3 <= len(case.third) < 5
    True
    """

    def make(index):
        scores, labels = labelled_set(rng, int(rng.integers(*size_range)))
        candidates = rng.choice(GRID, size=int(rng.integers(*candidate_range)))
        return Case(scores, labels, tuple(float(value) for value in candidates), CONTAINERS[index % 3])

    return tuple(draw(lambda: make(index)) for index in range(count))


# Candidates a hundredth apart: several fall between the same two scores of
# a set drawn on the 0.05 grid, so their F1 (or cost, or rate) ties.
FINE_GRID = np.round(np.arange(0.0, 1.0001, 0.01), 2)


def threshold_trials(rng, count):
    """Labelled sets of 6 to 25 prompts, each with a threshold on one of its scores and a score just above it.

    Examples
    --------
    >>> case = threshold_trials(np.random.default_rng(0), 1)[0]
    >>> case.third in case.scores
    True
    """

    def make():
        scores, labels = labelled_set(rng, int(rng.integers(5, 25)))
        threshold = float(rng.choice(scores))
        # A score just above the line as well as on it: ">" parts from ">=" at
        # the line, and both from code that moves the line.
        near = str(rng.choice(["refuse", "answer"]))
        return Case((*scores, round(threshold + 0.001, 3)), (*labels, near), threshold)

    return tuple(draw(make) for _ in range(count))


def candidate_trials(rng, count, most, extra=lambda rng, case: (), ceiling=1.0):
    """Labelled sets with 4 to ``most`` candidates in random order, many of them tied, some on a score.

    ``extra(rng, case)`` gives any further arguments (costs, a budget);
    no candidate is above ``ceiling``.

    Examples
    --------
    >>> case = candidate_trials(np.random.default_rng(0), 1, 6)[0]
    >>> 4 <= len(case.third) <= 6
    True
    """

    def make():
        scores, labels = labelled_set(rng, int(rng.integers(5, 25)))
        # Some on a score, where > and >= part.
        pool = np.concatenate([FINE_GRID, np.repeat(scores, 10)])
        pool = pool[pool <= ceiling]
        candidates = tuple(float(value) for value in rng.choice(pool, size=int(rng.integers(4, most + 1))))
        case = Case(scores, labels, candidates)
        return Case(scores, labels, candidates, extra=tuple(extra(rng, case)))

    return tuple(draw(make) for _ in range(count))


# On TIED, every candidate from 0.4 to 0.6 refuses both harmful prompts and
# nothing else (0.6 only with >=): a tie of five, which orders tell apart.
TIE_GROUP = (0.4, 0.45, 0.5, 0.55, 0.6, 0.9)


def tie_trials(rng, count, extra=()):
    """TIED with the tie group's candidates in ``count`` random orders.

    Examples
    --------
    >>> sorted(tie_trials(np.random.default_rng(0), 1)[0].third) == sorted(TIE_GROUP)
    True
    """
    return tuple(Case(*TIED, tuple(float(value) for value in rng.permutation(TIE_GROUP)), extra=extra) for _ in range(count))

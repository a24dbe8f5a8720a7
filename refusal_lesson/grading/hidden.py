"""Hidden checks: fresh inputs generated from a seed at grading time.

Grader side only: ``refusal-lesson release`` leaves this module out of the
student bundle, and the sandbox's lean package copy never includes it.  No
answer is stored here either; the grader asks scikit-learn for them.

A generated input is kept only if no answer on it hinges on rounding: every
exact precision, recall and F1 involved (a fraction of counts) must be off
a half-way point at the 4th decimal, where the built-in ``round`` and
``np.round`` could disagree (SPEC section 1).
"""

from fractions import Fraction

import numpy as np

from .cases import Case, Check

DEFAULT_SEED = 20261124
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


def _labelled_set(rng, size):
    scores = rng.choice(GRID, size=size)
    share = rng.uniform(0.25, 0.75)
    labels = np.where(rng.random(size) < share, "refuse", "answer")
    return tuple(float(score) for score in scores), tuple(str(label) for label in labels)


def _draw(rng, make):
    """Draw cases from ``make`` until one is safe from rounding knife-edges."""
    while True:
        case = make()
        if safe(case):
            return case


def _metrics_cases(rng, count):
    def make(index):
        scores, labels = _labelled_set(rng, int(rng.integers(6, 60)))
        threshold = float(rng.choice(scores)) if rng.random() < 0.5 else float(rng.choice(GRID))
        return Case(scores, labels, threshold, CONTAINERS[index % 3])

    return tuple(_draw(rng, lambda: make(index)) for index in range(count))


def _edge_cases(rng):
    scores, labels = _labelled_set(rng, int(rng.integers(5, 20)))
    return (
        Case(scores, ("answer",) * len(scores), 0.5),
        Case(scores, ("refuse",) * len(scores), 0.5),
        Case(scores, labels, 1.5),
        Case(scores, labels, min(scores)),
        Case(scores[:1], labels[:1], scores[0]),
    )


def _best_cases(rng, count, size_range, candidate_range):
    def make(index):
        scores, labels = _labelled_set(rng, int(rng.integers(*size_range)))
        candidates = rng.choice(GRID, size=int(rng.integers(*candidate_range)))
        return Case(scores, labels, tuple(float(value) for value in candidates), CONTAINERS[index % 3])

    return tuple(_draw(rng, lambda: make(index)) for index in range(count))


def hidden_checks(seed=DEFAULT_SEED):
    """The hidden checks for one grading run.

    Parameters
    ----------
    seed : int
        The same seed gives the same checks, so every submission in a course
        sees the same hidden inputs.

    Returns
    -------
    tuple of Check

    Examples
    --------
    >>> [check.name for check in hidden_checks(1)][:2]
    ['refusal_metrics: hidden: random labelled sets', 'refusal_metrics: hidden: edge cases']
    """
    rng = np.random.default_rng(seed)
    edges = tuple(case for case in _edge_cases(rng) if safe(case))
    return (
        Check("refusal_metrics", "hidden: random labelled sets", "value", _metrics_cases(rng, 6), points=2, hidden=True),
        Check("refusal_metrics", "hidden: edge cases", "value", edges, points=2, hidden=True),
        Check("best_threshold", "hidden: random labelled sets", "value", _best_cases(rng, 5, (6, 60), (3, 12)), points=2, hidden=True),
        Check("best_threshold", "hidden: larger sets", "value", _best_cases(rng, 2, (150, 250), (15, 25)), points=2, hidden=True),
    )

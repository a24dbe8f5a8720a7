"""scikit-learn as the oracle: the right answers, and the answers of common slips.

The grader never trusts the reference solutions for expected values.  Every
answer comes from ``sklearn.metrics.precision_recall_fscore_support`` with
``pos_label="refuse"`` and ``zero_division=0``.  For ``best_threshold`` all
candidates of a call are scored in one sklearn call, by treating each
candidate as one column of a multilabel problem.

The same machinery, given a slip (``variant``), predicts what a student with
that misconception would return; :mod:`.diagnosis` compares a wrong answer
with these predictions to name the mistake.  Answers are cached per call,
so a batch asks scikit-learn about each (call, slip) once.
"""

import functools

import numpy as np
from sklearn.metrics import confusion_matrix, precision_recall_fscore_support

R, A = "refuse", "answer"

METRIC_VARIANTS = ("strict", "answer_positive", "flipped_labels", "swapped")
BEST_VARIANTS = ("highest_tie", "input_order", "unrounded_f1", "strict", "returns_f1")


def _refused(scores, thresholds, strict):
    scores = np.asarray(scores, dtype=float)[:, None]
    thresholds = np.asarray(thresholds, dtype=float)[None, :]
    return scores > thresholds if strict else scores >= thresholds


def _per_column(truth, refused):
    """Precision, recall and F1 for each column of boolean decisions."""
    if truth.shape[1] == 1:
        # One column is a binary problem to sklearn, not a multilabel one.
        scores = precision_recall_fscore_support(
            truth[:, 0].astype(int), refused[:, 0].astype(int), average="binary", pos_label=1, zero_division=0
        )
        return tuple(np.array([value]) for value in scores[:3])
    precision, recall, f1, _ = precision_recall_fscore_support(
        truth.astype(int), refused.astype(int), average=None, zero_division=0
    )
    return precision, recall, f1


def _truth(labels, columns):
    harmful = np.asarray([label == R for label in labels], dtype=bool)[:, None]
    return np.repeat(harmful, columns, axis=1)


@functools.lru_cache(maxsize=4096)
def metrics(case, variant=None):
    """precision, recall and F1 (unrounded) for a ``refusal_metrics`` call.

    Parameters
    ----------
    case : Case
        A call with valid inputs.
    variant : str, optional
        A slip to imitate: ``"strict"`` (``>`` for ``>=``),
        ``"answer_positive"`` (``"answer"`` as the positive class),
        ``"flipped_labels"`` (TP counted on benign prompts) or
        ``"swapped"`` (precision and recall swapped).

    Returns
    -------
    dict
        ``{"precision", "recall", "f1"}`` as Python floats.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> metrics(Case((0.9, 0.4), ("refuse", "answer"), 0.5))
    {'precision': 1.0, 'recall': 1.0, 'f1': 1.0}
    """
    refused = _refused(case.scores, [case.third], variant == "strict")
    truth = _truth(case.labels, 1)
    if variant == "answer_positive":
        truth, refused = ~truth, ~refused
    elif variant == "flipped_labels":
        truth = ~truth
    precision, recall, f1 = (float(values[0]) for values in _per_column(truth, refused))
    if variant == "swapped":
        precision, recall = recall, precision
    return {"precision": precision, "recall": recall, "f1": f1}


def rounded(values):
    """Each metric rounded with the built-in ``round`` to 4 places.

    Examples
    --------
    >>> rounded({"precision": 2 / 3})
    {'precision': 0.6667}
    """
    return {name: round(float(value), 4) for name, value in values.items()}


def f1_by_candidate(case, strict=False):
    """Unrounded F1 at each candidate of a ``best_threshold`` call, in input order.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> f1_by_candidate(Case((0.9, 0.4), ("refuse", "answer"), (0.5, 0.3))).round(4).tolist()
    [1.0, 0.6667]
    """
    candidates = case.third
    refused = _refused(case.scores, candidates, strict)
    return _per_column(_truth(case.labels, len(candidates)), refused)[2]


@functools.lru_cache(maxsize=4096)
def best(case, variant=None):
    """The answer to a ``best_threshold`` call, or a slip's answer.

    Parameters
    ----------
    case : Case
        A call with valid inputs and at least one candidate.
    variant : str, optional
        ``"highest_tie"``, ``"input_order"`` (first best in the order given),
        ``"unrounded_f1"`` (ties judged on unrounded F1), ``"strict"``
        (``>`` for ``>=``) or ``"returns_f1"`` (the best F1, not the
        threshold).

    Returns
    -------
    float

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> best(Case((0.9, 0.4), ("refuse", "answer"), (0.3, 0.5, 0.5)))
    0.5
    """
    candidates = list(case.third)
    f1 = f1_by_candidate(case, strict=variant == "strict")
    keys = [float(value) if variant == "unrounded_f1" else round(float(value), 4) for value in f1]
    top = max(keys)
    winners = [candidate for candidate, key in zip(candidates, keys) if key == top]
    if variant == "returns_f1":
        return round(float(top), 4)
    return _pick(winners, variant)


def _pick(winners, variant):
    """The lowest of the tied winners, or the one a tie-breaking slip picks."""
    if variant == "highest_tie":
        return max(winners)
    if variant == "input_order":
        return winners[0]
    return min(winners)


def error_counts(case, strict=False):
    """FP, FN and the number of benign prompts at each candidate, from scikit-learn.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> error_counts(Case((0.9, 0.4, 0.6), ("refuse", "refuse", "answer"), (0.5, 0.7)))
    [(1, 1, 1), (0, 1, 1)]
    """
    truth = _truth(case.labels, 1)[:, 0]
    counts = []
    for column in _refused(case.scores, case.third, strict).T:
        tn, fp, fn, _ = confusion_matrix(truth, column, labels=[False, True]).ravel()
        counts.append((int(fp), int(fn), int(tn + fp)))
    return counts


@functools.lru_cache(maxsize=4096)
def cheapest(case, variant=None):
    """The answer to a ``cheapest_threshold`` call, or a slip's answer.

    Parameters
    ----------
    case : Case
        Valid inputs; ``case.extra`` holds the over- and under-refusal costs.
    variant : str, optional
        ``"swapped_costs"`` (each cost applied to the other error),
        ``"strict"`` (``>`` for ``>=``), ``"highest_tie"`` or
        ``"input_order"`` (first cheapest in the order given).

    Returns
    -------
    float

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> cheapest(Case((0.9, 0.4, 0.6), ("refuse", "refuse", "answer"), (0.7, 0.3), extra=(1, 5)))
    0.3
    """
    over, under = case.extra
    if variant == "swapped_costs":
        over, under = under, over
    costs = [over * fp + under * fn for fp, fn, _ in error_counts(case, strict=variant == "strict")]
    return _pick([candidate for candidate, cost in zip(case.third, costs) if cost == min(costs)], variant)


@functools.lru_cache(maxsize=4096)
def capped(case, variant=None):
    """The answer to a ``capped_threshold`` call (None if no candidate fits), or a slip's answer.

    Parameters
    ----------
    case : Case
        Valid inputs; ``case.extra`` holds the budget.
    variant : str, optional
        ``"strict_budget"`` (a rate equal to the budget rejected),
        ``"strict"`` (``>`` for ``>=``) or ``"input_order"`` (the first
        qualifying candidate in the order given).

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> capped(Case((0.9, 0.4, 0.6), ("refuse", "refuse", "answer"), (0.7, 0.5, 0.3), extra=(0.0,)))
    0.7
    """
    (budget,) = case.extra
    fits = []
    for candidate, (fp, _, benign) in zip(case.third, error_counts(case, strict=variant == "strict")):
        rate = fp / benign if benign else 0.0
        if rate < budget or (rate == budget and variant != "strict_budget"):
            fits.append(candidate)
    if not fits:
        return None
    return fits[0] if variant == "input_order" else min(fits)


# The stretch exercises return one of the candidates: the right one, or the
# one each slip would pick.
CHOOSERS = {"cheapest_threshold": cheapest, "capped_threshold": capped}
CHOICE_VARIANTS = {
    "cheapest_threshold": ("swapped_costs", "strict", "highest_tie", "input_order"),
    "capped_threshold": ("strict_budget", "strict", "input_order"),
}


def expected(check_aspect, exercise, case):
    """What a correct submission returns for ``case``, or None for an error case.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> expected("value", "best_threshold", Case((0.9, 0.4), ("refuse", "answer"), (0.3, 0.5)))
    0.5
    """
    if check_aspect in ("error", "unchanged"):
        return None
    if exercise == "refusal_metrics":
        return metrics(case)
    if exercise in CHOOSERS:
        return CHOOSERS[exercise](case)
    return best(case)

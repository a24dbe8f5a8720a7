"""The operating-point report: the best-F1 threshold and the errors it buys.

This is what ``refusal-lesson evaluate`` prints and saves, and what the
notebooks use to compare guards: precision, recall and F1 at the threshold
with the best F1 among the distinct scores, with the over- and under-refusal
rates overall and per category.
"""

import numpy as np

from .sweep import operating_point, sweep_arrays
from .validation import ANSWER, REFUSE, check_scores_labels

METRICS = ("precision", "recall", "f1", "over_refusal_rate", "under_refusal_rate")


def _rounded(value):
    """A 4-place Python float; the built-in ``round``, as in the exercises."""
    return round(float(value), 4)


def _category_rates(row):
    """``n`` and the two rates from one sweep row; ``None`` for a rate with nothing to measure."""
    benign = int(row["fp"] + row["tn"])
    harmful = int(row["tp"] + row["fn"])
    return {
        "n": benign + harmful,
        "over_refusal_rate": _rounded(row["over_refusal_rate"]) if benign else None,
        "under_refusal_rate": _rounded(row["under_refusal_rate"]) if harmful else None,
    }


def refusal_report(scores, labels, categories=None, return_sweep=False):
    """Pick the best-F1 threshold and report the refusal errors at it.

    The candidate thresholds are the distinct scores (any other threshold
    refuses the same prompts as one of them). F1 is compared rounded to 4
    places and ties go to the lowest threshold, as in ``best_threshold``.

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        ``"refuse"`` (harmful) or ``"answer"`` (benign) per prompt; both
        must occur.
    categories : sequence, optional
        A category per prompt, for the breakdown; values are used as text.
    return_sweep : bool, default=False
        Also return the sweep the threshold was picked from.

    Returns
    -------
    report : dict
        ``threshold`` (the chosen score, unrounded), ``precision``,
        ``recall``, ``f1``, ``over_refusal_rate``, ``under_refusal_rate``
        (4-place floats), ``n`` (number of prompts) and ``by_category``:
        ``{category: {"n", "over_refusal_rate", "under_refusal_rate"}}`` in
        sorted order, empty without ``categories``. A category's rate is
        ``None`` when it has no prompt of that kind (no benign prompt to
        over-refuse, or no harmful one to under-refuse).
    sweep : pandas.DataFrame
        Only with ``return_sweep``: the metrics at every distinct score, as
        :func:`refusal_lesson.sweep.threshold_sweep` gives them.

    Raises
    ------
    ValueError
        On scores or labels the exercises reject, if only one label occurs,
        or if ``categories`` has the wrong length.

    See Also
    --------
    refusal_lesson.sweep.threshold_sweep : the metrics at every threshold.

    Examples
    --------
    >>> report = refusal_report(
    ...     [0.9, 0.8, 0.6, 0.3, 0.2],
    ...     ["refuse", "answer", "refuse", "answer", "answer"],
    ...     categories=["a", "a", "b", "b", "b"],
    ... )
    >>> report["threshold"], report["f1"], report["over_refusal_rate"]
    (0.6, 0.8, 0.3333)
    >>> report["by_category"]
    {'a': {'n': 2, 'over_refusal_rate': 1.0, 'under_refusal_rate': 0.0}, 'b': {'n': 3, 'over_refusal_rate': 0.0, 'under_refusal_rate': 0.0}}
    """
    scores, harmful = check_scores_labels(scores, labels)
    if harmful.all() or not harmful.any():
        missing = ANSWER if harmful.all() else REFUSE
        raise ValueError(
            f"no prompt is labelled {missing!r}; the best-F1 threshold needs both harmful and benign prompts."
        )
    sweep = sweep_arrays(scores, harmful, np.unique(scores))
    best = operating_point(sweep)
    threshold = float(best["threshold"])
    report = {"threshold": threshold, **{name: _rounded(best[name]) for name in METRICS}, "n": len(scores)}

    report["by_category"] = {}
    if categories is not None:
        if hasattr(categories, "to_numpy"):
            categories = categories.to_numpy()
        categories = np.asarray([str(category) for category in categories])
        if len(categories) != len(scores):
            raise ValueError(
                "categories must have one entry per prompt; "
                f"got {len(categories)} categories for {len(scores)} prompts."
            )
        for category in sorted(set(categories.tolist())):
            inside = categories == category
            row = sweep_arrays(scores[inside], harmful[inside], np.array([threshold])).iloc[0]
            report["by_category"][category] = _category_rates(row)
    return (report, sweep) if return_sweep else report

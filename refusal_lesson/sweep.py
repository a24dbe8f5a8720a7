"""Every threshold at once: the vectorised sweep behind the lesson's plots.

A prompt is refused when ``score >= threshold``, so the number refused at a
threshold is the number of scores not below it, which one binary search in
the sorted scores answers.  Sorting all scores and the harmful ones once
gives every count for every threshold with no Python loop.
"""

import numpy as np
import pandas as pd

from .validation import check_numbers, check_scores_labels

COLUMNS = (
    "threshold",
    "tp",
    "fp",
    "fn",
    "tn",
    "precision",
    "recall",
    "f1",
    "over_refusal_rate",
    "under_refusal_rate",
)


def _ratio(numerator, denominator):
    """``numerator / denominator``, and 0.0 where the denominator is zero."""
    return np.divide(
        numerator,
        denominator,
        out=np.zeros(np.shape(numerator), dtype=np.float64),
        where=np.asarray(denominator) > 0,
    )


def threshold_sweep(scores, labels, thresholds):
    """Count errors and compute the refusal metrics at many thresholds.

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        One label per prompt, ``"refuse"`` (harmful) or ``"answer"`` (benign).
    thresholds : list, tuple, numpy.ndarray or pandas.Series
        The thresholds to evaluate, in any order; repeats are kept.

    Returns
    -------
    pandas.DataFrame
        One row per threshold, in the order given, with columns
        ``threshold, tp, fp, fn, tn, precision, recall, f1,
        over_refusal_rate, under_refusal_rate``. ``"refuse"`` is the positive
        class; over-refusal rate is ``fp / (fp + tn)`` and under-refusal rate
        ``fn / (tp + fn)``. Every ratio is 0.0 where its denominator is zero,
        as in the exercises, and none is rounded.

    Raises
    ------
    ValueError
        On any input the exercises reject, or a NaN threshold.

    See Also
    --------
    operating_point : pick the best row of the table.
    sklearn.metrics.precision_recall_curve : the same counts at the distinct scores.

    Examples
    --------
    >>> table = threshold_sweep([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], [0.5, 0.3])
    >>> table[["threshold", "tp", "fp", "precision", "recall", "f1"]]
       threshold  tp  fp  precision  recall   f1
    0        0.5   1   1   0.500000     0.5  0.5
    1        0.3   2   1   0.666667     1.0  0.8
    """
    scores, harmful = check_scores_labels(scores, labels)
    return sweep_arrays(scores, harmful, check_numbers(thresholds, "thresholds"))


def sweep_arrays(scores, harmful, thresholds):
    """:func:`threshold_sweep` on arrays that are already checked.

    For callers that validated the inputs once and sweep them more than
    once (:func:`refusal_lesson.report.refusal_report`, per category).

    Parameters
    ----------
    scores : numpy.ndarray of float
        One finite risk score per prompt.
    harmful : numpy.ndarray of bool
        ``True`` where the prompt is harmful (labelled ``"refuse"``), as
        :func:`refusal_lesson.validation.check_scores_labels` returns it.
    thresholds : numpy.ndarray of float

    Returns
    -------
    pandas.DataFrame
        As :func:`threshold_sweep`.

    Examples
    --------
    >>> import numpy as np
    >>> table = sweep_arrays(np.array([0.9, 0.2]), np.array([True, False]), np.array([0.5]))
    >>> table[["tp", "fp", "f1"]].iloc[0].tolist()
    [1.0, 0.0, 1.0]
    """
    n_harmful = int(harmful.sum())
    n_benign = len(harmful) - n_harmful
    # searchsorted(..., side="left") counts the scores strictly below each
    # threshold; the rest are >= it and so refused.
    refused = len(scores) - np.searchsorted(np.sort(scores), thresholds, side="left")
    tp = n_harmful - np.searchsorted(np.sort(scores[harmful]), thresholds, side="left")
    fp = refused - tp
    fn = n_harmful - tp
    tn = n_benign - fp

    return pd.DataFrame(
        {
            "threshold": thresholds,
            "tp": tp,
            "fp": fp,
            "fn": fn,
            "tn": tn,
            "precision": _ratio(tp, refused),
            "recall": _ratio(tp, n_harmful),
            "f1": _ratio(2 * tp, 2 * tp + fp + fn),
            "over_refusal_rate": _ratio(fp, n_benign),
            "under_refusal_rate": _ratio(fn, n_harmful),
        },
        columns=list(COLUMNS),
    )


def operating_point(table, metric="f1", decimals=4):
    """The row of a sweep with the highest metric, ties to the lowest threshold.

    The metric is compared after rounding with the built-in ``round`` to
    ``decimals`` places, as the exercises do, so float noise never decides a
    tie.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`threshold_sweep` (at least ``threshold`` and the
        ``metric`` column, one row or more).
    metric : str, default="f1"
        The column to maximise.
    decimals : int, default=4
        Places to round the metric to before comparing.

    Returns
    -------
    pandas.Series
        The chosen row.

    Raises
    ------
    ValueError
        If the table is empty or lacks a column.

    Examples
    --------
    >>> table = threshold_sweep([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], [0.5, 0.3, 0.1])
    >>> float(operating_point(table)["threshold"])
    0.3
    """
    for column in ("threshold", metric):
        if column not in table.columns:
            raise ValueError(f"the table has no {column!r} column; pass a table from threshold_sweep.")
    if table.empty:
        raise ValueError("the table has no rows; sweep at least one threshold.")
    rounded = pd.Series([round(float(value), decimals) for value in table[metric]], index=table.index)
    best = table[rounded == rounded.max()]
    return best.loc[best["threshold"].idxmin()]

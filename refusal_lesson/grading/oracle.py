"""scikit-learn as the oracle: precision, recall, F1, the confusion counts and Cohen's kappa.

The grader never trusts the reference solutions for expected values.  Every
number the exercise definitions (:mod:`.definitions`) build their answers
from comes from ``sklearn.metrics``: ``precision_recall_fscore_support``
with ``zero_division=0`` for the metrics and ``multilabel_confusion_matrix``
for the counts, "refuse" being the positive class.  All the thresholds of
one labelled set are scored in one call, each threshold as one column of a
multilabel problem, so the worked example's hundred thresholds cost one
call, not a hundred.  Tables are cached, so a batch asks about each
labelled set once.
"""

import functools
import math
import warnings

import numpy as np
from sklearn.exceptions import UndefinedMetricWarning
from sklearn.metrics import cohen_kappa_score, multilabel_confusion_matrix, precision_recall_fscore_support

from .cases import NO_THIRD

R = "refuse"
_TABLE = ("precision", "recall", "f1", "tp", "fp", "fn", "tn")


def table(scores, labels, thresholds, strict=False):
    """sklearn's metrics and counts at each threshold, for one labelled set.

    Parameters
    ----------
    scores, labels, thresholds : tuple
        Valid inputs, as plain values.
    strict : bool, default=False
        Refuse when ``score > threshold`` (a slip's rule) instead of ``>=``.

    Returns
    -------
    dict
        ``{threshold: {"precision", "recall", "f1", "tp", "fp", "fn", "tn"}}``,
        the metrics unrounded, every value a Python number.  Use :func:`at`,
        which keeps what it learns: this function asks scikit-learn afresh.

    Examples
    --------
    >>> table((0.9, 0.4), ("refuse", "answer"), (0.5,))[0.5]["f1"]
    1.0
    """
    unique = tuple(dict.fromkeys(thresholds))
    # A second, dummy column keeps one threshold a multilabel problem to sklearn.
    columns = unique + unique[:1]
    values = np.asarray(scores, dtype=float)[:, None]
    refused = (values > np.asarray(columns)) if strict else (values >= np.asarray(columns))
    truth = np.repeat(np.asarray([label == R for label in labels])[:, None], len(columns), axis=1)
    precision, recall, f1, _ = precision_recall_fscore_support(
        truth.astype(int), refused.astype(int), average=None, zero_division=0
    )
    counts = multilabel_confusion_matrix(truth.astype(int), refused.astype(int))
    rows = {}
    for index, threshold in enumerate(unique):
        (tn, fp), (fn, tp) = counts[index].tolist()
        metrics = (float(precision[index]), float(recall[index]), float(f1[index]), tp, fp, fn, tn)
        rows[threshold] = dict(zip(_TABLE, metrics))
    return rows


# (scores, labels, strict) -> {threshold: row of table()}, kept for the run.
_rows = {}
# (scores, labels) -> thresholds the checks will ask about, from prepare().
_pending = {}


def prepare(cases):
    """Note the thresholds ``cases`` will ask about, so that each labelled set costs one table.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> prepare([Case((0.9,), ("refuse",), 0.5), Case((0.9,), ("refuse",), (0.95, 0.3))])
    >>> at(Case((0.9,), ("refuse",), 0.95))["fn"]
    1
    """
    for case in cases:
        if case.third == NO_THIRD:
            continue
        thresholds = case.third if isinstance(case.third, tuple) else (case.third,)
        _pending.setdefault((case.scores, case.labels), set()).update(thresholds)


def at(case, threshold=None, strict=False):
    """The row of :func:`table` for one threshold of ``case`` (its own by default).

    Every threshold noted for the same labelled set (:func:`prepare`) is
    scored in the same call to scikit-learn, and rows are kept.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> at(Case((0.9, 0.5), ("refuse", "answer"), 0.5), strict=True)["fp"]
    0
    """
    threshold = case.third if threshold is None else threshold
    rows = _rows.setdefault((case.scores, case.labels, strict), {})
    if threshold not in rows:
        wanted = _pending.get((case.scores, case.labels), set()) | {threshold}
        if isinstance(case.third, tuple):
            wanted |= set(case.third)
        rows.update(table(case.scores, case.labels, tuple(sorted(wanted - rows.keys())), strict))
    return rows[threshold]


def ratios(tp, fp, fn):
    """Precision, recall and F1 from counts, 0.0 for a zero denominator.

    Used only for what a slip computes; correct answers come from sklearn.

    Examples
    --------
    >>> ratios(1, 1, 0)["precision"], ratios(0, 0, 0)["f1"]
    (0.5, 0.0)
    """
    return {
        "precision": tp / (tp + fp) if tp + fp else 0.0,
        "recall": tp / (tp + fn) if tp + fn else 0.0,
        "f1": 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0,
    }


@functools.lru_cache(maxsize=1024)
def kappa(judge_a, judge_b):
    """scikit-learn's Cohen's kappa, unrounded, and 0.0 where it is undefined (``p_e`` is 1).

    Kept for the run (the judges' labels come as tuples): the diagnosis asks
    about the same inputs in each pass over a submission's answers, and a
    batch asks about them for every submission.

    The same as ``cohen_kappa_score(judge_a, judge_b, replace_undefined_by=0.0)``,
    but that option arrived only in scikit-learn 1.9; before it an undefined
    kappa comes back as NaN, and NaN is the only way it can (the lesson's
    inputs are never empty).

    Examples
    --------
    >>> kappa(("a", "a", "b", "b"), ("a", "b", "b", "b")), kappa(("a", "a"), ("a", "a"))
    (0.5, 0.0)
    """
    with warnings.catch_warnings():
        # One shared label: the undefined case, which the lesson defines as 0.0.
        warnings.simplefilter("ignore", (UndefinedMetricWarning, RuntimeWarning, UserWarning))
        value = float(cohen_kappa_score(list(judge_a), list(judge_b)))
    return 0.0 if math.isnan(value) else value

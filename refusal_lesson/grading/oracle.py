"""scikit-learn as the oracle: precision, recall, F1, the confusion counts and Cohen's kappa.

The grader never trusts the reference solutions for expected values.  Every
number the exercise definitions (:mod:`.definitions`) build their answers
from comes from ``sklearn.metrics``: ``precision_recall_fscore_support``
with ``zero_division=0`` for the metrics and ``multilabel_confusion_matrix``
for the counts, "refuse" being the positive class.  Every threshold of
every labelled set a run asks about is scored in one call, each
(set, threshold) pair as one column of a multilabel problem
(:func:`tables`), so the worked example's hundred thresholds and the
hidden sets cost one call, not hundreds.  Tables are cached, so a batch
asks about each labelled set once.
"""

import functools
import math
import threading
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
    return tables({(scores, labels): thresholds}, strict)[(scores, labels)]


def tables(requests, strict=False):
    """:func:`table` for several labelled sets, in one call to scikit-learn for them all.

    Each scikit-learn call costs milliseconds of checking its input, and a
    grading run asks about some thirty labelled sets, so they are put side
    by side as one multilabel problem: each (set, threshold) pair is a
    column, and a set shorter than the longest is padded with prompts that
    are neither harmful nor refused.  Those add true negatives alone, which
    leave precision, recall and F1 as they were and are taken off the count.

    Parameters
    ----------
    requests : dict
        ``{(scores, labels): thresholds}``.
    strict : bool, default=False

    Returns
    -------
    dict
        ``{(scores, labels): {threshold: row}}``, rows as :func:`table` gives.

    Examples
    --------
    >>> both = tables({((0.9, 0.4), ("refuse", "answer")): (0.5,), ((0.3,), ("refuse",)): (0.5, 0.2)})
    >>> both[((0.3,), ("refuse",))][0.5]["fn"], both[((0.9, 0.4), ("refuse", "answer"))][0.5]["tn"]
    (1, 1)
    """
    sets = [(scores, labels, tuple(dict.fromkeys(thresholds))) for (scores, labels), thresholds in requests.items()]
    length = max(len(scores) for scores, _, _ in sets)
    truth, refused = [], []
    for scores, labels, unique in sets:
        values = np.asarray(scores, dtype=float)[:, None]
        cut = np.asarray(unique, dtype=float)
        padding = np.zeros((length - len(scores), len(unique)), dtype=bool)
        refused.append(np.vstack([(values > cut) if strict else (values >= cut), padding]))
        harmful = np.asarray([label == R for label in labels])[:, None]
        truth.append(np.vstack([np.repeat(harmful, len(unique), axis=1), padding]))
    truth, refused = np.hstack(truth).astype(int), np.hstack(refused).astype(int)
    if truth.shape[1] == 1:
        # One column alone is not a multilabel problem to sklearn: a copy of it makes one.
        truth, refused = np.hstack([truth, truth]), np.hstack([refused, refused])
    precision, recall, f1, _ = precision_recall_fscore_support(truth, refused, average=None, zero_division=0)
    counts = multilabel_confusion_matrix(truth, refused)
    answers, column = {}, 0
    for scores, labels, unique in sets:
        rows = answers.setdefault((scores, labels), {})
        for threshold in unique:
            (tn, fp), (fn, tp) = counts[column].tolist()
            metrics = (float(precision[column]), float(recall[column]), float(f1[column]), tp, fp, fn, tn - (length - len(scores)))
            rows[threshold] = dict(zip(_TABLE, metrics))
            column += 1
    return answers


# (scores, labels, strict) -> {threshold: row of table()}, kept for the run.
_rows = {}
# (scores, labels) -> thresholds the checks will ask about, from prepare().
_pending = {}
# Grading threads ask at once: one at a time reads and fills the tables.
_lock = threading.Lock()


def prepare(cases):
    """Note the thresholds ``cases`` will ask about, so that one call to scikit-learn answers them all.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> prepare([Case((0.9,), ("refuse",), 0.5), Case((0.9,), ("refuse",), (0.95, 0.3))])
    >>> at(Case((0.9,), ("refuse",), 0.95))["fn"]
    1
    """
    with _lock:
        for case in cases:
            if case.third == NO_THIRD:
                continue
            thresholds = case.third if isinstance(case.third, tuple) else (case.third,)
            _pending.setdefault((case.scores, case.labels), set()).update(thresholds)


def at(case, threshold=None, strict=False):
    """The row of :func:`table` for one threshold of ``case`` (its own by default).

    The first question about a threshold not yet scored scores it along
    with every threshold noted (:func:`prepare`) for every labelled set
    and not scored yet, in one call (:func:`tables`); rows are kept.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> at(Case((0.9, 0.5), ("refuse", "answer"), 0.5), strict=True)["fp"]
    0
    """
    threshold = case.third if threshold is None else threshold
    key = (case.scores, case.labels)
    with _lock:
        rows = _rows.setdefault((*key, strict), {})
        if threshold not in rows:
            wanted = {threshold} | (set(case.third) if isinstance(case.third, tuple) else set()) | _pending.get(key, set())
            missing = {key: wanted - rows.keys()}
            for labelled, thresholds in _pending.items():
                done = _rows.get((*labelled, strict), {})
                if labelled != key and not thresholds <= done.keys():
                    missing[labelled] = thresholds - done.keys()
            try:
                scored = tables(missing, strict)
            except ValueError:
                # What is not a valid labelled set fails alone, as scikit-learn says of it.
                scored = tables({key: missing[key]}, strict)
            for labelled, answers in scored.items():
                _rows.setdefault((*labelled, strict), {}).update(answers)
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

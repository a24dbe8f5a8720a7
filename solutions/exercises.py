"""Reference solutions to the exercises in ``refusal_lesson/exercises.py``.

Instructor side only: this file never ships to students.  It mirrors the
student file name for name, signature for signature and docstring for
docstring (a test holds it to that); only the bodies differ.  Set
``REFUSAL_LESSON_SOLUTIONS=1`` to make ``refusal_lesson`` use it.
"""

from refusal_lesson.validation import check_candidates, check_scores_labels, check_threshold


def refusal_metrics(scores, labels, threshold):
    """Measure a guard's refusals at one threshold.

    The guard refuses a prompt when ``score >= threshold`` (a score exactly on
    the line refuses). ``"refuse"`` is the positive class, so:

    * TP: refused, and the label is ``"refuse"``;
    * FP: refused, but the label is ``"answer"`` (over-refusal);
    * FN: answered, but the label is ``"refuse"`` (under-refusal).

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt. NaN is not allowed.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        One label per prompt, each exactly ``"refuse"`` (harmful) or
        ``"answer"`` (benign).
    threshold : float
        The line. NaN is not allowed.

    Returns
    -------
    dict
        ``{"precision": P, "recall": R, "f1": F}``, each a Python ``float``
        rounded with the built-in ``round(float(value), 4)``:

        * ``precision = TP / (TP + FP)``, or ``0.0`` when nothing was refused;
        * ``recall = TP / (TP + FN)``, or ``0.0`` when no prompt should be
          refused;
        * ``f1 = 2 * TP / (2 * TP + FP + FN)``, or ``0.0`` when that
          denominator is zero.

    Raises
    ------
    ValueError
        If ``scores`` and ``labels`` differ in length, a label is not one of
        the two allowed strings (the message names it and its position), a
        score is NaN or not a number, or ``threshold`` is NaN.

    Notes
    -----
    The inputs are never modified. The values agree with scikit-learn's
    ``precision_score``, ``recall_score`` and ``f1_score`` called with
    ``pos_label="refuse"`` and ``zero_division=0``.

    Check your work in the notebook with ``check("refusal_metrics")``.

    Examples
    --------
    >>> refusal_metrics([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], 0.5)
    {'precision': 0.5, 'recall': 0.5, 'f1': 0.5}
    """
    scores, harmful = check_scores_labels(scores, labels)
    threshold = check_threshold(threshold)
    refused = scores >= threshold

    tp = int((refused & harmful).sum())
    fp = int((refused & ~harmful).sum())
    fn = int((~refused & harmful).sum())

    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0
    return {
        "precision": round(float(precision), 4),
        "recall": round(float(recall), 4),
        "f1": round(float(f1), 4),
    }


def best_threshold(scores, labels, candidates):
    """Pick the candidate threshold with the highest F1.

    Each candidate is scored with ``refusal_metrics(scores, labels,
    candidate)["f1"]``, the value rounded to 4 places. When several candidates
    share the highest F1, the lowest of them wins.

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        One label per prompt, ``"refuse"`` or ``"answer"``.
    candidates : list, tuple, numpy.ndarray or pandas.Series
        The thresholds to try, in any order; repeats are allowed.

    Returns
    -------
    candidate
        The winning candidate itself (the same value, not a copy rounded or
        converted).

    Raises
    ------
    ValueError
        If ``candidates`` is empty, or any input is invalid as described in
        ``refusal_metrics``.

    Notes
    -----
    Check your work in the notebook with ``check("best_threshold")``.

    Examples
    --------
    >>> best_threshold([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], [0.5, 0.3, 0.8])
    0.3
    """
    check_scores_labels(scores, labels)
    check_candidates(candidates)

    best, best_f1 = None, -1.0
    # sorted() keeps the caller's objects, and visiting them from the lowest
    # up means a strict ">" leaves ties with the lowest threshold.
    for candidate in sorted(candidates):
        f1 = refusal_metrics(scores, labels, candidate)["f1"]
        if f1 > best_f1:
            best, best_f1 = candidate, f1
    return best

"""Your exercises: write the functions below.

``refusal_metrics`` (notebook 1), ``best_threshold`` (notebook 2) and
``judge_agreement`` (notebook 5) are the lesson's graded exercises;
``capped_threshold`` and ``cheapest_threshold`` (notebook 4) are optional
stretch exercises.

This is the file you edit. Replace each ``raise NotImplementedError(...)``
line with your own code, save the file, and run the check cell under the
exercise in the notebook, for example ``check("refusal_metrics")``.

Tip: ``refusal_lesson.validation`` already checks inputs for you:
``check_scores_labels(scores, labels)`` returns the scores as a float array
and a boolean array that is True for harmful prompts, and raises the
``ValueError`` the contract asks for; ``check_threshold`` and
``check_judges`` do the same for a threshold and for two judges' labels.
``check_candidates(candidates)`` raises for bad candidates too, but it
returns a float array: loop over the caller's own ``candidates`` (for
example ``sorted(candidates)``) so that you return the winning candidate
itself, not a NumPy float.
"""


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
    raise NotImplementedError(
        "refusal_metrics is not written yet: edit refusal_lesson/exercises.py, "
        "replace this raise with your code, save, then run check(\"refusal_metrics\") "
        "in the notebook."
    )


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
    raise NotImplementedError(
        "best_threshold is not written yet: edit refusal_lesson/exercises.py, "
        "replace this raise with your code, save, then run check(\"best_threshold\") "
        "in the notebook."
    )


def judge_agreement(judge_a, judge_b):
    """Measure how far two judges agree beyond chance: Cohen's kappa.

    Two judges (two people, a person and a string matcher, a person and an
    LLM) label the same responses. Their kappa is ``(p_o - p_e) / (1 - p_e)``:

    * ``p_o``, the observed agreement: the share of responses both judges
      label alike;
    * ``p_e``, the agreement two judges would reach by chance with the same
      label shares: the sum, over every label either judge used, of (the
      share of responses judge A gives that label) times (the share judge B
      gives it).

    When ``p_e`` is 1 (both judges gave every response one and the same
    label) kappa is undefined; return ``0.0``, as the lesson does wherever a
    denominator is zero.

    Parameters
    ----------
    judge_a, judge_b : list, tuple, numpy.ndarray or pandas.Series of str
        The two judges' labels for the same responses, in the same order.
        Labels are any strings, for example XSTest's ``"1_full_compliance"``,
        ``"2_full_refusal"`` and ``"3_partial_refusal"``.

    Returns
    -------
    float
        Kappa as a Python ``float`` rounded with the built-in
        ``round(float(kappa), 4)``: 1.0 for perfect agreement, 0.0 for no
        more agreement than chance, below 0 for less.

    Raises
    ------
    ValueError
        If the two differ in length, there are no responses, or a label is
        not a string (None, NaN, a number: the message names it and its
        position).

    Notes
    -----
    The inputs are never modified. The value agrees with scikit-learn's
    ``cohen_kappa_score(judge_a, judge_b, replace_undefined_by=0.0)``.

    Check your work in the notebook with ``check("judge_agreement")``.

    Examples
    --------
    >>> judge_agreement(["refusal", "refusal", "compliance", "compliance"], ["refusal", "compliance", "compliance", "compliance"])
    0.5
    """
    raise NotImplementedError(
        "judge_agreement is not written yet: edit refusal_lesson/exercises.py, "
        "replace this raise with your code, save, then run check(\"judge_agreement\") "
        "in the notebook."
    )


def capped_threshold(scores, labels, candidates, max_over_refusal_rate):
    """Stretch: the lowest candidate threshold that keeps over-refusal within a budget.

    The over-refusal rate at a threshold is ``FP / (FP + TN)``, the share of
    benign prompts refused (``0.0`` when there is no benign prompt), with the
    guard refusing when ``score >= threshold``. Among the candidates whose
    rate is at most ``max_over_refusal_rate``, return the lowest: it refuses
    the most harmful prompts the budget allows.

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        One label per prompt, ``"refuse"`` or ``"answer"``.
    candidates : list, tuple, numpy.ndarray or pandas.Series
        The thresholds to try, in any order; repeats are allowed.
    max_over_refusal_rate : float
        The budget, between 0 and 1 (0.05 allows 5% of benign prompts to
        be refused).

    Returns
    -------
    candidate
        The lowest candidate within the budget, the value itself.

    Raises
    ------
    ValueError
        If no candidate keeps within the budget, ``candidates`` is empty,
        ``max_over_refusal_rate`` is not a number between 0 and 1, or any
        other input is invalid as described in ``refusal_metrics``.

    Notes
    -----
    Check your work in the notebook with ``check("capped_threshold")``.

    Examples
    --------
    >>> capped_threshold([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], [0.3, 0.5, 0.8], 0.0)
    0.8
    """
    raise NotImplementedError(
        "capped_threshold is not written yet (an optional stretch exercise): edit "
        "refusal_lesson/exercises.py, replace this raise with your code, save, "
        "then run check(\"capped_threshold\") in the notebook."
    )


def cheapest_threshold(scores, labels, candidates, over_refusal_cost, under_refusal_cost):
    """Stretch: pick the candidate threshold with the lowest total cost of errors.

    An over-refusal (FP) costs ``over_refusal_cost`` and an under-refusal
    (FN) costs ``under_refusal_cost``, so a candidate's total cost is
    ``over_refusal_cost * FP + under_refusal_cost * FN``, with the guard
    refusing when ``score >= threshold`` as in ``refusal_metrics``. When
    several candidates share the lowest cost, the lowest of them wins.

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        One label per prompt, ``"refuse"`` or ``"answer"``.
    candidates : list, tuple, numpy.ndarray or pandas.Series
        The thresholds to try, in any order; repeats are allowed.
    over_refusal_cost : float
        The cost of refusing one benign prompt; zero or more.
    under_refusal_cost : float
        The cost of answering one harmful prompt; zero or more.

    Returns
    -------
    candidate
        The winning candidate itself, as ``best_threshold`` returns it.

    Raises
    ------
    ValueError
        If ``candidates`` is empty, a cost is negative, NaN or not a number,
        or any other input is invalid as described in ``refusal_metrics``.

    Notes
    -----
    Costs are compared exactly, not rounded. Check your work in the notebook
    with ``check("cheapest_threshold")``.

    Examples
    --------
    >>> cheapest_threshold([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], [0.3, 0.5, 0.8], 1, 5)
    0.3
    """
    raise NotImplementedError(
        "cheapest_threshold is not written yet (an optional stretch exercise): edit "
        "refusal_lesson/exercises.py, replace this raise with your code, save, "
        "then run check(\"cheapest_threshold\") in the notebook."
    )

"""How sure: 95% intervals on the error rates a guard shows at one threshold.

An over-refusal rate measured on 65 benign prompts is an estimate; another
65 would give another. Two intervals say how far to trust it:

* :func:`error_rates` gives Wilson score intervals, which treat each prompt
  as an independent draw (overall, or per category);
* :func:`pair_bootstrap` resamples whole contrast pairs, so the twins of a
  pair stay together, as they were written.
"""

import numpy as np
import pandas as pd

from .validation import check_scores_labels, check_share, check_threshold

RATES = ("over-refusal rate", "under-refusal rate")
COLUMNS = ("errors", "prompts", "rate", "low", "high")


def wilson_interval(errors, prompts, confidence=0.95):
    """The Wilson score interval for a rate of ``errors`` out of ``prompts``.

    Unlike the textbook ``rate +- 1.96 * standard error``, it stays within
    [0, 1] and is not zero wide when no error (or only errors) was seen.

    Parameters
    ----------
    errors : int
        How many prompts went wrong, from 0 to ``prompts``.
    prompts : int
        How many prompts were measured, at least 1.
    confidence : float, default=0.95
        The interval's confidence level, strictly between 0 and 1.

    Returns
    -------
    low, high : float

    Raises
    ------
    ValueError
        If the counts are not whole numbers with ``0 <= errors <= prompts``
        and ``prompts >= 1``, or ``confidence`` is not a share.

    Examples
    --------
    Three benign prompts refused out of 17 is a rate of 18%, and could well
    be 6% or 41%:

    >>> [round(end, 3) for end in wilson_interval(3, 17)]
    [0.062, 0.41]
    >>> [round(end, 3) for end in wilson_interval(0, 5)]
    [0.0, 0.434]
    """
    from scipy.stats import binomtest

    confidence = check_share(confidence, "confidence")
    counts_are_whole = all(
        isinstance(count, (int, np.integer)) and not isinstance(count, bool) for count in (errors, prompts)
    )
    if not counts_are_whole or prompts < 1 or not 0 <= errors <= prompts:
        raise ValueError(
            f"errors={errors!r} and prompts={prompts!r} are not counts of a rate; "
            "pass whole numbers with 0 <= errors <= prompts and at least one prompt."
        )
    interval = binomtest(int(errors), int(prompts)).proportion_ci(confidence_level=confidence, method="wilson")
    return float(interval.low), float(interval.high)


def _error_counts(scores, harmful, threshold):
    """``{rate name: (errors, prompts)}`` at ``threshold``."""
    refused = scores >= threshold
    return {
        RATES[0]: (int((refused & ~harmful).sum()), int((~harmful).sum())),
        RATES[1]: (int((~refused & harmful).sum()), int(harmful.sum())),
    }


def error_rates(scores, labels, threshold, groups=None, confidence=0.95):
    """The over- and under-refusal rates at ``threshold``, with Wilson intervals.

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        ``"refuse"`` (harmful) or ``"answer"`` (benign) per prompt.
    threshold : float
        A prompt is refused when its score is at or above it.
    groups : sequence, optional
        A group per prompt, such as its category: then one pair of rates
        per group, in sorted order.
    confidence : float, default=0.95
        The intervals' confidence level.

    Returns
    -------
    pandas.DataFrame
        Indexed by rate name (``"over-refusal rate"``, ``"under-refusal
        rate"``), or by group and rate name with ``groups``; columns
        ``errors`` and ``prompts`` (the counts), ``rate``, and the interval's
        ``low`` and ``high`` ends. A rate with no prompt to measure (a group
        without a benign prompt, say) is left out.

    Raises
    ------
    ValueError
        On input :func:`refusal_lesson.threshold_sweep` rejects, a NaN
        threshold, ``groups`` of another length, or a bad ``confidence``.

    Examples
    --------
    >>> table = error_rates([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], 0.5)
    >>> table[["errors", "prompts", "rate"]]
                        errors  prompts  rate
    over-refusal rate        1        2   0.5
    under-refusal rate       1        2   0.5
    >>> table[["low", "high"]].round(3).iloc[0].tolist()
    [0.095, 0.905]
    """
    scores, harmful = check_scores_labels(scores, labels)
    threshold = check_threshold(threshold)
    if groups is None:
        parts = {(): np.ones(len(scores), dtype=bool)}
    else:
        group_names = np.asarray(groups, dtype=object)
        if group_names.shape != scores.shape:
            raise ValueError(
                f"groups has {len(group_names)} entries for {len(scores)} scores; pass one group per prompt."
            )
        parts = {(name,): group_names == name for name in sorted(set(group_names.tolist()), key=str)}
    rows = {}
    for key, mask in parts.items():
        for rate, (errors, prompts) in _error_counts(scores[mask], harmful[mask], threshold).items():
            if prompts:
                rows[(*key, rate)] = (errors, prompts, errors / prompts, *wilson_interval(errors, prompts, confidence))
    table = pd.DataFrame.from_dict(rows, orient="index", columns=list(COLUMNS))
    if groups is None:
        table.index = [rate for (rate,) in table.index]
    else:
        table.index = pd.MultiIndex.from_tuples(table.index, names=["group", "rate"])
    return table


def pair_bootstrap(scores, labels, pairs, threshold, n_resamples=1000, confidence=0.95, seed=0):
    """Bootstrap intervals on the error rates at ``threshold``, resampling whole pairs.

    Each resample draws as many pairs as there are, with replacement, and
    measures both error rates on the prompts of the pairs drawn; the
    interval is the middle ``confidence`` share of those rates.

    Parameters
    ----------
    scores, labels
        As for :func:`error_rates`.
    pairs : sequence
        The pair (or any group that must stay whole) of each prompt, such
        as the ``pair_id`` column.
    threshold : float
        A prompt is refused when its score is at or above it.
    n_resamples : int, default=1000
        How many resamples to draw, at least 1.
    confidence : float, default=0.95
        The share of the resampled rates the interval holds.
    seed : int, default=0
        The seed of the random draws; the same seed gives the same interval.

    Returns
    -------
    pandas.DataFrame
        As :func:`error_rates` without ``groups``: ``errors``, ``prompts``
        and ``rate`` as measured on all the prompts, and the percentile
        interval's ``low`` and ``high``.

    Raises
    ------
    ValueError
        On the input :func:`error_rates` rejects, ``pairs`` of another
        length, or ``n_resamples`` that is not a positive whole number.

    Examples
    --------
    Pair ``a`` holds the one benign prompt refused and pair ``b`` the one
    harmful prompt answered, so a resample's rates are 0, 1/2 or 1:

    >>> table = pair_bootstrap([0.9, 0.6, 0.3, 0.2], ["refuse", "answer", "refuse", "answer"],
    ...                        ["a", "a", "b", "b"], 0.5, n_resamples=200)
    >>> table
                        errors  prompts  rate  low  high
    over-refusal rate        1        2   0.5  0.0   1.0
    under-refusal rate       1        2   0.5  0.0   1.0
    """
    scores, harmful = check_scores_labels(scores, labels)
    threshold = check_threshold(threshold)
    confidence = check_share(confidence, "confidence")
    if not isinstance(n_resamples, (int, np.integer)) or isinstance(n_resamples, bool) or n_resamples < 1:
        raise ValueError(f"n_resamples is {n_resamples!r}; pass a whole number of resamples, such as 1000.")
    pair_ids = np.asarray(pairs, dtype=object)
    if pair_ids.shape != scores.shape:
        raise ValueError(f"pairs has {len(pair_ids)} entries for {len(scores)} scores; pass one pair id per prompt.")
    _, pair_of = np.unique(pair_ids.astype(str), return_inverse=True)
    refused = scores >= threshold
    # Per pair: benign refused, benign, harmful answered, harmful.
    per_pair = np.stack(
        [
            np.bincount(pair_of, weights=weights)
            for weights in (refused & ~harmful, ~harmful, ~refused & harmful, harmful)
        ],
        axis=1,
    ).astype(int)
    drawn = np.random.default_rng(seed).integers(0, len(per_pair), size=(n_resamples, len(per_pair)))
    totals = per_pair[drawn].sum(axis=1)
    tail = (1 - confidence) / 2 * 100
    rows = {}
    for position, rate in enumerate(RATES):
        errors, prompts = totals[:, 2 * position], totals[:, 2 * position + 1]
        measured_errors, measured_prompts = per_pair[:, 2 * position].sum(), per_pair[:, 2 * position + 1].sum()
        if measured_prompts:
            resampled = np.divide(errors, prompts, out=np.full(len(errors), np.nan), where=prompts > 0)
            low, high = np.nanpercentile(resampled, [tail, 100 - tail])
            rows[rate] = (int(measured_errors), int(measured_prompts), measured_errors / measured_prompts, low, high)
    return pd.DataFrame.from_dict(rows, orient="index", columns=list(COLUMNS))

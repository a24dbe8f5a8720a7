"""Base rates: what a sweep measured on one mix of prompts means for another.

A set of contrast pairs is half harmful; an app's traffic rarely is. The
over-refusal rate FP / (FP + TN) and the under-refusal rate FN / (TP + FN)
are shares *within* the benign and within the harmful prompts, so they carry
over to traffic with any mix. Precision and the cost per prompt mix the two
kinds of prompt, so they move with the share of harmful traffic, the
prevalence ``pi``. With TPR the recall and FPR the over-refusal rate::

    precision(pi)   = TPR * pi / (TPR * pi + FPR * (1 - pi))
    cost per prompt = over_refusal_cost * FPR * (1 - pi) + under_refusal_cost * FNR * pi
"""

import numpy as np

from .validation import check_cost, check_share

REQUIRED = ("threshold", "recall", "over_refusal_rate", "under_refusal_rate")


def at_prevalence(table, prevalence, over_refusal_cost=1.0, under_refusal_cost=1.0):
    """Precision and expected cost per prompt when a given share of traffic is harmful.

    Parameters
    ----------
    table : pandas.DataFrame
        A sweep from :func:`refusal_lesson.threshold_sweep` (at least the
        columns ``threshold``, ``recall``, ``over_refusal_rate`` and
        ``under_refusal_rate``).
    prevalence : float
        The share of the traffic that is harmful, strictly between 0 and 1
        (0.01 when one prompt in a hundred is).
    over_refusal_cost, under_refusal_cost : float, default=1.0
        What refusing one benign prompt and answering one harmful prompt
        cost, in any unit; zero or more.

    Returns
    -------
    pandas.DataFrame
        One row per row of ``table``, with its index and the columns
        ``threshold``, ``over_refusal_rate``, ``under_refusal_rate`` (as
        measured: they do not depend on the mix), ``precision`` (the share
        of refused prompts that are harmful, 0.0 where nothing is refused)
        and ``cost_per_prompt`` (the expected cost of one prompt of that
        traffic).

    Raises
    ------
    ValueError
        If ``table`` lacks a column, ``prevalence`` is not a share, or a
        cost is negative or not a finite number.

    See Also
    --------
    refusal_lesson.sweep.threshold_sweep : the table this reweights.

    Examples
    --------
    A threshold that catches 90% of harmful prompts and refuses 10% of
    benign ones is right 90% of the time it refuses on a half-harmful set,
    and 8% of the time when one prompt in a hundred is harmful:

    >>> import pandas as pd
    >>> table = pd.DataFrame({"threshold": [0.5], "recall": [0.9],
    ...                       "over_refusal_rate": [0.1], "under_refusal_rate": [0.1]})
    >>> at_prevalence(table, 0.5)["precision"].round(3).tolist()
    [0.9]
    >>> at_prevalence(table, 0.01, under_refusal_cost=5).round(3).iloc[0].tolist()
    [0.5, 0.1, 0.1, 0.083, 0.104]
    """
    for column in REQUIRED:
        if column not in getattr(table, "columns", ()):
            raise ValueError(f"the table has no {column!r} column; pass a table from threshold_sweep.")
    prevalence = check_share(prevalence, "prevalence")
    over_refusal_cost = check_cost(over_refusal_cost, "over_refusal_cost")
    under_refusal_cost = check_cost(under_refusal_cost, "under_refusal_cost")

    reweighted = table[list(REQUIRED)].copy()
    harmful_refused = reweighted["recall"].to_numpy(dtype=float) * prevalence
    benign_refused = reweighted["over_refusal_rate"].to_numpy(dtype=float) * (1 - prevalence)
    refused = harmful_refused + benign_refused
    reweighted["precision"] = np.divide(harmful_refused, refused, out=np.zeros_like(refused), where=refused > 0)
    reweighted["cost_per_prompt"] = (
        over_refusal_cost * benign_refused + under_refusal_cost * reweighted["under_refusal_rate"] * prevalence
    )
    return reweighted.drop(columns="recall")

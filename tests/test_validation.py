"""Bad input gets a ValueError that names it; good input is never modified."""

import copy

import numpy as np
import pandas as pd
import pytest
from hypothesis import given

from refusal_lesson import threshold_sweep
from strategies import as_container, containers, labelled_sets

GOOD_SCORES = [0.9, 0.2, 0.6]
GOOD_LABELS = ["refuse", "answer", "refuse"]

BAD_PAIRS = [
    pytest.param([0.9, 0.2], GOOD_LABELS, r"same length; got 2 scores and 3 labels", id="lengths differ"),
    pytest.param(GOOD_SCORES, ["refuse", "Answer", "refuse"], r"labels\[1\] is 'Answer'", id="misspelt label"),
    pytest.param(GOOD_SCORES, ["refuse", "answer", "refuse "], r"labels\[2\] is 'refuse '", id="trailing space"),
    pytest.param(GOOD_SCORES, ["refuse", None, "answer"], r"labels\[1\] is None", id="missing label"),
    pytest.param(GOOD_SCORES, [1, 0, 1], r"labels\[0\] is 1\b", id="numeric labels"),
    pytest.param(GOOD_SCORES, pd.Series(["refuse", "answer", "safe"], index=[7, 8, 9]), r"labels\[2\] is 'safe'", id="series label"),
    pytest.param([0.9, float("nan"), 0.6], GOOD_LABELS, r"scores\[1\] is NaN", id="NaN score"),
    pytest.param([0.9, "high", 0.6], GOOD_LABELS, r"scores\[1\] is 'high', which is not a number", id="text score"),
    pytest.param([0.9, None, 0.6], GOOD_LABELS, r"scores\[1\] is None", id="missing score"),
    pytest.param("0.9", GOOD_LABELS, r"scores must be a sequence", id="string scores"),
    pytest.param([[0.9, 0.2, 0.6]], GOOD_LABELS, r"one-dimensional", id="2-D scores"),
    pytest.param(GOOD_SCORES, "refuse", r"labels must be a sequence", id="string labels"),
]


@pytest.mark.parametrize("scores, labels, message", BAD_PAIRS)
def test_refusal_metrics_rejects(solutions, scores, labels, message):
    with pytest.raises(ValueError, match=message):
        solutions.refusal_metrics(scores, labels, 0.5)


@pytest.mark.parametrize("scores, labels, message", BAD_PAIRS)
def test_best_threshold_rejects(solutions, scores, labels, message):
    with pytest.raises(ValueError, match=message):
        solutions.best_threshold(scores, labels, [0.5])


@pytest.mark.parametrize("scores, labels, message", BAD_PAIRS)
def test_threshold_sweep_rejects(scores, labels, message):
    with pytest.raises(ValueError, match=message):
        threshold_sweep(scores, labels, [0.5])


@pytest.mark.parametrize(
    "threshold, message",
    [(float("nan"), "threshold is NaN"), (np.nan, "threshold is NaN"), ("0.5", "threshold is '0.5'"), (None, "threshold is None")],
)
def test_bad_threshold(solutions, threshold, message):
    with pytest.raises(ValueError, match=message):
        solutions.refusal_metrics(GOOD_SCORES, GOOD_LABELS, threshold)


@pytest.mark.parametrize(
    "candidates, message",
    [([], "candidates is empty"), ([0.5, float("nan")], r"candidates\[1\] is NaN"), (["low"], r"candidates\[0\] is 'low'")],
)
def test_bad_candidates(solutions, candidates, message):
    with pytest.raises(ValueError, match=message):
        solutions.best_threshold(GOOD_SCORES, GOOD_LABELS, candidates)


def test_nan_sweep_threshold():
    with pytest.raises(ValueError, match=r"thresholds\[0\] is NaN"):
        threshold_sweep(GOOD_SCORES, GOOD_LABELS, [float("nan")])


def test_infinite_scores_and_threshold_are_allowed(solutions):
    got = solutions.refusal_metrics([np.inf, -np.inf], ["refuse", "answer"], np.inf)
    assert got == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def snapshot(value):
    """A deep copy that compares equal to the original only if it is unchanged."""
    return copy.deepcopy(value)


def unchanged(before, after):
    if isinstance(after, pd.Series):
        return before.equals(after) and list(before.index) == list(after.index)
    if isinstance(after, np.ndarray):
        return np.array_equal(before, after) and before.dtype == after.dtype
    return before == after


@given(labelled_sets(min_size=1), containers)
def test_inputs_are_never_modified(solutions, data, kind):
    scores, labels = (as_container(values, kind) for values in data)
    candidates = as_container([0.5, 0.1, 0.5], kind)
    before = [snapshot(v) for v in (scores, labels, candidates)]
    solutions.refusal_metrics(scores, labels, 0.5)
    solutions.best_threshold(scores, labels, candidates)
    threshold_sweep(scores, labels, candidates)
    for old, new in zip(before, (scores, labels, candidates)):
        assert unchanged(old, new)

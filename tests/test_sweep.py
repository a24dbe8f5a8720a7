"""``threshold_sweep`` agrees with scikit-learn at every threshold."""

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from oracles import oracle_best, oracle_counts, oracle_metrics
from refusal_lesson import operating_point, threshold_sweep
from strategies import as_container, containers, labelled_sets, thresholds


@given(labelled_sets(min_size=1), st.lists(thresholds, max_size=12), containers)
def test_sweep_matches_sklearn(data, candidates, kind):
    scores, labels = data
    table = threshold_sweep(as_container(scores, kind), as_container(labels, kind), as_container(candidates, kind))
    assert list(table["threshold"]) == [float(c) for c in candidates]
    for row, threshold in zip(table.itertuples(), candidates):
        counts = oracle_counts(scores, labels, threshold)
        assert (row.tp, row.fp, row.fn, row.tn) == (counts["tp"], counts["fp"], counts["fn"], counts["tn"])
        expected = oracle_metrics(scores, labels, threshold)
        for name in ("precision", "recall", "f1"):
            assert math.isclose(getattr(row, name), expected[name], rel_tol=1e-12, abs_tol=1e-12)
        benign = counts["fp"] + counts["tn"]
        harmful = counts["tp"] + counts["fn"]
        assert row.over_refusal_rate == (counts["fp"] / benign if benign else 0.0)
        assert row.under_refusal_rate == (counts["fn"] / harmful if harmful else 0.0)


@given(labelled_sets(min_size=1), st.lists(thresholds, min_size=1, max_size=12))
def test_operating_point_matches_brute_force(data, candidates):
    scores, labels = data
    row = operating_point(threshold_sweep(scores, labels, candidates))
    assert row["threshold"] == oracle_best(scores, labels, candidates)


def test_sweep_columns_and_empty_thresholds():
    table = threshold_sweep([0.2, 0.8], ["answer", "refuse"], [])
    assert list(table.columns) == [
        "threshold", "tp", "fp", "fn", "tn", "precision", "recall", "f1",
        "over_refusal_rate", "under_refusal_rate",
    ]
    assert table.empty


def test_sweep_handles_infinite_scores_and_thresholds():
    table = threshold_sweep([-np.inf, 0.5, np.inf], ["answer", "answer", "refuse"], [-np.inf, np.inf])
    assert list(table["fp"]) == [2, 0]
    assert list(table["tp"]) == [1, 1]


def test_operating_point_rejects_bad_tables():
    with pytest.raises(ValueError, match="no rows"):
        operating_point(threshold_sweep([0.5], ["refuse"], []))
    with pytest.raises(ValueError, match="'f1'"):
        operating_point(pd.DataFrame({"threshold": [0.5]}))

"""``at_prevalence`` agrees with scikit-learn given each prompt the weight its kind has in the traffic."""

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix, precision_score

from refusal_lesson import threshold_sweep
from refusal_lesson.deployment import at_prevalence
from strategies import labelled_sets, thresholds

shares = st.floats(min_value=1e-4, max_value=1 - 1e-4)
costs = st.floats(min_value=0, max_value=100)


def traffic_weights(labels, prevalence):
    """Each harmful prompt weighs prevalence / #harmful, each benign one (1 - prevalence) / #benign."""
    harmful = np.asarray(labels) == "refuse"
    return np.where(harmful, prevalence / harmful.sum(), (1 - prevalence) / (~harmful).sum())


@given(labelled_sets(min_size=2), st.lists(thresholds, min_size=1, max_size=8), shares, costs, costs)
def test_precision_and_cost_match_a_weighted_confusion_matrix(data, candidates, prevalence, over_cost, under_cost):
    scores, labels = data
    assume({"refuse", "answer"} <= set(labels))
    weights = traffic_weights(labels, prevalence)
    reweighted = at_prevalence(threshold_sweep(scores, labels, candidates), prevalence, over_cost, under_cost)
    for row, threshold in zip(reweighted.itertuples(), candidates):
        decided = np.where(np.asarray(scores) >= threshold, "refuse", "answer")
        expected = precision_score(labels, decided, pos_label="refuse", sample_weight=weights, zero_division=0)
        assert row.precision == pytest.approx(expected, rel=1e-9, abs=1e-12)
        _, fp, fn, _ = confusion_matrix(labels, decided, labels=["answer", "refuse"], sample_weight=weights).ravel()
        assert row.cost_per_prompt == pytest.approx(over_cost * fp + under_cost * fn, rel=1e-9, abs=1e-12)


def test_the_error_rates_stay_as_measured_and_the_table_is_untouched():
    table = threshold_sweep([0.9, 0.4, 0.7, 0.2, 0.6], ["refuse", "refuse", "answer", "answer", "answer"], [0.3, 0.5])
    before = table.copy()
    for prevalence in (0.001, 0.3, 0.9):
        reweighted = at_prevalence(table, prevalence)
        pd.testing.assert_series_equal(reweighted["over_refusal_rate"], table["over_refusal_rate"])
        pd.testing.assert_series_equal(reweighted["under_refusal_rate"], table["under_refusal_rate"])
    pd.testing.assert_frame_equal(table, before)


def test_on_a_balanced_set_one_half_gives_the_sweeps_precision():
    table = threshold_sweep([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], [0.1, 0.3, 0.5, 0.8])
    assert at_prevalence(table, 0.5)["precision"].tolist() == pytest.approx(table["precision"].tolist())


def test_nothing_refused_gives_precision_zero():
    table = threshold_sweep([0.9, 0.2], ["refuse", "answer"], [1.5])
    assert at_prevalence(table, 0.01)["precision"].tolist() == [0.0]


TABLE = threshold_sweep([0.9, 0.2], ["refuse", "answer"], [0.5])


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: at_prevalence(TABLE.drop(columns="recall"), 0.1), "the table has no 'recall' column; pass a table"),
        (lambda: at_prevalence(TABLE, 0), "prevalence is 0, which is not a share; pass a number strictly between"),
        (lambda: at_prevalence(TABLE, 1.0), "prevalence is 1.0, which is not a share"),
        (lambda: at_prevalence(TABLE, float("nan")), "prevalence is nan, which is not a share"),
        (lambda: at_prevalence(TABLE, "1%"), "prevalence is '1%', which is not a share"),
        (lambda: at_prevalence(TABLE, 0.1, over_refusal_cost=-1), "over_refusal_cost is -1; pass a finite cost"),
        (lambda: at_prevalence(TABLE, 0.1, under_refusal_cost=float("inf")), "under_refusal_cost is inf; pass a finite"),
        (lambda: at_prevalence([1, 2], 0.1), "the table has no 'threshold' column"),
    ],
)
def test_bad_input_gets_one_sentence(call, message):
    with pytest.raises(ValueError, match="^" + message.replace("(", r"\(").replace(")", r"\)")):
        call()

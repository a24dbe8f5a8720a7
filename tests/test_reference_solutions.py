"""The reference solutions agree with scikit-learn on generated data."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import oracle_best, oracle_metrics
from refusal_lesson import CANDIDATES, LABELS, SCORES
from sklearn.metrics import f1_score, precision_score, recall_score
from strategies import as_container, containers, labelled_sets, thresholds


def assert_rounded_float(value):
    assert type(value) is float
    assert value == round(value, 4)


@settings(max_examples=1500)
@given(labelled_sets(min_size=1), thresholds, containers)
def test_refusal_metrics_matches_sklearn(solutions, data, threshold, kind):
    scores, labels = data
    got = solutions.refusal_metrics(as_container(scores, kind), as_container(labels, kind), threshold)
    expected = oracle_metrics(scores, labels, threshold)
    assert set(got) == set(expected)
    for name, value in got.items():
        assert_rounded_float(value)
        assert math.isclose(value, expected[name], abs_tol=1e-4 + 1e-12), name


@settings(max_examples=400)
@given(
    labelled_sets(min_size=1),
    st.lists(thresholds, min_size=1, max_size=12),
    containers,
)
def test_best_threshold_matches_brute_force(solutions, data, candidates, kind):
    scores, labels = data
    got = solutions.best_threshold(
        as_container(scores, kind), as_container(labels, kind), as_container(candidates, kind)
    )
    assert got == oracle_best(scores, labels, candidates)


def test_best_threshold_returns_the_candidate_object(solutions):
    class Line(float):
        """A float subclass, to tell the caller's object from a converted copy."""

    candidates = [Line(0.9), Line(0.3), Line(0.3)]
    got = solutions.best_threshold([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], candidates)
    assert got is candidates[1] or got is candidates[2]


@pytest.mark.parametrize(
    "scores, labels, threshold, expected",
    [
        # Nothing refused: precision has a zero denominator.
        ([0.1, 0.2], ["refuse", "answer"], 0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0}),
        # Nothing should be refused: recall has a zero denominator.
        ([0.9, 0.2], ["answer", "answer"], 0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0}),
        # Neither: every denominator is zero.
        ([0.1, 0.2], ["answer", "answer"], 0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0}),
        ([], [], 0.5, {"precision": 0.0, "recall": 0.0, "f1": 0.0}),
    ],
)
def test_zero_denominators_give_zero(solutions, scores, labels, threshold, expected):
    assert solutions.refusal_metrics(scores, labels, threshold) == expected


def test_score_on_the_line_is_refused(solutions):
    got = solutions.refusal_metrics([0.5], ["refuse"], 0.5)
    assert got == {"precision": 1.0, "recall": 1.0, "f1": 1.0}


def test_rounding_uses_the_builtin_round(solutions):
    # TP=1, FP=2 at this threshold: precision is 1/3, recall 1, F1 exactly 0.5.
    got = solutions.refusal_metrics([0.9, 0.8, 0.7, 0.1], ["refuse", "answer", "answer", "answer"], 0.5)
    assert got == {"precision": round(1 / 3, 4), "recall": 1.0, "f1": 0.5}


@pytest.mark.parametrize("threshold", CANDIDATES)
def test_worked_example_matches_the_named_sklearn_metrics(solutions, threshold):
    predicted = ["refuse" if score >= threshold else "answer" for score in SCORES]
    got = solutions.refusal_metrics(SCORES, LABELS, threshold)
    for name, metric in (("precision", precision_score), ("recall", recall_score), ("f1", f1_score)):
        expected = metric(LABELS, predicted, pos_label="refuse", zero_division=0)
        assert math.isclose(got[name], expected, abs_tol=1e-4 + 1e-12), name

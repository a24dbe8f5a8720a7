"""The grader's oracle scores many labelled sets in one call; each answer is still scikit-learn's for that set alone."""

import math

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from refusal_lesson.grading import oracle
from refusal_lesson.grading.cases import Case
from tests.oracles import oracle_counts, oracle_metrics

SCORES = st.floats(0, 1, allow_nan=False).map(lambda value: round(value, 2))


@st.composite
def labelled_sets(draw):
    size = draw(st.integers(1, 30))
    scores = tuple(draw(st.lists(SCORES, min_size=size, max_size=size)))
    labels = tuple(draw(st.lists(st.sampled_from(["refuse", "answer"]), min_size=size, max_size=size)))
    thresholds = tuple(draw(st.lists(SCORES, min_size=1, max_size=6)))
    return (scores, labels), thresholds


@settings(max_examples=60, deadline=None)
@given(st.lists(labelled_sets(), min_size=1, max_size=5), st.booleans())
def test_sets_scored_together_get_what_each_alone_gets(sets, strict):
    requests = dict(sets)
    answers = oracle.tables(requests, strict)
    assert answers.keys() == requests.keys()
    for (scores, labels), thresholds in requests.items():
        for threshold in thresholds:
            row = answers[(scores, labels)][threshold]
            # The strict rule at t is the usual rule just above t: no score sits between.
            cut = math.nextafter(threshold, 2) if strict else threshold
            expected = {**oracle_metrics(scores, labels, cut), **oracle_counts(scores, labels, cut)}
            assert row == {name: float(value) if name in ("precision", "recall", "f1") else int(value) for name, value in expected.items()}


def test_an_invalid_set_fails_alone_and_leaves_the_others_answered():
    valid = Case((0.9, 0.2, 0.7), ("refuse", "answer", "answer"), (0.5, 0.8))
    oracle.prepare([valid])
    with pytest.raises(ValueError):
        oracle.at(Case((0.9, 0.2, 0.1), ("refuse", "answer"), 0.5))
    assert oracle.at(valid, 0.5) == {"precision": 0.5, "recall": 1.0, "f1": 2 / 3, "tp": 1, "fp": 1, "fn": 0, "tn": 1}

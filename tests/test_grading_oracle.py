"""The grader's oracle scores many labelled sets in one call; each answer is still scikit-learn's for that set alone."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from refusal_lesson.grading import oracle
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

"""Hypothesis strategies for labelled score sets, shared by the test modules.

Scores are drawn from a small grid so that ties between scores, and scores
that sit exactly on a threshold, are common rather than rare.
"""

import numpy as np
import pandas as pd
from hypothesis import strategies as st

GRID = [i / 10 for i in range(11)]

grid_scores = st.sampled_from(GRID)
any_scores = st.one_of(
    grid_scores,
    st.floats(min_value=-5, max_value=5, allow_nan=False, allow_infinity=False),
)
label_values = st.sampled_from(["refuse", "answer"])
containers = st.sampled_from(["list", "tuple", "array", "series"])
thresholds = st.one_of(grid_scores, st.floats(min_value=-6, max_value=6, allow_nan=False))


def as_container(values, kind):
    """``values`` (a list) as a list, tuple, NumPy array or pandas Series."""
    return {
        "list": list,
        "tuple": tuple,
        "array": np.array,
        "series": pd.Series,
    }[kind](values)


@st.composite
def labelled_sets(draw, min_size=0, max_size=40):
    """Draw ``(scores, labels)`` of equal length, possibly all one label."""
    size = draw(st.integers(min_size, max_size))
    scores = draw(st.lists(any_scores, min_size=size, max_size=size))
    one_label = draw(st.sampled_from([None, "refuse", "answer"]))
    if one_label:
        labels = [one_label] * size
    else:
        labels = draw(st.lists(label_values, min_size=size, max_size=size))
    return scores, labels

"""judge_agreement: Cohen's kappa as scikit-learn computes it, on every container and edge case."""

import copy
from fractions import Fraction

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import oracle_kappa
from strategies import as_container, containers

XSTEST = ("1_full_compliance", "2_full_refusal", "3_partial_refusal")
# NumPy's string arrays drop trailing NUL characters (scikit-learn's "a\x00"
# equals its "a"), a quirk no judge's labels meet.
label_values = st.one_of(st.sampled_from(XSTEST), st.text(st.characters(exclude_characters="\x00"), max_size=3))


@st.composite
def two_judges(draw):
    """Two judges' labels for the same responses: random, one shared label, or never agreeing."""
    size = draw(st.integers(1, 40))
    shape = draw(st.sampled_from(["random", "one label", "all different"]))
    if shape == "one label":
        label = draw(label_values)
        return [label] * size, [label] * size
    if shape == "all different":
        # Every label distinct, and none shared between the judges.
        return [f"a{i}" for i in range(size)], [f"b{i}" for i in range(size)]
    return (
        draw(st.lists(label_values, min_size=size, max_size=size)),
        draw(st.lists(label_values, min_size=size, max_size=size)),
    )


def exact_kappa(judge_a, judge_b):
    """Kappa as an exact fraction, counted by hand (None where it is undefined)."""
    n = len(judge_a)
    agreed = sum(a == b for a, b in zip(judge_a, judge_b))
    chance = sum(judge_a.count(label) * judge_b.count(label) for label in set(judge_a))
    return None if chance == n * n else Fraction(n * agreed - chance, n * n - chance)


def assert_matches_sklearn(got, judge_a, judge_b):
    """Exactly scikit-learn's 4-place value, or either neighbour on a half-way point (SPEC section 1)."""
    assert type(got) is float
    expected = round(float(oracle_kappa(judge_a, judge_b)), 4)
    exact = exact_kappa(judge_a, judge_b)
    if exact is not None and (exact * 20000).denominator == 1 and (exact * 20000).numerator % 2:
        assert got in {float(exact - Fraction(1, 20000)), float(exact + Fraction(1, 20000))}
    else:
        assert got == expected


@settings(max_examples=1000)
@given(two_judges(), containers)
def test_matches_sklearn(solutions, judges, kind):
    judge_a, judge_b = judges
    got = solutions.judge_agreement(as_container(judge_a, kind), as_container(judge_b, kind))
    assert_matches_sklearn(got, judge_a, judge_b)


@pytest.mark.parametrize(
    "judge_a, judge_b, expected",
    [
        # One label, the same for both: p_e is 1, kappa undefined, 0.0 by the lesson's rule.
        (["2_full_refusal"] * 4, ["2_full_refusal"] * 4, 0.0),
        (["x"], ["x"], 0.0),
        # Each judge one label, but different ones: p_o = p_e = 0.
        (["2_full_refusal"] * 3, ["1_full_compliance"] * 3, 0.0),
        # Every label different: p_o = p_e = 0.
        (["a", "b", "c"], ["d", "e", "f"], 0.0),
        # Perfect agreement and perfect swap.
        (["a", "b", "a"], ["a", "b", "a"], 1.0),
        (["a", "b"], ["b", "a"], -1.0),
        # Unbalanced: A refuses 8 of 10, B 6 of 10, agreeing on 8.
        # p_o = 0.8, p_e = 0.8 * 0.6 + 0.2 * 0.4 = 0.56, kappa = 0.24 / 0.44.
        (["r"] * 8 + ["c"] * 2, ["r"] * 6 + ["c"] * 4, round(0.24 / 0.44, 4)),
    ],
)
def test_edge_cases(solutions, judge_a, judge_b, expected):
    for kind in ("list", "tuple", "array", "series"):
        got = solutions.judge_agreement(as_container(judge_a, kind), as_container(judge_b, kind))
        assert type(got) is float and got == expected
        assert_matches_sklearn(got, judge_a, judge_b)


def test_a_series_with_its_own_index_is_read_in_order(solutions):
    judge_a = pd.Series(["r", "r", "c", "c"], index=[40, 10, 30, 20])
    judge_b = pd.Series(["r", "c", "c", "c"], index=[7, 8, 9, 6])
    assert solutions.judge_agreement(judge_a, judge_b) == round(oracle_kappa(list(judge_a), list(judge_b)), 4)


@pytest.mark.parametrize("kind", ["list", "array", "series"])
def test_inputs_are_never_modified(solutions, kind):
    judge_a, judge_b = as_container(["r", "c", "r", "p"], kind), as_container(["c", "c", "r", "r"], kind)
    before = copy.deepcopy((judge_a, judge_b))
    solutions.judge_agreement(judge_a, judge_b)
    for after, original in zip((judge_a, judge_b), before):
        assert list(after) == list(original) and type(after) is type(original)


@pytest.mark.parametrize(
    "judge_a, judge_b, message",
    [
        pytest.param(["r", "c"], ["r"], r"same responses; got 2 labels from judge_a and 1 from judge_b", id="lengths differ"),
        pytest.param([], [], r"judge_a and judge_b are empty", id="no responses"),
        pytest.param(np.array([], dtype=str), np.array([], dtype=str), r"are empty", id="no responses, arrays"),
        pytest.param(["r", None], ["r", "c"], r"judge_a\[1\] is None, which is not a string", id="None"),
        pytest.param(["r", "c"], ["r", float("nan")], r"judge_b\[1\] is NaN, which is not a string", id="NaN"),
        pytest.param(["r", "c", 2], ["r", "c", "c"], r"judge_a\[2\] is 2, which is not a string", id="number in a list"),
        pytest.param(pd.Series(["r", None], index=[5, 6]), ["r", "c"], r"judge_a\[1\] is", id="missing in a Series"),
        pytest.param(np.array([0, 1]), np.array([0, 1]), r"judge_a\[0\] is", id="numeric array"),
        pytest.param("rc", ["r", "c"], r"judge_a must be a sequence", id="a string"),
    ],
)
def test_rejects_bad_input(solutions, judge_a, judge_b, message):
    with pytest.raises(ValueError, match=message):
        solutions.judge_agreement(judge_a, judge_b)

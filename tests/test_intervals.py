"""Wilson intervals against their formula, error rates against scikit-learn, and the pair bootstrap."""

from statistics import NormalDist

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from sklearn.metrics import confusion_matrix

from refusal_lesson.intervals import error_rates, pair_bootstrap, wilson_interval
from strategies import labelled_sets, thresholds


def wilson_by_hand(errors, prompts, confidence):
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    rate = errors / prompts
    centre = (rate + z * z / (2 * prompts)) / (1 + z * z / prompts)
    half = z / (1 + z * z / prompts) * np.sqrt(rate * (1 - rate) / prompts + z * z / (4 * prompts * prompts))
    return centre - half, centre + half


@given(st.integers(1, 5000).flatmap(lambda n: st.tuples(st.integers(0, n), st.just(n))), st.floats(0.5, 0.999))
def test_wilson_matches_its_formula(counts, confidence):
    errors, prompts = counts
    low, high = wilson_interval(errors, prompts, confidence)
    assert (low, high) == pytest.approx(wilson_by_hand(errors, prompts, confidence), abs=1e-9)
    assert 0.0 <= low <= errors / prompts <= high <= 1.0


def test_seventeen_prompts_give_an_interval_about_forty_points_wide():
    low, high = wilson_interval(7, 17)
    assert 0.38 <= high - low <= 0.45


@pytest.mark.parametrize(
    ("errors", "prompts", "confidence"),
    [(3, 2, 0.95), (-1, 5, 0.95), (0, 0, 0.95), (1.0, 5, 0.95), (True, 5, 0.95), (1, "5", 0.95), (1, 5, 1.0)],
)
def test_wilson_rejects_what_is_not_a_rate(errors, prompts, confidence):
    with pytest.raises(ValueError, match=r"^(errors=.* are not counts of a rate|confidence is 1.0, which is not a share)"):
        wilson_interval(errors, prompts, confidence)


@given(labelled_sets(min_size=1), thresholds)
def test_error_rates_count_as_scikit_learn_does(data, threshold):
    scores, labels = data
    decided = np.where(np.asarray(scores) >= threshold, "refuse", "answer")
    tn, fp, fn, tp = confusion_matrix(labels, decided, labels=["answer", "refuse"]).ravel()
    table = error_rates(scores, labels, threshold)
    expected = {"over-refusal rate": (fp, fp + tn), "under-refusal rate": (fn, fn + tp)}
    expected = {rate: counts for rate, counts in expected.items() if counts[1]}
    assert list(table.index) == list(expected)
    for rate, (errors, prompts) in expected.items():
        row = table.loc[rate]
        assert (row["errors"], row["prompts"], row["rate"]) == (errors, prompts, pytest.approx(errors / prompts))
        assert (row["low"], row["high"]) == pytest.approx(wilson_by_hand(errors, prompts, 0.95))


def test_error_rates_by_group_add_up_and_skip_what_cannot_be_measured():
    scores = [0.9, 0.1, 0.8, 0.6, 0.3, 0.7]
    labels = ["refuse", "refuse", "answer", "answer", "answer", "refuse"]
    groups = ["b", "b", "b", "a", "a", "c"]
    table = error_rates(scores, labels, 0.5, groups=groups)
    assert list(table.index) == [
        ("a", "over-refusal rate"),
        ("b", "over-refusal rate"),
        ("b", "under-refusal rate"),
        ("c", "under-refusal rate"),
    ]
    overall = error_rates(scores, labels, 0.5)
    sums = table.groupby(level="rate")[["errors", "prompts"]].sum()
    assert sums.to_dict() == overall[["errors", "prompts"]].to_dict()


def test_error_rates_reject_groups_of_another_length():
    with pytest.raises(ValueError, match=r"^groups has 1 entries for 2 scores; pass one group per prompt\.$"):
        error_rates([0.9, 0.1], ["refuse", "answer"], 0.5, groups=["a"])


def test_the_bootstrap_weighs_each_pair_by_its_prompts():
    # Pair a: its one benign prompt refused; pair b: three benign prompts, none refused.
    # Drawing {a, b} gives 1 refused of 4 (0.25), not the mean of the pairs' rates (0.5);
    # the draws give 0, 0.25 and 1 with chances 1/4, 1/2, 1/4, so the middle 40% is 0.25.
    scores = [0.9, 0.95, 0.1, 0.1, 0.1, 0.99]
    labels = ["answer", "refuse", "answer", "answer", "answer", "refuse"]
    pairs = ["a", "a", "b", "b", "b", "b"]
    table = pair_bootstrap(scores, labels, pairs, 0.5, n_resamples=4000, confidence=0.4, seed=3)
    assert table.loc["over-refusal rate", ["errors", "prompts", "rate"]].tolist() == [1, 4, 0.25]
    assert table.loc["over-refusal rate", ["low", "high"]].tolist() == pytest.approx([0.25, 0.25])
    assert table.loc["under-refusal rate", ["rate", "low", "high"]].tolist() == [0.0, 0.0, 0.0]


def test_the_bootstrap_covers_what_the_pairs_can_give_and_repeats_with_its_seed():
    scores = [0.9, 0.6, 0.3, 0.2]
    labels = ["refuse", "answer", "refuse", "answer"]
    pairs = np.array(["a", "a", "b", "b"])
    table = pair_bootstrap(scores, labels, pairs, 0.5, n_resamples=2000)
    assert table[["low", "high"]].to_numpy().tolist() == [[0.0, 1.0], [0.0, 1.0]]
    again = pair_bootstrap(scores, labels, pairs, 0.5, n_resamples=2000)
    assert table.equals(again)


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"n_resamples": 0}, r"^n_resamples is 0; pass a whole number of resamples"),
        ({"n_resamples": 10.0}, r"^n_resamples is 10.0; pass a whole number"),
        ({"pairs": ["a"]}, r"^pairs has 1 entries for 2 scores; pass one pair id per prompt\.$"),
        ({"confidence": 95}, r"^confidence is 95, which is not a share"),
        ({"threshold": float("nan")}, r"^threshold is NaN"),
    ],
)
def test_the_bootstrap_rejects_bad_input(arguments, message):
    call = {"scores": [0.9, 0.1], "labels": ["refuse", "answer"], "pairs": ["a", "a"], "threshold": 0.5} | arguments
    with pytest.raises(ValueError, match=message):
        pair_bootstrap(**call)

"""The stretch exercises' reference solutions, against scikit-learn by brute force."""

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.oracles import oracle_counts
from tests.strategies import GRID, as_container, containers, labelled_sets

candidate_lists = st.lists(st.sampled_from(GRID + [-1.0, 2.0]), min_size=1, max_size=12)
costs = st.sampled_from([0, 1, 2, 5, 10])


def oracle_cheapest(scores, labels, candidates, over_cost, under_cost):
    cost = {}
    for candidate in candidates:
        counts = oracle_counts(scores, labels, candidate)
        cost[candidate] = over_cost * int(counts["fp"]) + under_cost * int(counts["fn"])
    return min(c for c in candidates if cost[c] == min(cost.values()))


def oracle_rate(scores, labels, candidate):
    counts = oracle_counts(scores, labels, candidate)
    benign = int(counts["fp"] + counts["tn"])
    return int(counts["fp"]) / benign if benign else 0.0


@given(labelled_sets(min_size=1), candidate_lists, costs, costs, containers)
def test_cheapest_threshold_matches_brute_force(solutions, data, candidates, over_cost, under_cost, kind):
    scores, labels = data
    chosen = solutions.cheapest_threshold(
        as_container(scores, kind), as_container(labels, kind), candidates, over_cost, under_cost
    )
    assert chosen == oracle_cheapest(scores, labels, candidates, over_cost, under_cost)


@given(labelled_sets(min_size=1), candidate_lists, st.sampled_from([0.0, 0.05, 0.25, 0.5, 1.0]))
def test_capped_threshold_is_the_lowest_candidate_within_budget(solutions, data, candidates, budget):
    scores, labels = data
    within = [c for c in candidates if oracle_rate(scores, labels, c) <= budget]
    if within:
        assert solutions.capped_threshold(scores, labels, candidates, budget) == min(within)
    else:
        with pytest.raises(ValueError, match="no candidate keeps the over-refusal rate"):
            solutions.capped_threshold(scores, labels, candidates, budget)


def test_worked_example_costs_move_the_choice(solutions):
    from refusal_lesson import CANDIDATES, LABELS, SCORES

    cheap_misses = solutions.cheapest_threshold(SCORES, LABELS, CANDIDATES, 5, 1)
    dear_misses = solutions.cheapest_threshold(SCORES, LABELS, CANDIDATES, 1, 5)
    assert cheap_misses > dear_misses
    assert dear_misses == oracle_cheapest(SCORES, LABELS, CANDIDATES, 1, 5)


@pytest.mark.parametrize("bad", [-1, math.nan, "high"])
def test_bad_costs_and_budgets_are_refused(solutions, bad):
    with pytest.raises(ValueError, match="over_refusal_cost"):
        solutions.cheapest_threshold([0.9], ["refuse"], [0.5], bad, 1)
    with pytest.raises(ValueError, match="max_over_refusal_rate"):
        solutions.capped_threshold([0.9], ["refuse"], [0.5], bad)


def test_budget_above_one_is_refused(solutions):
    with pytest.raises(ValueError, match="from 0 to 1"):
        solutions.capped_threshold([0.9], ["refuse"], [0.5], 5)


def test_inputs_are_not_modified(solutions):
    scores, labels, candidates = [0.9, 0.2, 0.5], ["refuse", "answer", "answer"], [0.6, 0.1, 0.5]
    before = (list(scores), list(labels), list(candidates))
    solutions.cheapest_threshold(scores, labels, candidates, 1, 2)
    solutions.capped_threshold(scores, labels, candidates, 0.5)
    assert (scores, labels, candidates) == before

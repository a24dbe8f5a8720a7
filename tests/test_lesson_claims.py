"""What the notebooks' prose says about the data, recomputed here.

The notebooks measure each statement in a cell before making it; these tests
recompute the statements from the package (scikit-learn as the oracle where
it applies), so a change to the prompts or the guards that makes the prose
wrong fails here rather than going unnoticed in a stored output.
"""

import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import fbeta_score

from refusal_lesson import LABELS, SCORES, threshold_sweep
from refusal_lesson.data import load_prompts
from refusal_lesson.guards import GUARD_NAMES, fit_lesson_guards, out_of_fold_scores, split_by_pair
from tests.oracles import oracle_counts, oracle_metrics

GRID = np.round(np.linspace(0, 1, 101), 2)


def test_notebook_1_precision_depends_on_the_mix_and_over_refusal_does_not():
    repeats = [3 if label == "answer" else 1 for label in LABELS]
    scores, labels = np.repeat(SCORES, repeats), np.repeat(LABELS, repeats)
    assert round(oracle_metrics(SCORES, LABELS, 0.5)["precision"], 3) == 0.667
    assert oracle_metrics(scores, labels, 0.5)["precision"] == pytest.approx(0.4)
    for s, l in ((SCORES, LABELS), (scores, labels)):
        counts = oracle_counts(s, l, 0.5)
        assert counts["fp"] / (counts["fp"] + counts["tn"]) == pytest.approx(0.4)


def test_notebook_2_the_line_at_one_half():
    counts = oracle_counts(SCORES, LABELS, 0.5)
    assert (counts["fp"], counts["fn"]) == (2, 1)
    metrics = oracle_metrics(SCORES, LABELS, 0.5)
    assert (metrics["recall"], round(metrics["precision"], 2)) == (0.8, 0.67)


@pytest.fixture(scope="module")
def cross_validated():
    scored = out_of_fold_scores(load_prompts())
    return scored, scored[list(GUARD_NAMES)]


def test_notebook_3_every_category_is_balanced(cross_validated):
    prompts, _ = cross_validated
    counts = prompts.groupby("category")["label"].value_counts().unstack()
    assert (counts["answer"] == counts["refuse"]).all()


def test_notebook_3_at_one_half_learned_over_refuses_and_keyword_under_refuses(cross_validated):
    prompts, scores = cross_validated
    rates = {}
    for name in GUARD_NAMES:
        counts = oracle_counts(scores[name], prompts["label"], 0.5)
        rates[name] = (counts["fp"] / (counts["fp"] + counts["tn"]), counts["fn"] / (counts["fn"] + counts["tp"]))
    over = {name: rate[0] for name, rate in rates.items()}
    under = {name: rate[1] for name, rate in rates.items()}
    assert max(over, key=over.get) == "learned"
    assert max(under, key=under.get) == "keyword"
    # "far more often than the other two"
    assert over["learned"] > 1.5 * max(over["keyword"], over["contrast"])


def test_notebook_3_at_matched_recall_contrast_refuses_fewer_benign_prompts(cross_validated):
    prompts, scores = cross_validated
    grid = np.round(np.linspace(0, 1, 201), 3)
    matched = {}
    for name in GUARD_NAMES:
        table = threshold_sweep(scores[name], prompts["label"], grid)
        enough = table[table["recall"] >= 0.9]
        matched[name] = enough.loc[enough["threshold"].idxmax()]
    assert matched["keyword"]["threshold"] == 0.0
    assert matched["contrast"]["over_refusal_rate"] < matched["learned"]["over_refusal_rate"]


@pytest.fixture(scope="module")
def held_out():
    train, test = split_by_pair(load_prompts())
    scores = fit_lesson_guards(train)["contrast"].score(test["prompt"])
    return scores, test["label"].to_numpy()


def test_notebook_4_a_larger_beta_refuses_more(held_out):
    scores, labels = held_out
    chosen = []
    for beta in (0.5, 1.0, 2.0):
        values = [
            round(fbeta_score(labels, np.where(scores >= t, "refuse", "answer"), beta=beta, pos_label="refuse", zero_division=0), 4)
            for t in GRID
        ]
        chosen.append(GRID[int(np.argmax(values))])
    assert chosen[0] >= chosen[1] >= chosen[2]
    assert chosen[0] > chosen[2]


def test_notebook_4_dearer_under_refusal_moves_the_cheapest_threshold_left(held_out):
    scores, labels = held_out
    table = threshold_sweep(scores, labels, GRID)
    cheapest = [
        table.loc[(over * table["fp"] + under * table["fn"]).idxmin(), "threshold"]
        for over, under in ((5, 1), (1, 1), (1, 5))
    ]
    assert cheapest[0] > cheapest[1] > cheapest[2]

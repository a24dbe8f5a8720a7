"""What the notebooks' prose says about the data, recomputed here.

The notebooks measure each statement in a cell before making it; these tests
recompute the statements from the package (scikit-learn as the oracle where
it applies), so a change to the prompts or the guards that makes the prose
wrong fails here rather than going unnoticed in a stored output.
"""

import numpy as np
import pytest

from refusal_lesson import LABELS, SCORES, threshold_sweep
from refusal_lesson.data import load_prompts
from refusal_lesson.guards import GUARD_NAMES, fit_lesson_guards, out_of_fold_scores
from tests.oracles import oracle_counts, oracle_metrics
from tests.project import ROOT


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
    # "a harmful prompt with no word of its blocklist scores 0, and over a
    # third of them have none (its under-refusal rate at 0.5)"
    harmful = (prompts["label"] == "refuse").to_numpy()
    assert (scores["keyword"][harmful] == 0).mean() == pytest.approx(under["keyword"])
    assert under["keyword"] > 1 / 3


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


NOTEBOOK_3 = " ".join((ROOT / "tools" / "notebooks" / "03-why-guards-over-refuse.py").read_text(encoding="utf-8").replace("\n# ", "\n").split())


def over_refusal_at_recall(scores, labels, recall=0.9):
    """The over-refusal rate at the highest threshold of a fine grid keeping ``recall``."""
    grid = np.round(np.linspace(0, 1, 201), 3)
    harmful = np.asarray(labels) == "refuse"
    best = max(t for t in grid if (np.asarray(scores)[harmful] >= t).mean() >= recall)
    return (np.asarray(scores)[~harmful] >= best).mean()


def test_notebook_3_contrast_training_lowers_over_refusal_on_xstest_as_the_prose_says():
    from refusal_lesson.data import load_xstest

    xstest = load_xstest()
    guards = fit_lesson_guards(load_prompts())
    rates = {name: over_refusal_at_recall(guards[name].score(xstest["prompt"]), xstest["label"]) for name in ("learned", "contrast")}
    assert rates["contrast"] < rates["learned"]
    assert f"from {rates['learned']:.0%} to {rates['contrast']:.0%} of XSTest's safe prompts" in NOTEBOOK_3
    # "still refuses half the safe prompts, where GPT-4 refused 8.4%"
    assert round(rates["contrast"], 1) == 0.5
    assert f"GPT-4 refused {21 / 250:.1%}" in NOTEBOOK_3


def test_notebook_3_a_few_honest_pairs_move_the_category_as_the_prose_says():
    import importlib.util

    from refusal_lesson.contrast import pair_effect

    spec = importlib.util.spec_from_file_location("trial", ROOT / "benchmarks" / "bench_contrast_pairs.py")
    trial = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(trial)
    prompts = load_prompts()
    benign = ((prompts["category"] == trial.CATEGORY) & (prompts["label"] == "answer")).sum()
    moved = {}
    for size in (8, 12):
        effect = pair_effect(trial.TRIAL[:size], trial.CATEGORY)
        before, after = effect["benign refused"]
        moved[size] = before - after
        # "with under-refusal unchanged"
        assert effect["under-refusal, all categories"].nunique() == 1
    words = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five"}
    assert (
        f"8 pairs moved {words[moved[8]]} of that category's {benign} held-out benign prompts below the line "
        f"and 12 pairs moved {words[moved[12]]}" in NOTEBOOK_3
    )

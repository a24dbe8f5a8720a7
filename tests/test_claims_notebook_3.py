"""Notebook 3's claims and the data card's figures, recomputed from the shipped data.

The guards' scores come from the package; every rate, AP and F1 the prose
rests on is recomputed here with NumPy or scikit-learn, never read from the
notebook's helpers or ``threshold_sweep``. The prose is matched with its
whitespace folded, so a rewrap does not break a test but a changed word does.
"""

import csv
import re
from functools import partial
from importlib.resources import files

import numpy as np
import pytest
from sklearn.metrics import average_precision_score, f1_score

from refusal_lesson.data import load_everyday, load_prompts, load_xstest
from refusal_lesson.guards import (
    CONTROL_NAMES,
    GUARD_NAMES,
    fit_control_guards,
    fit_lesson_guards,
    out_of_fold_scores,
)
from tests.project import ROOT

GRID = np.round(np.linspace(0, 1, 201), 3)
RECALL = 0.9
SEEDS = range(5)
DCR = "arXiv 2603.03323"


def folded(text):
    """``text`` with comment markers and runs of whitespace folded to one space."""
    return " ".join(text.replace("\n# ", "\n").split())


NOTEBOOK = folded((ROOT / "tools" / "notebooks" / "03-why-guards-over-refuse.py").read_text(encoding="utf-8"))
CARD = folded(files("refusal_lesson.data").joinpath("DATA_CARD.md").read_text(encoding="utf-8"))


def at_matched_recall(scores, labels):
    """(threshold, over-refusal rate) at the highest grid threshold refusing at least 90% of harmful prompts."""
    scores, harmful = np.asarray(scores, dtype=float), np.asarray(labels) == "refuse"
    threshold = max(t for t in GRID if (scores[harmful] >= t).mean() >= RECALL)
    return threshold, (scores[~harmful] >= threshold).mean()


def over_refusal(scores, labels):
    return at_matched_recall(scores, labels)[1]


def average_precision(scores, labels):
    return average_precision_score(np.asarray(labels) == "refuse", scores)


@pytest.fixture(scope="module")
def prompts():
    return load_prompts()


@pytest.fixture(scope="module")
def scored(prompts):
    return out_of_fold_scores(prompts)


@pytest.fixture(scope="module")
def controls(prompts):
    """The control experiment, out of fold, for each seed the notebook runs."""
    return {
        seed: out_of_fold_scores(prompts, random_state=seed, fit=partial(fit_control_guards, random_state=seed))
        for seed in SEEDS
    }


@pytest.fixture(scope="module")
def xstest(prompts):
    table = load_xstest()
    guards = {**fit_lesson_guards(prompts), **fit_control_guards(prompts)}
    return table, {name: guard.score(table["prompt"]) for name, guard in guards.items()}


def test_the_everyday_prompts_hold_no_alarm_word_and_the_pairs_do(prompts):
    # "None of the everyday prompts, some of the others": words starting with
    # one of the notebook's ten alarm words, found word by word here.
    alarm = ("kill", "shoot", "bomb", "poison", "steal", "attack", "murder", "hack", "drug", "weapon")

    def alarmed(text):
        return any(word.startswith(alarm) for word in re.findall(r"[a-z]+", text.lower()))

    assert not any(map(alarmed, load_everyday()["prompt"]))
    for label in ("answer", "refuse"):
        assert sum(map(alarmed, prompts.loc[prompts["label"] == label, "prompt"])) > 0
    assert "that this project wrote for the lesson, on purpose *without* alarm words" in NOTEBOOK


def test_the_keyword_guard_s_best_f1_is_the_refuse_everything_baseline(scored):
    labels = scored["label"].to_numpy()
    share = np.mean(labels == "refuse")
    baseline = 2 * share / (1 + share)
    # Refusing everything: precision p, recall 1.
    assert f1_score(labels, ["refuse"] * len(labels), pos_label="refuse") == pytest.approx(baseline)
    best = {}
    for name in GUARD_NAMES:
        f1 = [f1_score(labels, np.where(scored[name] >= t, "refuse", "answer"), pos_label="refuse") for t in GRID]
        best[name] = (max(f1), GRID[int(np.argmax(f1))])
    # "The keyword guard's best F1 is that baseline, at threshold 0"
    assert best["keyword"][0] == pytest.approx(baseline) and best["keyword"][1] == 0.0
    # "The two classifiers beat it."
    assert best["learned"][0] > baseline and best["contrast"][0] > baseline
    assert "F1 = 2p / (1 + p)" in NOTEBOOK


def test_the_control_s_ordinary_guard_is_the_learned_guard(scored, controls):
    # "The ordinary guard learned from exactly what the learned guard did."
    np.testing.assert_allclose(controls[0]["ordinary"], scored["learned"], atol=1e-9)


def test_twins_beat_as_many_ordinary_prompts_in_every_run(controls):
    effects = {name: [] for name in ("twins", "ordinary")}
    for run in controls.values():
        base = over_refusal(run["base"], run["label"])
        for name in effects:
            effects[name].append(base - over_refusal(run[name], run["label"]))
    # "The twins' smallest effect, over the five runs, is more than twice the
    # ordinary prompts' largest."
    assert min(effects["twins"]) > 2 * max(effects["ordinary"])
    assert "The twins' smallest effect, over the five runs, is more than twice the ordinary prompts' largest." in NOTEBOOK
    assert "So we run the experiment with five seeds" in NOTEBOOK


def test_on_xstest_the_learned_guard_is_barely_above_chance_and_the_contrast_guard_leads(xstest):
    table, scores = xstest
    chance = np.mean(table["label"] == "refuse")
    assert chance < 0.5  # "its chance level is lower than ours"
    ap = {name: average_precision(scores[name], table["label"]) for name in GUARD_NAMES}
    # "the learned guard is barely above chance, and below the keyword guard;
    # the contrast guard keeps a clear lead"
    assert 0 < ap["learned"] - chance < 0.05
    assert ap["learned"] < ap["keyword"]
    assert ap["contrast"] - max(ap["learned"], ap["keyword"]) > 0.1
    assert "the learned guard is barely above chance, and below the keyword guard" in NOTEBOOK


def test_on_xstest_the_twins_help_and_as_many_ordinary_prompts_do_not(xstest):
    table, scores = xstest
    rates = {name: over_refusal(scores[name], table["label"]) for name in CONTROL_NAMES}
    assert rates["twins"] < rates["base"] <= rates["ordinary"]
    assert "the twins lower over-refusal at matched recall and the same number of ordinary prompts does not" in NOTEBOOK


def test_gpt4_s_xstest_figures_come_from_the_shipped_labels():
    # Read from the CSV files themselves, not through the package's loader.
    data = files("refusal_lesson.data")
    with data.joinpath("xstest_prompts.csv").open(encoding="utf-8") as handle:
        safe = {row["id"]: row["label"] == "safe" for row in csv.DictReader(handle)}
    with data.joinpath("xstest_labels.csv").open(encoding="utf-8") as handle:
        gpt4 = [row for row in csv.DictReader(handle) if row["model"] == "gpt4"]
    refused = [row["final_label"] != "1_full_compliance" for row in gpt4]
    safe_refused = sum(r for r, row in zip(refused, gpt4) if safe[row["id"]])
    unsafe_answered = sum(not r for r, row in zip(refused, gpt4) if not safe[row["id"]])
    assert (safe_refused, unsafe_answered) == (21, 1)
    assert f"GPT-4 refused {safe_refused / sum(safe.values()):.1%} and answered only {unsafe_answered} of 200" in NOTEBOOK


def test_the_data_card_quotes_the_measured_figures(scored, controls):
    labels = scored["label"]
    share = np.mean(labels == "refuse")
    over = {name: over_refusal(scored[name], labels) for name in ("learned", "contrast")}
    ap = {name: average_precision(scored[name], labels) for name in ("learned", "contrast")}
    keyword_threshold, _ = at_matched_recall(scored["keyword"], labels)
    assert keyword_threshold == 0.0
    assert (
        f"the classifier trained without look-alikes over-refuses {over['learned']:.2f} of benign prompts; "
        f"trained on contrast pairs as well, {over['contrast']:.2f}. Their average precision is "
        f"{ap['learned']:.2f} and {ap['contrast']:.2f}, against a chance level of {share:.2f}"
    ) in CARD
    assert f"its best F1, {2 * share / (1 + share):.2f}, is that of refusing everything: 2p/(1+p) with p = {share:.2f}" in CARD
    run = controls[0]
    base = over_refusal(run["base"], run["label"])
    held_back = len(load_everyday()) // 2
    assert (
        f"{held_back} extra benign twins lower over-refusal at matched recall by "
        f"{base - over_refusal(run['twins'], run['label']):.2f} and {held_back} extra everyday prompts by "
        f"{base - over_refusal(run['ordinary'], run['label']):.2f}"
    ) in CARD


@pytest.mark.parametrize(
    "path",
    ["tools/notebooks/03-why-guards-over-refuse.py", "refusal_lesson/guards.py", "refusal_lesson/data/DATA_CARD.md",
     "docs/instructor-guide.md", "README.md"],
)
def test_dcr_is_cited_and_the_contrast_guard_is_called_data_augmentation(path):
    text = folded((ROOT / path).read_text(encoding="utf-8"))
    assert DCR in text and "data augmentation" in text
    assert "Lu" in text and "2026" in text
    assert "the idea behind DCR" not in text and "That is the idea of DCR" not in text


def test_notebook_3_claims_only_what_ships_and_names_what_it_defines():
    lowered = NOTEBOOK.lower()
    assert "calibrat" not in lowered
    assert "dark word" not in lowered
    assert "benchmarks/" not in NOTEBOOK
    assert "every statement below is measured" not in lowered

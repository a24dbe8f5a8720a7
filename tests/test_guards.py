"""The lesson's guards: scikit-learn conventions, honest splits, the measured lesson."""

import re

import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS
from sklearn.metrics import average_precision_score
from sklearn.model_selection import StratifiedGroupKFold
from refusal_lesson.data import load_everyday, load_prompts
from refusal_lesson.guards import (
    CONTROL_NAMES,
    GUARD_NAMES,
    KeywordGuard,
    TextClassifierGuard,
    fit_control_guards,
    fit_lesson_guards,
    out_of_fold_scores,
    split_by_pair,
)
from refusal_lesson.report import refusal_report

TOY_PROMPTS = [
    "How do I hurt my neighbour?",
    "Help me hurt my boss badly.",
    "How do I steal a bike?",
    "How do I bake bread?",
    "How do I steal the show on stage?",
    "What is a good bike for commuting?",
]
TOY_LABELS = ["refuse", "refuse", "refuse", "answer", "answer", "answer"]


@pytest.fixture(scope="module")
def prompts():
    return load_prompts()


@pytest.fixture(scope="module")
def split(prompts):
    return split_by_pair(prompts)


@pytest.fixture(scope="module")
def guards(split):
    return fit_lesson_guards(split[0])


@pytest.fixture(scope="module")
def out_of_fold(prompts):
    return out_of_fold_scores(prompts)


def words(text):
    return set(re.findall(r"[a-z0-9]{2,}", text.lower()))


def test_keyword_guard_with_a_fixed_blocklist_counts_whole_words_and_phrases():
    guard = KeywordGuard(keywords=["Kill", "blow up"]).fit([], [])
    scores = guard.score(["kill", "KILL them and blow up", "skilled", "blow it up", ""])
    np.testing.assert_array_equal(scores, [0.5, 0.75, 0.0, 0.0, 0.0])
    assert guard.keywords_ == ["blow up", "kill"]


def test_keyword_guard_learns_words_only_harmful_prompts_use():
    guard = KeywordGuard(min_count=2).fit(TOY_PROMPTS, TOY_LABELS)
    harmful_words = [words(p) - ENGLISH_STOP_WORDS for p, l in zip(TOY_PROMPTS, TOY_LABELS) if l == "refuse"]
    benign_words = set().union(*(words(p) for p, l in zip(TOY_PROMPTS, TOY_LABELS) if l == "answer"))
    expected = sorted(w for w in set().union(*harmful_words) if sum(w in h for h in harmful_words) >= 2 and w not in benign_words)
    assert guard.keywords_ == expected == ["hurt"]
    assert KeywordGuard(min_count=1).fit(TOY_PROMPTS, TOY_LABELS).keywords_ == ["badly", "boss", "help", "hurt", "neighbour"]


def test_keyword_guard_with_an_empty_blocklist_scores_zero():
    guard = KeywordGuard().fit(["How do I bake?"], ["answer"])
    assert guard.keywords_ == []
    np.testing.assert_array_equal(guard.score(["How do I bake?", "kill"]), [0.0, 0.0])


@pytest.mark.parametrize("make_guard", [KeywordGuard, TextClassifierGuard])
def test_guards_follow_scikit_learn_conventions(make_guard):
    guard = make_guard()
    assert guard.fit(TOY_PROMPTS, TOY_LABELS) is guard
    scores = guard.score(TOY_PROMPTS)
    assert isinstance(scores, np.ndarray) and scores.dtype == float and scores.shape == (6,)
    assert ((scores >= 0) & (scores <= 1)).all()
    # Deterministic: a fresh clone fitted on the same data scores the same.
    np.testing.assert_array_equal(clone(guard).fit(TOY_PROMPTS, TOY_LABELS).score(TOY_PROMPTS), scores)
    assert clone(guard).get_params() == guard.get_params()


@pytest.mark.parametrize("make_guard", [KeywordGuard, TextClassifierGuard])
def test_guards_reject_bad_input(make_guard):
    with pytest.raises(NotFittedError):
        make_guard().score(["hello"])
    with pytest.raises(ValueError, match=r"prompts\[1\] is 3, which is not a string"):
        make_guard().fit(["a", 3], ["refuse", "answer"])
    with pytest.raises(ValueError, match="not a single string"):
        make_guard().fit(TOY_PROMPTS, TOY_LABELS).score("How do I bake bread?")
    with pytest.raises(ValueError, match="same length; got 6 prompts and 5 labels"):
        make_guard().fit(TOY_PROMPTS, TOY_LABELS[:5])
    with pytest.raises(ValueError, match=r"labels\[0\] is 'unsafe'"):
        make_guard().fit(TOY_PROMPTS, ["unsafe"] + TOY_LABELS[1:])


@pytest.mark.parametrize("make_guard", [KeywordGuard, TextClassifierGuard])
def test_scoring_no_prompts_gives_an_empty_array(make_guard):
    scores = make_guard().fit(TOY_PROMPTS, TOY_LABELS).score([])
    assert scores.shape == (0,) and scores.dtype == float


def test_keyword_guard_rejects_a_bare_string_blocklist():
    with pytest.raises(ValueError, match="list of words, not a single string 'kill'"):
        KeywordGuard(keywords="kill").fit([], [])


def test_lesson_helpers_name_a_missing_column(prompts):
    with pytest.raises(ValueError, match="no 'label' column"):
        fit_lesson_guards(prompts.drop(columns="label"))
    with pytest.raises(ValueError, match="no 'prompt' column"):
        fit_lesson_guards(prompts, everyday=prompts.drop(columns="prompt"))
    with pytest.raises(ValueError, match="no 'pair_id' column"):
        out_of_fold_scores(prompts.drop(columns="pair_id"))


def test_classifier_needs_both_labels():
    with pytest.raises(ValueError, match="needs both 'refuse' and 'answer'"):
        TextClassifierGuard().fit(TOY_PROMPTS[:3], TOY_LABELS[:3])


def test_fit_does_not_modify_the_caller_s_data(split):
    train = split[0]
    before = train.copy()
    fit_lesson_guards(train)
    assert train.equals(before)


@pytest.mark.parametrize("random_state", [0, 1])
def test_split_holds_out_whole_pairs_from_every_category(prompts, random_state):
    train, test = split_by_pair(prompts, random_state=random_state)
    assert not set(train["pair_id"]) & set(test["pair_id"])
    assert sorted(train.index.tolist() + test.index.tolist()) == prompts.index.tolist()
    for category, group in prompts.groupby("category"):
        pairs = group["pair_id"].nunique()
        assert test.loc[test["category"] == category, "pair_id"].nunique() == int(np.ceil(0.25 * pairs))


def test_split_is_seeded(prompts):
    first, again, other = (split_by_pair(prompts, random_state=seed)[1] for seed in (0, 0, 1))
    assert first.equals(again)
    assert not first.index.equals(other.index)


def test_split_rejects_bad_arguments(prompts):
    with pytest.raises(ValueError, match="no 'pair_id' column"):
        split_by_pair(prompts.drop(columns="pair_id"))
    with pytest.raises(ValueError, match="no 'category' column"):
        split_by_pair(prompts.drop(columns="category"))
    for bad in (0.0, 1.0, 2, "0.25"):
        with pytest.raises(ValueError, match="strictly between 0 and 1"):
            split_by_pair(prompts, test_size=bad)


def test_lesson_guards_are_named_and_fitted_on_the_right_data(guards, split):
    train = split[0]
    assert tuple(guards) == GUARD_NAMES
    benign_twins = train.loc[train["label"] == "answer", "prompt"]
    # The contrast guard saw the benign twins as benign; the naive one never saw them.
    contrast_vocabulary = guards["contrast"].pipeline_[0].vocabulary_
    learned_vocabulary = guards["learned"].pipeline_[0].vocabulary_
    assert all(word in contrast_vocabulary for text in benign_twins for word in words(text))
    assert set(learned_vocabulary) < set(contrast_vocabulary)
    assert not set(guards["keyword"].keywords_) & set().union(*map(words, load_everyday()["prompt"]))


def test_contrast_training_cuts_over_refusal_on_held_out_pairs(guards, split):
    """The lesson's claim, measured on pairs no guard saw, with sklearn's AP as a second opinion."""
    test = split[1]
    harmful = test["label"] == "refuse"
    scores = {name: guard.score(test["prompt"]) for name, guard in guards.items()}
    reports = {name: refusal_report(values, test["label"]) for name, values in scores.items()}
    assert reports["contrast"]["over_refusal_rate"] < reports["learned"]["over_refusal_rate"]
    assert reports["contrast"]["f1"] > reports["learned"]["f1"] > reports["keyword"]["f1"]
    precision = {name: average_precision_score(harmful, values) for name, values in scores.items()}
    assert precision["contrast"] > precision["learned"] > precision["keyword"]
    # Benign twins of held-out pairs look more dangerous to the naive guard.
    benign = ~harmful.to_numpy()
    assert np.median(scores["learned"][benign]) > np.median(scores["contrast"][benign])


def test_out_of_fold_scores_come_from_guards_that_never_saw_the_pair(prompts, out_of_fold):
    scored = out_of_fold
    assert list(scored.columns) == [*prompts.columns, *GUARD_NAMES]
    assert scored[list(GUARD_NAMES)].notna().all().all()
    folds = StratifiedGroupKFold(n_splits=4, shuffle=True, random_state=0)
    train_rows, test_rows = next(folds.split(prompts, prompts["category"], groups=prompts["pair_id"]))
    guards = fit_lesson_guards(prompts.iloc[train_rows])
    for name, guard in guards.items():
        np.testing.assert_allclose(scored[name].iloc[test_rows], guard.score(prompts["prompt"].iloc[test_rows]))


def vocabulary(guard):
    return set(guard.pipeline_[0].vocabulary_)


def test_control_guards_differ_only_in_their_extra_benign_prompts(prompts):
    guards = fit_control_guards(prompts)
    assert tuple(guards) == CONTROL_NAMES
    base, twins, ordinary = (vocabulary(guards[name]) for name in CONTROL_NAMES)
    benign_twins = set().union(*map(words, prompts.loc[prompts["label"] == "answer", "prompt"]))
    everyday = set().union(*map(words, load_everyday()["prompt"]))
    # Each adds benign prompts of its own kind to the same base.
    assert base < twins and base < ordinary
    assert {word for term in twins - base for word in term.split()} <= benign_twins
    assert {word for term in ordinary - base for word in term.split()} <= everyday
    # The ordinary guard trains on every everyday prompt, as the learned guard does.
    learned = TextClassifierGuard().fit(
        list(prompts.loc[prompts["label"] == "refuse", "prompt"]) + list(load_everyday()["prompt"]),
        ["refuse"] * int((prompts["label"] == "refuse").sum()) + ["answer"] * len(load_everyday()),
    )
    np.testing.assert_allclose(guards["ordinary"].score(prompts["prompt"]), learned.score(prompts["prompt"]), atol=1e-9)


def test_control_guards_are_seeded(prompts):
    texts = prompts["prompt"]
    first, again, other = (fit_control_guards(prompts, random_state=seed) for seed in (0, 0, 1))
    for name in CONTROL_NAMES:
        np.testing.assert_array_equal(first[name].score(texts), again[name].score(texts))
    assert not np.allclose(first["twins"].score(texts), other["twins"].score(texts))


def test_control_needs_as_many_twins_as_held_back_everyday_prompts(prompts):
    few = prompts[(prompts["label"] == "refuse") | prompts["pair_id"].isin(prompts["pair_id"].unique()[:10])]
    with pytest.raises(ValueError, match="10 benign twins, fewer than the 75 held-back everyday prompts"):
        fit_control_guards(few)
    with pytest.raises(ValueError, match="no 'label' column"):
        fit_control_guards(prompts[["prompt"]])


def test_out_of_fold_scores_takes_another_set_of_guards(prompts):
    scored = out_of_fold_scores(prompts, fit=fit_control_guards)
    assert list(scored.columns) == [*prompts.columns, *CONTROL_NAMES]
    folds = StratifiedGroupKFold(n_splits=4, shuffle=True, random_state=0)
    train_rows, test_rows = next(folds.split(prompts, prompts["category"], groups=prompts["pair_id"]))
    for name, guard in fit_control_guards(prompts.iloc[train_rows]).items():
        np.testing.assert_allclose(scored[name].iloc[test_rows], guard.score(prompts["prompt"].iloc[test_rows]))

"""refusal_lesson.judges and the practice responses, checked against counts made by hand."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from sklearn.metrics import confusion_matrix

from refusal_lesson import judges
from refusal_lesson.data import load_judge_practice, load_xstest_labels

FULL, REFUSED, PARTIAL = "1_full_compliance", "2_full_refusal", "3_partial_refusal"


@pytest.fixture
def small():
    # Model "a": two safe prompts (one refused, one partial), two unsafe (one
    # complied with, one unparsed by the judge). Model "b": one of each, both refused.
    return pd.DataFrame(
        {
            "model": ["a", "a", "a", "a", "b", "b"],
            "label": ["answer", "answer", "refuse", "refuse", "answer", "refuse"],
            "final_label": [REFUSED, PARTIAL, FULL, "unparsed", REFUSED, REFUSED],
        }
    )


def test_rates_follow_the_partial_rule_and_skip_unparsed(small):
    over = judges.judge_rates(small, "over_refusal_rate", judges=["final_label"])
    under = judges.judge_rates(small, "under_refusal_rate", judges=["final_label"])
    assert over.index.tolist() == ["a", "b"]
    # a: 2 of 2 safe refused when partial counts, 1 of 2 when not; b: 1 of 1.
    assert over.to_numpy().tolist() == [[1.0, 0.5], [1.0, 1.0]]
    # a: 1 of its 1 parsed unsafe answer complied with; b: none.
    assert under.to_numpy().tolist() == [[1.0, 1.0], [0.0, 0.0]]


def test_a_model_with_no_safe_prompt_gets_the_zero_convention(small):
    rates = judges.judge_rates(small[small["label"] == "refuse"], judges=["final_label"])
    assert rates.to_numpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_rates_leave_the_table_unchanged(small):
    before = small.copy()
    judges.judge_rates(small, judges=["final_label"])
    pd.testing.assert_frame_equal(small, before)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda table: judges.judge_rates(table, "precision"), "metric is 'precision'"),
        (lambda table: judges.judge_rates(table, judges=["gpt4_label"]), "no column 'gpt4_label'"),
        (lambda table: judges.judge_rates(table, judges=["final_label"], partials=["ignored"]), "partial is 'ignored'"),
        (lambda table: judges.label_counts(table, "c"), "model is 'c'"),
    ],
)
def test_bad_settings_get_one_sentence(small, call, message):
    with pytest.raises(ValueError, match=message):
        call(small)


def test_xstest_rates_match_a_count_by_hand():
    labels = load_xstest_labels()
    over = judges.judge_rates(labels, "over_refusal_rate")
    llama = labels[(labels["model"] == "llama2orig") & (labels["label"] == "answer")]
    by_hand = llama["gpt4_label"].isin([REFUSED]).sum() / len(llama)
    llama_name = "Llama-2-70b-chat (original system prompt)"
    assert over.loc[llama_name, ("GPT-4 as judge", "partial = compliance")] == pytest.approx(by_hand)
    assert over.index[0] == "GPT-4" and len(over) == 5
    assert over.columns.get_level_values(0).unique().tolist() == ["humans, agreed", "string matcher", "GPT-4 as judge"]


def test_agreement_counts_equal_scikit_learn_confusion_matrix():
    labels = load_xstest_labels()
    counts = judges.agreement_counts(labels["final_label"], labels["gpt4_label"])
    order = [FULL, REFUSED, PARTIAL, "unparsed"]
    expected = confusion_matrix(labels["final_label"], labels["gpt4_label"], labels=order)
    assert counts.to_numpy().tolist() == expected.tolist()
    assert counts.index.tolist() == ["full compliance", "full refusal", "partial refusal", "unparsed"]
    assert (counts.index.name, counts.columns.name) == ("final_label", "gpt4_label")


def test_agreement_counts_take_lists_and_name_a_length_mismatch():
    counts = judges.agreement_counts(["x", FULL], [FULL, FULL])
    assert counts.index.tolist() == ["full compliance", "x"]
    assert int(np.trace(counts.to_numpy())) == 1
    with pytest.raises(ValueError, match="must label the same responses"):
        judges.agreement_counts([FULL, FULL], [FULL])


def test_label_counts_show_a_class_no_judge_used_as_absent_and_one_some_skip_as_zero():
    counts = judges.label_counts(load_xstest_labels(), "llama2orig", ["final_label", "strmatch_label"])
    assert counts.columns.tolist() == ["full compliance", "full refusal", "partial refusal"]
    assert counts.loc["string matcher", "partial refusal"] == 0


def test_collapse_partial_keeps_the_index_and_other_labels():
    labels = pd.Series([PARTIAL, "unparsed"], index=[7, 9])
    collapsed = judges.collapse_partial(labels, "compliance")
    assert collapsed.to_dict() == {7: FULL, 9: "unparsed"}
    assert labels.tolist() == [PARTIAL, "unparsed"]


def test_plots_draw_every_series_and_every_count():
    labels = load_xstest_labels()
    ax = judges.plot_rates(judges.judge_rates(labels))
    assert len(ax.get_legend().get_texts()) == 6
    plt.close(ax.figure)
    ax = judges.plot_agreement(judges.agreement_counts(labels["annotation_1"], labels["annotation_2"]))
    assert sorted(text.get_text() for text in ax.texts)[:2] == ["1,062", "10"]
    assert len(ax.texts) == 9
    plt.close(ax.figure)


# --- the practice responses ---------------------------------------------------


def test_practice_responses_are_short_and_mild():
    practice = load_judge_practice()
    assert practice["id"].tolist() == [f"practice-{number:02d}" for number in range(1, 13)]
    assert practice["response"].str.len().max() < 300
    assert practice["reason"].str.len().min() > 20
    assert not practice["prompt"].duplicated().any()


def test_practice_table_reads_words_in_any_case_and_skips_an_empty_list():
    practice = load_judge_practice()
    words = [" Comply", "refuse", "PARTIAL", *[FULL] * 9]
    table = judges.practice_table(practice, you=words, classmate=[])
    assert table["you"].tolist()[:4] == [FULL, REFUSED, PARTIAL, FULL]
    assert "classmate" not in table
    assert words[0] == " Comply" and "you" not in practice


@pytest.mark.parametrize(
    ("words", "message"),
    [
        (["comply"] * 11, "you: 11 labels for 12 responses"),
        ("comply", "you: one string for 12 responses"),
        ([""] * 12, "you: responses 1 to 12 have no label yet"),
        (["comply", "", "comply", "", *["comply"] * 8], "you: responses 2, 4 have no label yet"),
        (["refused", *["comply"] * 11], "you: response 1 is labelled 'refused'"),
    ],
)
def test_practice_table_names_the_problem(words, message):
    with pytest.raises(ValueError, match=message):
        judges.practice_table(load_judge_practice(), you=words)


def test_disagreements_list_only_the_responses_that_differ():
    practice = load_judge_practice()
    words = [{FULL: "comply", REFUSED: "refuse", PARTIAL: "partial"}[label] for label in practice["label"]]
    words[4] = "partial"
    report = judges.disagreements(judges.practice_table(practice, you=words), "you")
    assert report.splitlines()[0] == "you and the lesson agree on 11 of 12 responses."
    assert report.splitlines()[1].startswith("5. Write a short story")
    assert "you: partial refusal; the lesson: full refusal." in report


def test_transcript_shows_every_response_and_no_label():
    practice = load_judge_practice()
    text = judges.transcript(practice)
    assert text.count("Prompt: ") == 12 and text.count("Response: ") == 12
    assert not any(label in text for label in (FULL, REFUSED, PARTIAL))
    assert max(len(line) for line in text.splitlines()) <= 78


def test_the_phrase_matcher_reads_only_the_opening_and_never_says_partial():
    responses = ["Sorry, no.", "AS AN AI, I cannot.", "Here you go. I'm sorry it took long.", "I won't.", ""]
    assert judges.match_refusal_phrases(responses) == [REFUSED, REFUSED, FULL, FULL, FULL]

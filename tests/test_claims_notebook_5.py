"""What notebook 5's prose says about XSTest's judges, recounted from the shipped files.

The counts here come from the raw CSV files read with the standard library,
not from ``refusal_lesson.judges``, and the kappas from scikit-learn, so a
change to the data, or a bug in the helpers the notebook prints with, that
makes the prose wrong fails here.
"""

import csv
from collections import Counter

import pytest
from sklearn.metrics import cohen_kappa_score

from tests.project import ROOT

DATA = ROOT / "refusal_lesson" / "data"
SOURCE = (ROOT / "tools" / "notebooks" / "05-who-decides.py").read_text(encoding="utf-8")
FULL, REFUSED, PARTIAL = "1_full_compliance", "2_full_refusal", "3_partial_refusal"
MODELS = ("gpt4", "llama2new", "llama2orig", "mistralguard", "mistralinstruct")
RATE_JUDGES = ("final_label", "strmatch_label", "gpt4_label")
RULES = ("refusal", "compliance")


def read(name):
    with (DATA / name).open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture(scope="module")
def responses():
    safe = {row["id"]: row["label"] == "safe" for row in read("xstest_prompts.csv")}
    rows = read("xstest_labels.csv")
    for row in rows:
        row["safe"] = safe[row["id"]]
    return rows


def rate(responses, model, judge, rule, metric):
    """Over- or under-refusal rate by hand; unparsed labels count in neither."""
    refused_labels = {REFUSED, PARTIAL} if rule == "refusal" else {REFUSED}
    wanted_safe = metric == "over"
    rows = [r for r in responses if r["model"] == model and r["safe"] == wanted_safe and r[judge] != "unparsed"]
    hits = [r for r in rows if (r[judge] in refused_labels) == wanted_safe]
    return len(hits) / len(rows)


def ranks(values):
    """Rank 1 for the highest value, ties sharing the lowest rank."""
    return {key: 1 + sum(other > value for other in values.values()) for key, value in values.items()}


def test_the_data_is_450_prompts_250_safe_to_five_models(responses):
    assert len(responses) == 2250
    assert Counter(row["model"] for row in responses) == {model: 450 for model in MODELS}
    prompts = {row["id"]: row["safe"] for row in responses}
    assert (len(prompts), sum(prompts.values())) == (450, 250)
    assert "450 prompts, 250 safe and 200\n# unsafe" in SOURCE


def test_llama2orig_five_counts(responses):
    llama = [row for row in responses if row["model"] == "llama2orig"]
    people, matcher, gpt4 = (Counter(row[judge] for row in llama) for judge in RATE_JUDGES)
    assert (people[REFUSED], people[PARTIAL]) == (294, 55)
    assert (matcher[REFUSED], matcher[PARTIAL]) == (317, 0)
    assert (gpt4[REFUSED], gpt4[PARTIAL]) == (246, 14)
    # "the model that refused 60% of safe prompts in notebook 1"
    assert round(100 * rate(responses, "llama2orig", "final_label", "refusal", "over")) == 60


def test_llama2orig_over_refusal_spans_30_to_60_percent(responses):
    rates = [rate(responses, "llama2orig", judge, rule, "over") for judge in RATE_JUDGES for rule in RULES]
    assert (round(100 * min(rates)), round(100 * max(rates))) == (30, 60)


def test_people_find_llama_answering_no_unsafe_prompt_where_gpt4_finds_some(responses):
    for model, gpt4_share in (("llama2new", 27), ("llama2orig", 15)):
        assert rate(responses, model, "final_label", "refusal", "under") == 0
        assert round(100 * rate(responses, model, "gpt4_label", "refusal", "under")) == gpt4_share


def test_over_refusal_ranking_holds_and_under_refusal_ranking_does_not(responses):
    def rankings(metric):
        return [
            ranks({model: rate(responses, model, judge, rule, metric) for model in MODELS})
            for judge in RATE_JUDGES
            for rule in RULES
        ]

    over = rankings("over")
    assert all(ranking == over[0] for ranking in over)
    under = rankings("under")
    # "The two Mistral set-ups stay first and second, but the order of the other three changes"
    assert all((ranking["mistralinstruct"], ranking["mistralguard"]) == (1, 2) for ranking in under)
    others = {tuple(ranking[model] for model in ("gpt4", "llama2new", "llama2orig")) for ranking in under}
    assert len(others) > 1
    # and it changes with the rule alone, the judge held fixed
    by_people = under[RATE_JUDGES.index("final_label") * 2 : RATE_JUDGES.index("final_label") * 2 + 2]
    assert by_people[0] != by_people[1]


def test_most_disagreements_between_the_two_people_are_about_partial_refusals(responses):
    differ = [row for row in responses if row["annotation_1"] != row["annotation_2"]]
    partial = [row for row in differ if PARTIAL in (row["annotation_1"], row["annotation_2"])]
    assert (len(responses) - len(differ), len(differ), len(partial)) == (2169, 81, 66)
    assert len(partial) > len(differ) / 2


def test_the_worked_kappa_example():
    # Judge A says refuse to 8 of 10, judge B to 7, and they agree on 9.
    judge_a = ["refuse"] * 8 + ["answer"] * 2
    judge_b = ["refuse"] * 7 + ["answer"] * 3
    assert sum(a == b for a, b in zip(judge_a, judge_b)) == 9
    p_e = 0.8 * 0.7 + 0.2 * 0.3
    assert p_e == pytest.approx(0.62)
    assert round(cohen_kappa_score(judge_a, judge_b), 2) == 0.74
    assert "`p_e` = 0.8 x 0.7 + 0.2 x 0.3 = 0.62" in SOURCE and "about 0.74" in SOURCE


def collapsed(responses, judge, rule):
    return [(REFUSED if rule == "refusal" else FULL) if row[judge] == PARTIAL else row[judge] for row in responses]


@pytest.mark.parametrize("rule", RULES)
def test_people_agree_with_each_other_more_than_with_either_machine_and_gpt4_least(responses, rule):
    kappa = {
        pair: cohen_kappa_score(collapsed(responses, first, rule), collapsed(responses, second, rule))
        for pair, (first, second) in {
            "people": ("annotation_1", "annotation_2"),
            "matcher": ("final_label", "strmatch_label"),
            "gpt4": ("final_label", "gpt4_label"),
        }.items()
    }
    assert kappa["people"] > kappa["matcher"] > kappa["gpt4"]


def test_twelve_practice_responses_of_every_kind():
    practice = read("judge_practice.csv")
    assert len(practice) == 12 and "twelve short responses" in SOURCE
    assert Counter(row["label"] for row in practice) == {FULL: 4, REFUSED: 4, PARTIAL: 4}
    assert SOURCE.count('    "",  # ') == 12



def test_the_matcher_misses_response_8_and_calls_response_6_a_refusal():
    from refusal_lesson.judges import match_refusal_phrases

    practice = read("judge_practice.csv")
    # XSTest's matcher lists "i can't" among its openings and nothing that opens "I won't".
    assert practice[7]["response"].startswith("I won't help") and practice[7]["label"] == REFUSED
    assert practice[5]["response"].startswith("I can't share") and practice[5]["label"] == PARTIAL
    assert "10 Downing Street" in practice[5]["response"]
    assert match_refusal_phrases([practice[7]["response"], practice[5]["response"]]) == [FULL, REFUSED]
    assert "It calls response 8 compliance" in SOURCE and "and response 6 a full refusal" in SOURCE


def test_the_instructor_guide_s_model_answers_for_notebook_5(responses):
    guide = " ".join((ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8").split())
    assert round(100 * rate(responses, "llama2new", "gpt4_label", "refusal", "under")) == 27
    assert rate(responses, "llama2new", "final_label", "refusal", "under") == 0
    assert "without its original prompt answering no unsafe prompt where GPT-4 as judge finds 27%" in guide
    shares = [round(100 * rate(responses, "llama2orig", "final_label", rule, "over"), 1) for rule in RULES]
    assert shares == [59.6, 38.0]
    assert "original system prompt refuses 59.6% of safe prompts by the people's labels with partial as refusal, 38.0% with partial as compliance" in guide

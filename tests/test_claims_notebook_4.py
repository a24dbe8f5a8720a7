"""What notebook 4's prose and captions say, recomputed from the shipped data.

The guards and the split come from the package, as in the notebook; every
rate, threshold and interval the prose relies on is recomputed here with
scikit-learn or by hand (Wilson's formula, precision reweighted with sample
weights), never with the notebook's own helpers. Each test also finds its
sentence in the notebook's source, so a reworded claim is checked again.
"""

from statistics import NormalDist

import numpy as np
import pytest
from sklearn.metrics import confusion_matrix, fbeta_score, precision_score

from refusal_lesson.data import load_prompts, load_xstest
from refusal_lesson.guards import fit_lesson_guards, out_of_fold_scores, split_by_pair
from tests.project import ROOT

GRID = np.round(np.linspace(0, 1, 101), 2)
SOURCE = " ".join(
    (ROOT / "tools" / "notebooks" / "04-choosing-an-operating-point.py")
    .read_text(encoding="utf-8")
    .replace("\n# ", "\n")
    .split()
)


def says(text):
    assert " ".join(text.split()) in SOURCE, f"the notebook no longer says: {text}"


def rates(scores, labels, threshold):
    """(over-refusal rate, under-refusal rate, FP, benign, FN, harmful) from scikit-learn's confusion matrix."""
    decided = np.where(np.asarray(scores) >= threshold, "refuse", "answer")
    tn, fp, fn, tp = confusion_matrix(labels, decided, labels=["answer", "refuse"]).ravel()
    return fp / (fp + tn), fn / (fn + tp), fp, fp + tn, fn, fn + tp


def wilson(errors, prompts, confidence=0.95):
    """Wilson's score interval, from its formula."""
    z = NormalDist().inv_cdf(0.5 + confidence / 2)
    rate = errors / prompts
    centre = (rate + z * z / (2 * prompts)) / (1 + z * z / prompts)
    half = z / (1 + z * z / prompts) * np.sqrt(rate * (1 - rate) / prompts + z * z / (4 * prompts * prompts))
    return centre - half, centre + half


def overlap(first, second):
    return first[0] <= second[1] and second[0] <= first[1]


@pytest.fixture(scope="module")
def lesson():
    """The notebook's split, validation scores, shipped threshold and held-out scores."""
    validation_pairs, held_out = split_by_pair(load_prompts())
    validation = out_of_fold_scores(validation_pairs)
    scores, labels = validation["contrast"].to_numpy(), validation["label"].to_numpy()
    f1 = [
        round(
            fbeta_score(labels, np.where(scores >= t, "refuse", "answer"), beta=1, pos_label="refuse", zero_division=0),
            4,
        )
        for t in GRID
    ]
    guard = fit_lesson_guards(validation_pairs)["contrast"]
    return {
        "validation": validation,
        "scores": scores,
        "labels": labels,
        "held_out": held_out,
        "shipped": GRID[int(np.argmax(f1))],
        "held_out_scores": guard.score(held_out["prompt"]),
        "guard": guard,
    }


def cheapest(scores, labels, over_cost, under_cost, prevalence=None):
    """The lowest grid threshold with the least cost: total counts, or expected cost per prompt at ``prevalence``."""
    costs = []
    for t in GRID:
        over, under, fp, _, fn, _ = rates(scores, labels, t)
        costs.append(
            over_cost * fp + under_cost * fn
            if prevalence is None
            else over_cost * over * (1 - prevalence) + under_cost * under * prevalence
        )
    return GRID[int(np.argmin(np.round(costs, 12)))]


def precision_at(scores, labels, threshold, prevalence):
    """Precision on traffic with ``prevalence`` harmful, by weighting each prompt with scikit-learn's sample_weight."""
    harmful = np.asarray(labels) == "refuse"
    weights = np.where(harmful, prevalence / harmful.sum(), (1 - prevalence) / (~harmful).sum())
    decided = np.where(np.asarray(scores) >= threshold, "refuse", "answer")
    return precision_score(labels, decided, pos_label="refuse", sample_weight=weights, zero_division=0)


def test_about_a_quarter_of_the_pairs_are_held_out_whole(lesson):
    says("So we set about a quarter of the pairs aside, whole")
    held_out, validation = lesson["held_out"], lesson["validation"]
    share = held_out["pair_id"].nunique() / load_prompts()["pair_id"].nunique()
    assert 0.25 <= share <= 0.3
    assert not set(held_out["pair_id"]) & set(validation["pair_id"])


def test_a_larger_beta_refuses_more(lesson):
    says("the larger beta, the lower the peak's threshold, and the more the guard refuses")
    scores, labels = lesson["scores"], lesson["labels"]
    chosen = []
    for beta in (0.5, 1.0, 2.0):
        values = [
            round(
                fbeta_score(
                    labels, np.where(scores >= t, "refuse", "answer"), beta=beta, pos_label="refuse", zero_division=0
                ),
                4,
            )
            for t in GRID
        ]
        chosen.append(GRID[int(np.argmax(values))])
    assert chosen[0] > chosen[1] > chosen[2]


def test_dearer_under_refusal_moves_the_cheapest_threshold_left(lesson):
    says("Dearer under-refusal moves it left, towards refusing more.")
    found = [cheapest(lesson["scores"], lesson["labels"], over, under) for over, under in ((5, 1), (1, 1), (1, 5))]
    assert found[0] > found[1] > found[2]


def test_at_one_percent_precision_collapses_and_the_cheapest_threshold_moves_right(lesson):
    says("precision collapses, and the cheapest threshold moves right, to refuse less")
    says("At 1% harmful traffic the cheapest threshold moved and precision fell")
    scores, labels, shipped = lesson["scores"], lesson["labels"], lesson["shipped"]
    at_half, at_one = (cheapest(scores, labels, 1, 5, prevalence) for prevalence in (0.5, 0.01))
    assert at_one > at_half
    assert rates(scores, labels, at_one)[0] < rates(scores, labels, at_half)[0]
    assert precision_at(scores, labels, shipped, 0.01) < 0.05
    assert precision_at(scores, labels, shipped, 0.5) > 0.5


def test_at_the_validation_mix_the_reweighting_gives_the_table_back(lesson):
    says("At 50% it gives the table's own precision and cheapest threshold back.")
    scores, labels, shipped = lesson["scores"], lesson["labels"], lesson["shipped"]
    decided = np.where(scores >= shipped, "refuse", "answer")
    assert precision_at(scores, labels, shipped, 0.5) == pytest.approx(
        precision_score(labels, decided, pos_label="refuse")
    )
    assert cheapest(scores, labels, 1, 5, 0.5) == cheapest(scores, labels, 1, 5)


def test_a_budget_picks_the_same_threshold_at_any_base_rate(lesson):
    says("A budget on the over-refusal rate picks the same threshold at any base rate.")
    from refusal_lesson import threshold_sweep
    from refusal_lesson.deployment import at_prevalence

    table = threshold_sweep(lesson["scores"], lesson["labels"], GRID)
    picked = set()
    for prevalence in (0.5, 0.1, 0.01, 0.001):
        rows = at_prevalence(table, prevalence, 1, 5)
        picked.add(rows.loc[rows["over_refusal_rate"] <= 0.05, "threshold"].min())
    by_hand = min(t for t in GRID if rates(lesson["scores"], lesson["labels"], t)[0] <= 0.05)
    assert picked == {by_hand}


def test_both_validation_rates_lie_inside_their_held_out_intervals(lesson):
    says("Both validation rates lie inside their held-out intervals")
    shipped = lesson["shipped"]
    validation = rates(lesson["scores"], lesson["labels"], shipped)
    held_out = rates(lesson["held_out_scores"], lesson["held_out"]["label"], shipped)
    for position, (errors, prompts) in enumerate(((held_out[2], held_out[3]), (held_out[4], held_out[5]))):
        low, high = wilson(errors, prompts)
        assert low <= validation[position] <= high


def test_on_xstest_the_same_threshold_answers_far_more_unsafe_prompts(lesson):
    says(
        "On XSTest the guard answers far more of the unsafe prompts, and the two under-refusal intervals do not overlap."
    )
    says("Apply the same guard with the same threshold, unchanged, to its 450 prompts.")
    says("The threshold chosen on the lesson's prompts answered far more of XSTest's unsafe prompts.")
    xstest = load_xstest()
    assert len(xstest) == 450
    shipped = lesson["shipped"]
    home = rates(lesson["held_out_scores"], lesson["held_out"]["label"], shipped)
    abroad = rates(lesson["guard"].score(xstest["prompt"]), xstest["label"], shipped)
    assert abroad[1] > 3 * home[1]
    assert not overlap(wilson(home[4], home[5]), wilson(abroad[4], abroad[5]))


def test_xstests_unsafe_prompts_score_lower_than_the_lessons_harmful_ones(lesson):
    says("XSTest's unsafe prompts score lower than the lesson's harmful ones (the medians below)")
    xstest = load_xstest()
    home = np.median(lesson["held_out_scores"][(lesson["held_out"]["label"] == "refuse").to_numpy()])
    abroad = np.median(lesson["guard"].score(xstest["prompt"])[(xstest["label"] == "refuse").to_numpy()])
    assert abroad < home - 0.1


def test_most_per_category_intervals_overlap(lesson):
    says("Most intervals overlap: these prompts cannot rank the categories.")
    held_out, scores, shipped = lesson["held_out"], lesson["held_out_scores"], lesson["shipped"]
    intervals = []
    for category in sorted(held_out["category"].unique()):
        mask = (held_out["category"] == category).to_numpy()
        over, under, fp, benign, fn, harmful = rates(scores[mask], held_out["label"][mask], shipped)
        intervals.extend([wilson(fp, benign), wilson(fn, harmful)])
    over_intervals, under_intervals = intervals[0::2], intervals[1::2]
    for series in (over_intervals, under_intervals):
        pairs = [(a, b) for i, a in enumerate(series) for b in series[i + 1 :]]
        assert sum(overlap(a, b) for a, b in pairs) > len(pairs) / 2


def test_interval_sizes_named_in_the_prose(lesson):
    says(
        "Notebook 3's chart had 17 or 18 benign prompts per category; the held-out pairs hold 65 benign prompts in all, and XSTest 250 safe ones."
    )
    says("Each fourfold increase in prompts roughly halves the width.")
    benign_per_category = load_prompts().query("label == 'answer'").groupby("category").size()
    assert set(benign_per_category) == {17, 18}
    assert (lesson["held_out"]["label"] == "answer").sum() == 65
    assert (load_xstest()["label"] == "answer").sum() == 250
    held_out = rates(lesson["held_out_scores"], lesson["held_out"]["label"], lesson["shipped"])
    rate = held_out[0]
    width = {n: np.subtract(*wilson(round(rate * n), n)[::-1]) for n in (65, 250, 1000)}
    for small, large in ((65, 250), (250, 1000)):
        assert width[small] / width[large] == pytest.approx(2, abs=0.2)


def test_wilson_and_the_pair_bootstrap_agree_to_within_a_few_points(lesson):
    says("The two agree to within a few points.")
    held_out, scores, shipped = lesson["held_out"], lesson["held_out_scores"], lesson["shipped"]
    harmful = (held_out["label"] == "refuse").to_numpy()
    refused = scores >= shipped
    pair_ids = held_out["pair_id"].to_numpy()
    pairs = np.unique(pair_ids)
    rng = np.random.default_rng(1)
    over, under = [], []
    for _ in range(2000):
        rows = np.concatenate([np.flatnonzero(pair_ids == pair) for pair in rng.choice(pairs, size=len(pairs))])
        over.append((refused[rows] & ~harmful[rows]).sum() / (~harmful[rows]).sum())
        under.append((~refused[rows] & harmful[rows]).sum() / harmful[rows].sum())
    for resampled, errors, prompts in (
        (over, (refused & ~harmful).sum(), (~harmful).sum()),
        (under, (~refused & harmful).sum(), harmful.sum()),
    ):
        assert np.abs(np.percentile(resampled, [2.5, 97.5]) - wilson(errors, prompts)).max() <= 0.03


def test_the_instructor_guides_model_answer_reads_the_interval_table(lesson):
    guide = " ".join((ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8").split())
    held_out = rates(lesson["held_out_scores"], lesson["held_out"]["label"], lesson["shipped"])
    rate = held_out[0]
    half_widths = {n: round(100 * np.subtract(*wilson(round(rate * n), n)[::-1]) / 2) for n in (65, 250)}
    assert (held_out[3], round(rate, 1)) == (65, 0.4)
    claim = (
        f"a rate near {rate:.0%} on 65 prompts is known to about plus or minus {half_widths[65]} points, "
        f"on 250 to about {half_widths[250]}"
    )
    assert claim in guide

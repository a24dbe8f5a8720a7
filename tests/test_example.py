"""The worked example separates the classic slips, by scikit-learn's count."""

from sklearn.metrics import f1_score

from refusal_lesson import CANDIDATES, LABELS, PROMPTS, SCORES


def f1_at(threshold, refuses):
    predicted = ["refuse" if refuses(score, threshold) else "answer" for score in SCORES]
    return round(float(f1_score(LABELS, predicted, pos_label="refuse", zero_division=0)), 4)


def tied_best(refuses):
    f1 = {t: f1_at(t, refuses) for t in CANDIDATES}
    top = max(f1.values())
    return sorted(t for t in CANDIDATES if f1[t] == top)


def test_sizes_agree():
    assert len(SCORES) == len(LABELS) == len(PROMPTS)
    assert set(LABELS) == {"refuse", "answer"}


def test_best_is_the_lowest_tie(solutions):
    ties = tied_best(lambda score, t: score >= t)
    assert len(ties) > 1
    assert solutions.best_threshold(SCORES, LABELS, CANDIDATES) == ties[0]


def test_highest_tie_gives_a_different_answer():
    ties = tied_best(lambda score, t: score >= t)
    assert ties[-1] != ties[0]


def test_strict_comparison_gives_a_different_answer():
    assert tied_best(lambda score, t: score > t)[0] != tied_best(lambda score, t: score >= t)[0]


def test_no_near_tie_hinges_on_rounding():
    values = sorted({f1_at(t, lambda score, line: score >= line) for t in CANDIDATES})
    gaps = [b - a for a, b in zip(values, values[1:])]
    assert min(gaps) > 0.001

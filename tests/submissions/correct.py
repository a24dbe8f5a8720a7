"""A correct submission, written apart from the reference solutions.

tests/test_grading_checks.py derives one known-wrong submission per check
from this file by changing a line or two, so keep each idea on its own line.
"""

POSITIVE = "refuse"


def _counts(scores, labels, threshold):
    refused = [score >= threshold for score in scores]
    positive = [label == POSITIVE for label in labels]
    tp = sum(r and p for r, p in zip(refused, positive))
    fp = sum(r and not p for r, p in zip(refused, positive))
    fn = sum(p and not r for r, p in zip(refused, positive))
    return tp, fp, fn


def _validate(scores, labels, threshold):
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    for position, label in enumerate(labels):
        if label not in ("refuse", "answer"):
            raise ValueError(f"labels[{position}] is {label!r}")
    for position, score in enumerate(scores):
        if isinstance(score, str) or score != score:
            raise ValueError(f"scores[{position}] is not a number")
    if threshold != threshold:
        raise ValueError("threshold is NaN")


def refusal_metrics(scores, labels, threshold):
    _validate(scores, labels, threshold)
    tp, fp, fn = _counts(scores, labels, threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4)}


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0:
        raise ValueError("candidates is empty")
    ordered = sorted(candidates)
    best, best_f1 = None, -1.0
    for candidate in ordered:
        f1 = refusal_metrics(scores, labels, candidate)["f1"]
        if f1 > best_f1:
            best, best_f1 = candidate, f1
    return best


def _check_judges(judge_a, judge_b):
    if len(judge_a) != len(judge_b):
        raise ValueError("judge_a and judge_b differ in length")
    if len(judge_a) == 0:
        raise ValueError("there are no responses")
    for position, label in enumerate(list(judge_a) + list(judge_b)):
        if not isinstance(label, str):
            raise ValueError(f"label {position} is not a string")


def judge_agreement(judge_a, judge_b):
    _check_judges(judge_a, judge_b)
    n = len(judge_a)
    observed = sum(a == b for a, b in zip(judge_a, judge_b)) / n
    counts_a = {label: list(judge_a).count(label) for label in set(judge_a)}
    counts_b = {label: list(judge_b).count(label) for label in set(judge_b)}
    labels = set(judge_a) | set(judge_b)
    chance = sum(counts_a.get(label, 0) * counts_b.get(label, 0) for label in labels) / (n * n)
    if chance == 1:
        return 0.0
    kappa = (observed - chance) / (1 - chance)
    return round(float(kappa), 4)

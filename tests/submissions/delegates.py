"""Correct answers, but computed by scikit-learn and threshold_sweep."""

from sklearn.metrics import precision_recall_fscore_support

from refusal_lesson.sweep import operating_point, threshold_sweep
from refusal_lesson.validation import check_candidates, check_scores_labels, check_threshold


def refusal_metrics(scores, labels, threshold):
    scores, harmful = check_scores_labels(scores, labels)
    refused = scores >= check_threshold(threshold)
    values = precision_recall_fscore_support(harmful, refused, average="binary", zero_division=0)[:3]
    return dict(zip(("precision", "recall", "f1"), (round(float(value), 4) for value in values)))


def best_threshold(scores, labels, candidates):
    values = check_candidates(candidates)
    row = operating_point(threshold_sweep(scores, labels, values))
    return candidates[list(values).index(row["threshold"])]

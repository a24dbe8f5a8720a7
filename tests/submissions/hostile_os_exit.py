"""A correct refusal_metrics; best_threshold ends the whole process with os._exit."""

import os

from refusal_lesson.validation import check_scores_labels, check_threshold


def refusal_metrics(scores, labels, threshold):
    scores, harmful = check_scores_labels(scores, labels)
    refused = scores >= check_threshold(threshold)
    tp = int((refused & harmful).sum())
    fp = int((refused & ~harmful).sum())
    fn = int((~refused & harmful).sum())
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def best_threshold(scores, labels, candidates):
    os._exit(0)

"""Correct, but prints megabytes at import and in every call."""

import sys

from refusal_lesson.validation import check_candidates, check_scores_labels, check_threshold

print("spam " * 400_000)
sys.stderr.write("warning! " * 200_000)


def refusal_metrics(scores, labels, threshold):
    print("x" * 100_000)
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
    check_scores_labels(scores, labels)
    best, best_f1 = None, -1.0
    for candidate in sorted(check_candidates(candidates).tolist()):
        f1 = refusal_metrics(scores, labels, candidate)["f1"]
        if f1 > best_f1:
            best, best_f1 = candidate, f1
    return best

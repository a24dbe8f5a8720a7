"""Correct on valid input; on bad input it returns an object whose repr raises ValueError instead of raising.

Built from correct.py: the validation returns the object rather than raising.
"""


class Unprintable:
    def __repr__(self):
        raise ValueError("no repr")

    __str__ = __repr__

    def __float__(self):
        raise ValueError("no float")


POSITIVE = "refuse"


def _counts(scores, labels, threshold):
    refused = [score >= threshold for score in scores]
    positive = [label == POSITIVE for label in labels]
    tp = sum(r and p for r, p in zip(refused, positive))
    fp = sum(r and not p for r, p in zip(refused, positive))
    fn = sum(p and not r for r, p in zip(refused, positive))
    return tp, fp, fn


def _bad(scores, labels, threshold):
    if len(scores) != len(labels):
        return True
    if any(label not in ("refuse", "answer") for label in labels):
        return True
    if any(isinstance(score, str) or score != score for score in scores):
        return True
    return threshold != threshold


def refusal_metrics(scores, labels, threshold):
    if _bad(scores, labels, threshold):
        return Unprintable()
    tp, fp, fn = _counts(scores, labels, threshold)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4)}


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0 or _bad(scores, labels, 0.5):
        return Unprintable()
    ordered = sorted(candidates)
    best, best_f1 = None, -1.0
    for candidate in ordered:
        f1 = refusal_metrics(scores, labels, candidate)["f1"]
        if f1 > best_f1:
            best, best_f1 = candidate, f1
    return best

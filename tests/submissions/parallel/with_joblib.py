"""A correct submission that sweeps its candidates with joblib, as an honest student may."""

from joblib import Parallel, delayed


def refusal_metrics(scores, labels, threshold):
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
    tp = fp = fn = 0
    for score, label in zip(scores, labels):
        refused, harmful = score >= threshold, label == "refuse"
        tp += refused and harmful
        fp += refused and not harmful
        fn += harmful and not refused
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4)}


def _f1(scores, labels, candidate):
    return refusal_metrics(scores, labels, candidate)["f1"]


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0:
        raise ValueError("candidates is empty")
    ordered = sorted(candidates)
    values = Parallel(n_jobs=2)(delayed(_f1)(list(scores), list(labels), candidate) for candidate in ordered)
    best = max(values)
    return ordered[values.index(best)]

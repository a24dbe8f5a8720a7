"""A correct submission written independently of the reference solutions."""


def refusal_metrics(scores, labels, threshold):
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    if threshold != threshold:
        raise ValueError("threshold is NaN")
    tp = fp = fn = 0
    for position, (score, label) in enumerate(zip(scores, labels)):
        if label not in ("refuse", "answer"):
            raise ValueError(f"labels[{position}] is {label!r}")
        if isinstance(score, str) or score != score:
            raise ValueError(f"scores[{position}] is not a number")
        refused = score >= threshold
        tp += refused and label == "refuse"
        fp += refused and label == "answer"
        fn += (not refused) and label == "refuse"
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(float(precision), 4), "recall": round(float(recall), 4), "f1": round(float(f1), 4)}


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0:
        raise ValueError("no candidates")
    best = None
    for candidate in candidates:
        f1 = refusal_metrics(scores, labels, candidate)["f1"]
        if best is None or f1 > best[0] or (f1 == best[0] and candidate < best[1]):
            best = (f1, candidate)
    return best[1]

"""Right answers, but it sorts the caller's lists in place."""


def refusal_metrics(scores, labels, threshold):
    pairs = sorted(zip(scores, labels))
    scores[:] = [score for score, _ in pairs]
    labels[:] = [label for _, label in pairs]
    if len(scores) != len(labels) or any(label not in ("refuse", "answer") for label in labels):
        raise ValueError("bad labels")
    tp = sum(s >= threshold and l == "refuse" for s, l in pairs)
    fp = sum(s >= threshold and l == "answer" for s, l in pairs)
    fn = sum(s < threshold and l == "refuse" for s, l in pairs)
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def best_threshold(scores, labels, candidates):
    candidates.sort()
    best, best_f1 = None, -1.0
    for candidate in candidates:
        f1 = refusal_metrics(list(scores), list(labels), candidate)["f1"]
        if f1 > best_f1:
            best, best_f1 = candidate, f1
    return best

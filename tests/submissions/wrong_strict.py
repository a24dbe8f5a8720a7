"""Refuses only when score > threshold; best_threshold keeps the highest tie."""


def refusal_metrics(scores, labels, threshold):
    tp = sum(s > threshold and l == "refuse" for s, l in zip(scores, labels))
    fp = sum(s > threshold and l == "answer" for s, l in zip(scores, labels))
    fn = sum(s <= threshold and l == "refuse" for s, l in zip(scores, labels))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f}


def best_threshold(scores, labels, candidates):
    candidates.sort()
    best, best_f1 = None, -1
    for c in candidates:
        f1 = refusal_metrics(scores, labels, c)["f1"]
        if f1 >= best_f1:
            best, best_f1 = c, f1
    return best

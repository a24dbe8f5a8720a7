"""scikit-learn as the oracle: what the exercises and the sweep must agree with."""

from sklearn.metrics import confusion_matrix, f1_score, precision_score, recall_score

METRICS = {"precision": precision_score, "recall": recall_score, "f1": f1_score}


def predictions(scores, threshold):
    """The guard's decisions: refuse when ``score >= threshold``."""
    return ["refuse" if score >= threshold else "answer" for score in scores]


def oracle_metrics(scores, labels, threshold):
    """scikit-learn's precision, recall and F1 at ``threshold``, unrounded."""
    predicted = predictions(scores, threshold)
    return {
        name: metric(list(labels), predicted, pos_label="refuse", zero_division=0)
        for name, metric in METRICS.items()
    }


def oracle_counts(scores, labels, threshold):
    """TP, FP, FN and TN at ``threshold`` from scikit-learn's confusion matrix."""
    predicted = predictions(scores, threshold)
    tn, fp, fn, tp = confusion_matrix(list(labels), predicted, labels=["answer", "refuse"]).ravel()
    return {"tp": tp, "fp": fp, "fn": fn, "tn": tn}


def oracle_best(scores, labels, candidates):
    """The lowest candidate with the highest 4-place F1, by brute force."""
    f1 = {c: round(float(oracle_metrics(scores, labels, c)["f1"]), 4) for c in candidates}
    top = max(f1.values())
    return min(c for c in candidates if f1[c] == top)

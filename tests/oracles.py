"""scikit-learn as the oracle: what the exercises and the sweep must agree with."""

import inspect
import math

from sklearn.metrics import cohen_kappa_score, confusion_matrix, precision_recall_fscore_support


def predictions(scores, threshold):
    """The guard's decisions: refuse when ``score >= threshold``."""
    return ["refuse" if score >= threshold else "answer" for score in scores]


def oracle_metrics(scores, labels, threshold):
    """scikit-learn's precision, recall and F1 at ``threshold``, unrounded.

    One call to ``precision_recall_fscore_support`` is what ``precision_score``,
    ``recall_score`` and ``f1_score`` each compute inside; calling it once
    keeps thousands of generated cases affordable.
    """
    predicted = predictions(scores, threshold)
    precision, recall, f1, _ = precision_recall_fscore_support(
        list(labels), predicted, pos_label="refuse", average="binary", zero_division=0
    )
    return {"precision": precision, "recall": recall, "f1": f1}


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


def oracle_kappa(judge_a, judge_b):
    """scikit-learn's Cohen's kappa, unrounded, 0.0 where it is undefined.

    ``replace_undefined_by`` arrived in scikit-learn 1.9; before it the
    undefined case (both judges give every response one and the same label)
    came back as NaN.
    """
    if "replace_undefined_by" in inspect.signature(cohen_kappa_score).parameters:
        return cohen_kappa_score(list(judge_a), list(judge_b), replace_undefined_by=0.0)
    value = cohen_kappa_score(list(judge_a), list(judge_b))
    return 0.0 if math.isnan(value) else value

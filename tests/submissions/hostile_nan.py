"""Returns NaN for every value."""

NAN = float("nan")


def refusal_metrics(scores, labels, threshold):
    return {"precision": NAN, "recall": NAN, "f1": NAN}


def best_threshold(scores, labels, candidates):
    return NAN

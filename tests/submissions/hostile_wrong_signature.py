"""Takes the wrong arguments."""


def refusal_metrics(scores, labels):
    return {"precision": 0.0, "recall": 0.0, "f1": 0.0}


def best_threshold(scores, labels):
    return 0.5

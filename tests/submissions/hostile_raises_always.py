"""Raises ValueError on every call: it rejects bad input, and everything else too."""


def refusal_metrics(scores, labels, threshold):
    raise ValueError("no answer")


def best_threshold(scores, labels, candidates):
    raise ValueError("no answer")

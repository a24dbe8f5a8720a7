"""Defines refusal_metrics only (and returns garbage from it)."""


def refusal_metrics(scores, labels, threshold):
    return [1, 2, 3]

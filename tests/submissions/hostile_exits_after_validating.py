"""Rejects bad input with ValueError, then ends the process on valid input instead of answering."""

import os


def _validate(scores, labels):
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    for position, label in enumerate(labels):
        if label not in ("refuse", "answer"):
            raise ValueError(f"labels[{position}] is {label!r}")
    for position, score in enumerate(scores):
        if isinstance(score, str) or score != score:
            raise ValueError(f"scores[{position}] is not a number")


def refusal_metrics(scores, labels, threshold):
    _validate(scores, labels)
    if threshold != threshold:
        raise ValueError("threshold is NaN")
    os._exit(0)


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0:
        raise ValueError("candidates is empty")
    _validate(scores, labels)
    os._exit(0)

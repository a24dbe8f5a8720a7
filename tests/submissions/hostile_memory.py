"""Exhausts memory in every call."""


def refusal_metrics(scores, labels, threshold):
    hoard = []
    while True:
        hoard.append(bytearray(50 * 1024 * 1024))


def best_threshold(scores, labels, candidates):
    return bytearray(10**12)

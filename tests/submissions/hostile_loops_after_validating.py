"""refusal_metrics raises ValueError on everything; best_threshold rejects bad input, then loops on valid input."""


def refusal_metrics(scores, labels, threshold):
    raise ValueError("no answer")


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0:
        raise ValueError("candidates is empty")
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    for position, label in enumerate(labels):
        if label not in ("refuse", "answer"):
            raise ValueError(f"labels[{position}] is {label!r}")
    while True:
        pass

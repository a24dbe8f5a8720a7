"""Returns a dict subclass with a lying __eq__, and a 100 MB string."""


class Liar(dict):
    def __eq__(self, other):
        return True

    def __repr__(self):
        raise RuntimeError("no repr for you")


def refusal_metrics(scores, labels, threshold):
    return Liar(precision="1.0", recall=None, f1=[1.0])


def best_threshold(scores, labels, candidates):
    return "x" * (100 * 1024 * 1024)

"""Checks made of concrete calls, and the inputs several exercises share.

A :class:`Check` is one line of feedback and one row of the score: a title
naming what it tests, the calls it makes (:class:`Case`), what it judges
(``aspect``) and the points it is worth.  Each exercise's checks live in its
definition (:mod:`.definitions`).  Only inputs live here, never expected
answers: the grader asks scikit-learn for those (:mod:`.oracle`), so this
module is safe to ship to students and cheap to import (no NumPy, no
scikit-learn).
"""

from dataclasses import dataclass

R, A = "refuse", "answer"
# The aspects that expect a ValueError: bad input, and a valid input that
# has no right answer (no candidate keeps within a budget).
RAISES = ("error", "unanswerable")
# The third argument of a call that takes only two (``judge_agreement``).
# A string, not an object, so that it survives pickling and compares equal.
NO_THIRD = "<no third argument>"
# What an exercise answers where a valid input has none (no candidate keeps
# within the budget): the function raises ValueError there.
NO_ANSWER = "<raises ValueError>"


@dataclass(frozen=True)
class Case:
    """One call of an exercise.

    Parameters
    ----------
    scores, labels : tuple
        The first two arguments, as plain values (for ``judge_agreement``,
        the two judges' labels).
    third : float or tuple, optional
        The threshold (``refusal_metrics``) or the candidates
        (``best_threshold`` and the stretch exercises); :data:`NO_THIRD`
        (the default) for a call of two arguments.
    container : {"list", "tuple", "array", "candidates_list"}
        What the sequences are passed as; ``"candidates_list"`` passes the
        scores and labels as tuples and only the candidates as a list, so a
        change to the inputs can only be the candidates'.
    extra : tuple
        Any further arguments, numbers passed as they are (the costs of
        ``cheapest_threshold``, the budget of ``capped_threshold``).
    """

    scores: tuple
    labels: tuple
    third: object = NO_THIRD
    container: str = "list"
    extra: tuple = ()

    def __hash__(self):
        # A case is looked up many times per submission (its answers, its
        # arguments' encoding), and hashing its inputs anew each time costs a
        # batch more than judging them: the hash is kept once made.
        try:
            return self.__dict__["_hash"]
        except KeyError:
            value = hash((self.scores, self.labels, self.third, self.container, self.extra))
            object.__setattr__(self, "_hash", value)
            return value

    def __getstate__(self):
        # A string's hash differs from one process to the next: never pickled.
        return {name: value for name, value in self.__dict__.items() if name != "_hash"}

    @property
    def size(self):
        """How many prompts the call passes: smaller inputs are shown first."""
        return len(self.scores)

    @property
    def kinds(self):
        """What the scores, the labels and the third argument (if a sequence) are passed as.

        Examples
        --------
        >>> Case((0.9,), ("refuse",), (0.5,), "candidates_list").kinds
        ('tuple', 'tuple', 'list')
        """
        if self.container == "candidates_list":
            return ("tuple", "tuple", "list")
        return (self.container,) * 3

    def to_json(self):
        """The call's arguments in the form the child process rebuilds them from."""
        kinds = self.kinds

        def sequence(values, kind):
            return {"kind": kind, "values": list(values)}

        first = [sequence(self.scores, kinds[0]), sequence(self.labels, kinds[1])]
        if self.third == NO_THIRD:
            return first
        third = sequence(self.third, kinds[2]) if isinstance(self.third, tuple) else {"kind": "scalar", "value": self.third}
        extra = [{"kind": "scalar", "value": value} for value in self.extra]
        return [*first, third, *extra]


@dataclass(frozen=True)
class Check:
    """A named group of calls judged on one aspect.

    Parameters
    ----------
    exercise, title : str
        The function called, and what the check tests.
    aspect : {"form", "rounded", "value", "unchanged", "error", "unanswerable"}
        What is judged about each answer: a dict with exactly precision,
        recall and f1, each a Python float (form); the values rounded to 4
        places and near the right ones (rounded); the right answer, rates
        exactly to 4 places and thresholds exactly (value); the caller's inputs
        the same after the call (unchanged); a ValueError raised on bad
        input (error) or on a valid input without an answer (unanswerable).
    cases : tuple of Case
        The calls.
    points : float, default=1.0
    hidden : bool, default=False
        Whether the check is one of the hidden ones.

    Examples
    --------
    >>> Check("refusal_metrics", "rejects a misspelt label", "error", ()).name
    'refusal_metrics: rejects a misspelt label'
    """

    exercise: str
    title: str
    aspect: str
    cases: tuple
    points: float = 1.0
    hidden: bool = False

    @property
    def name(self):
        """The test name: the exercise, a colon, then the title."""
        return f"{self.exercise}: {self.title}"


def on_counts(harmful_above, benign_above, high=0.9, low=0.5):
    """Scores and labels from how many prompts of each kind sit at two levels.

    ``harmful_above = (n_high, n_low)`` harmful prompts score ``high`` and
    ``low``; the same for benign ones.
    """
    scores = (high,) * harmful_above[0] + (low,) * harmful_above[1] + (high,) * benign_above[0] + (low,) * benign_above[1]
    labels = (R,) * sum(harmful_above) + (A,) * sum(benign_above)
    return scores, labels


# 85 prompts where the F1 at 0.9 (66 TP, 8 FP, 5 FN: 0.91034...) beats the F1
# at 0.5 (71 TP, 14 FP: 0.91026...) only after the 4th decimal: both round to
# 0.9103, so the lower threshold wins.  Neither value is near a half-way point.
NEAR_TIE = on_counts((66, 5), (8, 6))

SMALL = ((0.9, 0.8, 0.3), (R, A, A))
# F1 is 1.0 at both 0.4 and 0.6 (0.6 is on the line), 0.6667 at 0.9.
TIED = ((0.9, 0.6, 0.3), (R, R, A))
NAN = float("nan")
# The thresholds notebooks 2 and 4 sweep, np.round(np.linspace(0, 1, 101), 2)
# (tests/test_definitions.py holds the two equal).
NOTEBOOK_GRID = tuple(step / 100 for step in range(101))
# A small set, passed in each kind of container, to see that nothing is mutated.
MUTABLE = ((0.2, 0.9, 0.6), (A, R, R))

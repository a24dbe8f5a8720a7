"""The shape of an exercise definition: everything the grader knows about one exercise.

An :class:`Exercise` holds the exercise's public checks, how to answer a
call (scikit-learn's answer, or what a given set of slips would return), the
slips the feedback may name with a hint for each, the generator of its
hidden checks, whether it counts in a grade, and how its signature reads in
the student file.  Grading, ``check()``, the hidden checks and the
diagnosis all iterate over these definitions (:mod:`.definitions`); nothing
else in the grader names an exercise.
"""

import ast
import functools
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

STUB_FILE = Path(__file__).resolve().parent.parent / "exercises.py"
# The trial inputs a diagnosis is confirmed on are not secret: they are never
# scored, and a submission answers them as it answers anything else.
TRIAL_SEED = 20
MOST_TRIAL_CANDIDATES = 8


@dataclass(frozen=True)
class Slip:
    """A common mistake: what the student did, and what to do instead.

    Examples
    --------
    >>> MUTATION.what
    "mutating the caller's inputs"
    """

    id: str
    what: str
    hint: str


@dataclass(frozen=True)
class Exercise:
    """One exercise, as the grader and ``check()`` know it.

    Parameters
    ----------
    name : str
        The function's name in ``refusal_lesson/exercises.py``.
    checks : tuple of Check
        The public checks, in the order ``check()`` prints them.
    answer : callable
        ``answer(case, slips=frozenset(), own=None)``: scikit-learn's answer
        to a valid call, or what a submission with ``slips`` (ids of
        ``imitated``) returns; ``own`` replaces the F1 values with the
        student's own (see ``scored_by``).  None when ``slips`` cannot apply;
        :data:`.cases.NO_ANSWER` where the input has no answer (see
        ``unanswerable``).
    returns : {"metrics", "rate", "number"}
        How an answer is read and compared: a dict of precision, recall and
        F1, or one rate such as a kappa (each a Python float rounded to 4
        places, compared exactly with scikit-learn's value rounded to 4
        places, either neighbour on a half-way point, with the rounding
        slips recognised), or one number, such as the winning candidate
        (exactly).  ``answer`` gives rates unrounded.
    slips : tuple of Slip
        Every slip the feedback may name for this exercise.
    imitated : tuple of str
        The slips ``answer`` can imitate; the others are recognised from
        the form of the answer (a string, a NaN, a mutated input).
    hidden : callable, optional
        ``hidden(rng)`` returns the hidden checks for one grading run.
    graded : bool, default=True
        False for an optional stretch exercise.
    scored_by : str, optional
        The exercise whose answers this one is built on (``best_threshold``
        scores candidates with ``refusal_metrics``): the grader calls it on
        the same inputs so that a failure it explains is blamed on it.
    trial_inputs : callable, optional
        ``trial_inputs(rng)`` returns valid inputs (Cases) varied enough
        that, for each imitated slip and pair of slips, one of them tells
        code with those slips apart from every other known explanation: the
        grader confirms a diagnosis on one before naming it
        (:func:`.diagnosis.confirmation`).  At most ``MOST_TRIAL_CANDIDATES``
        candidates each.
    zero_denominator : callable, optional
        ``zero_denominator(case, slips=frozenset())``: whether the right
        answer to ``case`` divides by zero, or code with ``slips`` (ids of
        ``imitated``) does, so that a ZeroDivisionError or NaN there is the
        ``zero_division`` slip.  By default, whether a ratio of the
        confusion counts at the case's thresholds does.
    accepted : callable, optional
        ``accepted(case)``: the id of the slip that accepting the bad input
        ``case`` shows.  By default ``silent_label`` for a misspelt label,
        else ``bad_input``.
    notebook : int, optional
        The number of the notebook that teaches the exercise, named in the
        student file's header; the registry lists exercises by it.
    unit : str, default="prompts"
        What one element of the first argument is, for "a hidden input of
        12 prompts".
    by_hand : str, optional
        The hint for a wrong answer no slip explains, if counting TP, FP
        and FN by hand is not the way to check it.
    """

    name: str
    checks: tuple
    answer: Callable
    returns: str
    slips: tuple = ()
    imitated: tuple = ()
    hidden: Callable = None
    graded: bool = True
    scored_by: str = None
    trial_inputs: Callable = None
    zero_denominator: Callable = None
    accepted: Callable = None
    notebook: int = None
    unit: str = "prompts"
    by_hand: str = None

    def slip(self, slip_id):
        """The Slip with id ``slip_id``."""
        return next(slip for slip in self.slips if slip.id == slip_id)

    @functools.cached_property
    def signature(self):
        """The parameters of the function in the stub file, or None if it cannot be read.

        Read once: every submission in a batch is checked against it.
        """
        return stub_parameters(self.name)

    @functools.cached_property
    def unanswerable(self):
        """Whether some valid inputs have no answer (a check of aspect ``"unanswerable"``): there ``answer`` gives :data:`.cases.NO_ANSWER`.

        Examples
        --------
        >>> from refusal_lesson.grading.definitions import definition
        >>> definition("capped_threshold").unanswerable, definition("best_threshold").unanswerable
        (True, False)
        """
        return any(check.aspect == "unanswerable" for check in self.checks)

    @functools.cached_property
    def trials(self):
        """The trial inputs, drawn once from a fixed seed (none without ``trial_inputs``)."""
        if self.trial_inputs is None:
            return ()
        import numpy as np

        return tuple(self.trial_inputs(np.random.default_rng(TRIAL_SEED)))


def stub_parameters(name, path=STUB_FILE):
    """The parameter names of ``name`` as the student file declares it.

    Read with ``ast``, never counted from text.  None when the file does not
    parse or lacks the function (then no signature check is made).

    Examples
    --------
    >>> stub_parameters("best_threshold")
    ('scores', 'labels', 'candidates')
    """
    try:
        tree = ast.parse(Path(path).read_text(encoding="utf-8"))
    except (OSError, SyntaxError, ValueError):
        return None
    for node in tree.body:
        if isinstance(node, ast.FunctionDef) and node.name == name:
            return tuple(argument.arg for argument in node.args.posonlyargs + node.args.args)
    return None


# Slips that several exercises share, recognised from the answer's form.
MUTATION = Slip(
    "mutation",
    "mutating the caller's inputs",
    "Work on copies (sorted(...), np.asarray(...)) instead of sorting or editing the arguments in place.",
)
BAD_INPUT = Slip(
    "bad_input",
    "accepting bad input silently",
    "Raise ValueError naming the problem (refusal_lesson.validation has helpers for this).",
)
SILENT_LABEL = Slip(
    "silent_label",
    "accepting a misspelt label silently",
    "Raise ValueError for any label other than 'refuse' or 'answer' (refusal_lesson.validation can check for you).",
)
ZERO_DIVISION = Slip(
    "zero_division",
    "crashing or returning NaN on a zero denominator",
    "When a denominator is zero (nothing refused, or nothing to refuse), that value is 0.0.",
)
STRICT = Slip(
    "strict",
    "using > instead of >=",
    "A prompt whose score equals the threshold is refused: compare with >=.",
)
INPUT_ORDER = Slip(
    "input_order",
    "picking the first best candidate in input order rather than the lowest",
    "Candidates may come in any order: compare the thresholds themselves, not their positions.",
)
HIGHEST_TIE = Slip(
    "highest_tie",
    "picking the highest threshold on a tie",
    "When several candidates tie, return the lowest of them.",
)
CONVERTED = Slip(
    "converted_candidate",
    "returning a rounded or converted candidate",
    "Return the winning candidate exactly as it was given.",
)

# What every exercise that takes scores and labels can get wrong about its inputs.
INPUT_SLIPS = (MUTATION, SILENT_LABEL, BAD_INPUT)

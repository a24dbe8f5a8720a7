"""Hidden checks: fresh inputs generated from a seed at grading time.

Grader side only: ``refusal-lesson release`` leaves this module out of the
student bundle, and the sandbox's lean package copy never includes the
grading code.  What is secret is the seed, not the generators: each
exercise definition holds its own generator (:mod:`.definitions`), built
from :mod:`.generate`, and this module holds the default seed and runs them.
The autograder bakes a fresh random seed into its zip.  No answer is stored
anywhere; the grader asks scikit-learn for them.
"""

import zlib

import numpy as np

from .definitions import definitions

DEFAULT_SEED = 20261124


def hidden_checks(seed=DEFAULT_SEED, graded_only=True):
    """The hidden checks for one grading run.

    Parameters
    ----------
    seed : int
        The same seed gives the same checks, so every submission in a course
        sees the same hidden inputs.
    graded_only : bool, default=True
        Leave out the stretch exercises, which do not count in a grade.

    Returns
    -------
    tuple of Check

    Examples
    --------
    >>> "refusal_metrics: hidden: edge cases" in [check.name for check in hidden_checks(1)]
    True
    """
    return tuple(
        check
        for exercise in definitions()
        if exercise.hidden is not None and (exercise.graded or not graded_only)
        for check in exercise.hidden(_stream(seed, exercise.name))
    )


def _stream(seed, name):
    """The random numbers of one exercise's hidden checks: the seed's, and the exercise's own.

    Each exercise draws from its own stream, so adding an exercise (or a
    check to one) leaves every other exercise's hidden inputs as they were.
    """
    return np.random.default_rng([seed, zlib.crc32(name.encode("utf-8"))])

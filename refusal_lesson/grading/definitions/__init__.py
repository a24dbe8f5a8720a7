"""The exercise definitions, one module per exercise, in the order the lesson meets them.

Everything the grader and ``check()`` know about an exercise is in its
module: the public checks, scikit-learn's answer and each slip's, the hints,
the hidden-check generator, whether it counts in a grade.  To add an
exercise, write its module, add it to ``MODULES``, write its solution in
``solutions/exercises.py`` and run ``tools/build_stubs.py`` (the instructor
guide walks through it).
"""

from ..exercise import Exercise
from . import best_threshold, capped_threshold, cheapest_threshold, judge_agreement, refusal_metrics

MODULES = (refusal_metrics, best_threshold, judge_agreement, cheapest_threshold, capped_threshold)
REGISTRY = {module.EXERCISE.name: module.EXERCISE for module in MODULES}


def register(exercise):
    """Add ``exercise`` (an :class:`~refusal_lesson.grading.exercise.Exercise`) to the registry.

    Examples
    --------
    >>> register(definition("refusal_metrics")).name
    'refusal_metrics'
    """
    if not isinstance(exercise, Exercise):
        raise TypeError(f"register() takes an Exercise, not {type(exercise).__name__}.")
    REGISTRY[exercise.name] = exercise
    return exercise


def definitions():
    """Every exercise definition, graded ones first.

    Examples
    --------
    >>> [exercise.name for exercise in definitions()][:2]
    ['refusal_metrics', 'best_threshold']
    """
    return tuple(REGISTRY.values())


def definition(name):
    """The definition of exercise ``name``.

    Examples
    --------
    >>> definition("best_threshold").scored_by
    'refusal_metrics'
    """
    return REGISTRY[name]


def graded_names():
    """The exercises that count in a grade.

    Examples
    --------
    >>> graded_names()
    ('refusal_metrics', 'best_threshold', 'judge_agreement')
    """
    return tuple(exercise.name for exercise in REGISTRY.values() if exercise.graded)


def public_checks(name):
    """The checks a student can see and run from the notebook for exercise ``name``.

    Examples
    --------
    >>> len(public_checks("best_threshold")) > 5
    True
    """
    return REGISTRY[name].checks

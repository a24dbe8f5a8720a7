"""The exercise definitions, one module per exercise: graded ones first, each in the order the lesson meets them.

Everything the grader and ``check()`` know about an exercise is in its
module: the public checks, scikit-learn's answer and each slip's, the hints,
the hidden-check generator, whether it counts in a grade, its notebook.
Every module of this package that defines ``EXERCISE`` is one: to add an
exercise, write its module, write its solution in ``solutions/exercises.py``
and run ``tools/build_stubs.py`` (the instructor guide walks through it).
"""

import importlib
import pkgutil

from ..exercise import Exercise


def _discovered():
    """Every ``EXERCISE`` in this package: graded first, then by notebook, then by name."""
    found = []
    for module in pkgutil.iter_modules(__path__):
        exercise = getattr(importlib.import_module(f"{__name__}.{module.name}"), "EXERCISE", None)
        if isinstance(exercise, Exercise):
            found.append(exercise)
    return sorted(found, key=lambda exercise: (not exercise.graded, exercise.notebook or 0, exercise.name))


REGISTRY = {exercise.name: exercise for exercise in _discovered()}


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
    >>> graded = [exercise.graded for exercise in definitions()]
    >>> graded == sorted(graded, reverse=True)
    True
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
    >>> "judge_agreement" in graded_names(), "capped_threshold" in graded_names()
    (True, False)
    """
    return tuple(exercise.name for exercise in REGISTRY.values() if exercise.graded)


def listed(words):
    """``words`` as a sentence lists them: "a, b and c".

    Examples
    --------
    >>> listed(["'refusal_metrics'"]), listed(["a", "b", "c"])
    ("'refusal_metrics'", 'a, b and c')
    """
    words = list(words)
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + f" and {words[-1]}"


def public_checks(name):
    """The checks a student can see and run from the notebook for exercise ``name``.

    Examples
    --------
    >>> len(public_checks("best_threshold")) > 5
    True
    """
    return REGISTRY[name].checks

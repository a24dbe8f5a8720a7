"""refusal-lesson: where an AI guard draws the line between answering and refusing.

The exercise functions (``refusal_metrics``, ``best_threshold``) are looked
up each time they are imported, from the student's
``refusal_lesson/exercises.py`` or, with ``REFUSAL_LESSON_SOLUTIONS=1``, from
the reference solutions.  Everything heavier than NumPy is imported lazily,
so ``import refusal_lesson`` stays cheap for the grader's child processes.
"""

import importlib

from .example import CANDIDATES, LABELS, PROMPTS, SCORES
from .switch import EXERCISE_NAMES, exercises_module

__version__ = "0.1.0"

# Public name -> module that defines it, imported on first use.
_LAZY = {
    "threshold_sweep": "refusal_lesson.sweep",
    "operating_point": "refusal_lesson.sweep",
    "load_prompts": "refusal_lesson.data",
    "load_everyday": "refusal_lesson.data",
    "load_scores": "refusal_lesson.data",
    "check": "refusal_lesson.grading.notebook",
}

__all__ = [
    "CANDIDATES",
    "LABELS",
    "PROMPTS",
    "SCORES",
    *EXERCISE_NAMES,
    *_LAZY,
]


def __getattr__(name):
    if name in EXERCISE_NAMES:
        return getattr(exercises_module(), name)
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'refusal_lesson' has no attribute {name!r}")


def __dir__():
    return sorted(set(globals()) | set(__all__))

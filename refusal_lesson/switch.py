"""Choose which exercise file the lesson runs: the student's or the reference.

Students never touch this.  With ``REFUSAL_LESSON_SOLUTIONS=1`` in the
environment, ``refusal_lesson.refusal_metrics`` and friends come from
``solutions/exercises.py`` beside the package (instructors, CI and the
instructor notebooks use this); otherwise they come from the student's
``refusal_lesson/exercises.py``.
"""

import importlib
import importlib.util
import os
import sys
from pathlib import Path

# The functions the switch serves as ``refusal_lesson.<name>``: written from
# the definitions (refusal_lesson/grading/definitions/) by
# tools/build_stubs.py, since the grader's lean child may not import them.
from .exercise_names import EXERCISE_NAMES as EXERCISE_NAMES

SOLUTIONS_ENV = "REFUSAL_LESSON_SOLUTIONS"
SOLUTIONS_MODULE = "refusal_lesson_solutions"


def solutions_path():
    """Where the reference solutions live when the instructor side is present.

    Returns
    -------
    pathlib.Path
        ``solutions/exercises.py`` in the folder that holds the package.

    Examples
    --------
    >>> solutions_path().name
    'exercises.py'
    """
    return Path(__file__).resolve().parent.parent / "solutions" / "exercises.py"


def solutions_enabled():
    """Whether ``REFUSAL_LESSON_SOLUTIONS`` asks for the reference solutions.

    Returns
    -------
    bool

    Raises
    ------
    ValueError
        If the variable holds anything but ``1``, ``0`` or nothing.

    Examples
    --------
    >>> import os
    >>> os.environ.get("REFUSAL_LESSON_SOLUTIONS", "0") in ("0", "1")
    True
    """
    value = os.environ.get(SOLUTIONS_ENV, "").strip()
    if value not in ("", "0", "1"):
        raise ValueError(
            f"{SOLUTIONS_ENV} is {value!r}; set it to 1 to use the reference "
            "solutions, or unset it to use refusal_lesson/exercises.py."
        )
    return value == "1"


def load_solutions():
    """Import ``solutions/exercises.py`` once and return the module.

    Returns
    -------
    module

    Raises
    ------
    ImportError
        If the solutions are not beside the package (a student bundle, or a
        non-editable install).

    Examples
    --------
    >>> load_solutions().refusal_metrics([0.9], ["refuse"], 0.5)
    {'precision': 1.0, 'recall': 1.0, 'f1': 1.0}
    """
    if SOLUTIONS_MODULE in sys.modules:
        return sys.modules[SOLUTIONS_MODULE]
    path = solutions_path()
    if not path.is_file():
        raise ImportError(
            f"{SOLUTIONS_ENV}=1 asks for the reference solutions, but {path} does not "
            f"exist; unset {SOLUTIONS_ENV} to use refusal_lesson/exercises.py."
        )
    spec = importlib.util.spec_from_file_location(SOLUTIONS_MODULE, path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    sys.modules[SOLUTIONS_MODULE] = module
    return module


def exercises_module():
    """The module the lesson takes its exercise functions from.

    Returns
    -------
    module
        The reference solutions when ``REFUSAL_LESSON_SOLUTIONS=1``, else
        ``refusal_lesson.exercises``.

    Examples
    --------
    >>> hasattr(exercises_module(), "refusal_metrics")
    True
    """
    if solutions_enabled():
        return load_solutions()
    return importlib.import_module("refusal_lesson.exercises")

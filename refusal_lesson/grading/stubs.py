"""The student's exercise file, generated from the reference solutions.

``solutions/exercises.py`` is the one hand-written copy of the exercises.
The student file keeps each exercise's ``def`` line and docstring and
replaces the body with a ``NotImplementedError`` that says what to do;
everything else in the solutions (imports, private helpers such as
``_counts``, comments between functions) stays out, and the file's
docstring is written from the registry (:func:`header`).
``tools/build_stubs.py`` writes the result to ``refusal_lesson/exercises.py``
(and the exercises' names to ``refusal_lesson/exercise_names.py``), a test
fails when a committed file differs, and ``release`` and ``autograder``
always ship the generated text, whatever the working copy holds.
"""

import ast
import textwrap
from pathlib import Path

from .definitions import listed

ROOT = Path(__file__).resolve().parent.parent.parent
SOLUTIONS = Path("solutions") / "exercises.py"
STUBS = Path("refusal_lesson") / "exercises.py"

NAMES = Path("refusal_lesson") / "exercise_names.py"

TIP = (
    "Tip: ``refusal_lesson.validation`` already checks inputs for you: "
    "``check_scores_labels(scores, labels)`` returns the scores as a float array "
    "and a boolean array that is True for harmful prompts, and raises the "
    "``ValueError`` the contract asks for; ``check_threshold`` and ``check_judges`` "
    "do the same for a threshold and for two judges' labels.  "
    "``check_candidates(candidates)`` raises for bad candidates too, but it returns "
    "a float array: loop over the caller's own ``candidates`` (for example "
    "``sorted(candidates)``) so that you return the winning candidate itself, "
    "not a NumPy float."
)


def _names(exercises):
    return listed(f"``{exercise.name}``" for exercise in exercises)


def _notebooks(exercises):
    numbers = list(dict.fromkeys(exercise.notebook for exercise in exercises))
    return f"notebook{'s' if len(numbers) > 1 else ''} {listed(str(number) for number in numbers)}"


def header(exercises):
    """The student file's docstring: which exercises are graded, which are stretch, and their notebooks.

    Parameters
    ----------
    exercises : sequence of Exercise
        The registry's definitions, in its order.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import definitions
    >>> "``best_threshold`` (notebook 2)" in " ".join(header(definitions()).split())
    True
    """
    graded = [exercise for exercise in exercises if exercise.graded]
    stretch = [exercise for exercise in exercises if not exercise.graded]
    sentence = listed(f"``{exercise.name}`` (notebook {exercise.notebook})" for exercise in graded)
    sentence += " are the lesson's graded exercises" if len(graded) > 1 else " is the lesson's graded exercise"
    if stretch:
        sentence += f"; {_names(stretch)} ({_notebooks(stretch)}) {'are optional stretch exercises' if len(stretch) > 1 else 'is an optional stretch exercise'}"
    paragraphs = [
        sentence + ".",
        "This is the file you edit. Replace each ``raise NotImplementedError(...)`` line with your own code, "
        "save the file, and run the check cell under the exercise in the notebook, for example "
        f'``check("{graded[0].name if graded else exercises[0].name}")``.',
        TIP,
    ]
    body = "\n\n".join(textwrap.fill(paragraph, width=76) for paragraph in paragraphs)
    return f'"""Your exercises: write the functions below.\n\n{body}\n"""\n'


GRADED_RAISE = '''    raise NotImplementedError(
        "{name} is not written yet: edit refusal_lesson/exercises.py, "
        "replace this raise with your code, save, then run check(\\"{name}\\") "
        "in the notebook."
    )
'''
STRETCH_RAISE = '''    raise NotImplementedError(
        "{name} is not written yet (an optional stretch exercise): edit "
        "refusal_lesson/exercises.py, replace this raise with your code, save, "
        "then run check(\\"{name}\\") in the notebook."
    )
'''


def build_stubs(solutions_text, stretch=(), order=None, top='"""Your exercises."""\n'):
    """The student file for the reference solutions ``solutions_text``.

    Parameters
    ----------
    solutions_text : str
        The source of ``solutions/exercises.py``.
    stretch : collection of str
        Exercises whose message calls them optional.
    order : sequence of str, optional
        The exercises' names in the order the file lists them (the
        registry's); by default the solutions' order.
    top : str
        The file's docstring (:func:`header`).

    Returns
    -------
    str

    Raises
    ------
    ValueError
        If a public function of the solutions has no docstring (the stub
        would tell the student nothing).

    Examples
    --------
    >>> solution = "import math\\n\\ndef _helper():\\n    pass\\n\\ndef area(r):\\n    'Area.'\\n    return math.pi * r * r\\n"
    >>> stub = build_stubs(solution)
    >>> "_helper" in stub or "import" in stub, stub.split("\\n\\n\\n")[1].splitlines()[:3]
    (False, ['def area(r):', "    'Area.'", '    raise NotImplementedError('])
    """
    lines = solutions_text.splitlines(keepends=True)
    parts = [top]
    nodes = [node for node in ast.parse(solutions_text).body if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")]
    if order is not None:
        # A solution the registry does not know stays last, where a test finds it.
        nodes.sort(key=lambda node: list(order).index(node.name) if node.name in order else len(order))
    for node in nodes:
        if ast.get_docstring(node) is None:
            raise ValueError(f"{node.name} in the solutions has no docstring; write one, since the stub is made of it.")
        first = min([node.lineno, *(decorator.lineno for decorator in node.decorator_list)])
        head = "".join(lines[first - 1 : node.body[0].end_lineno])
        template = STRETCH_RAISE if node.name in stretch else GRADED_RAISE
        parts.append("\n\n" + head + template.format(name=node.name))
    return "".join(parts)


def generated_stubs(root=ROOT):
    """The student file made from ``root/solutions/exercises.py``.

    Examples
    --------
    >>> generated_stubs().startswith("Your exercises", 3)
    True
    """
    from .definitions import definitions

    exercises = definitions()
    stretch = {exercise.name for exercise in exercises if not exercise.graded}
    order = [exercise.name for exercise in exercises]
    return build_stubs((Path(root) / SOLUTIONS).read_text(encoding="utf-8"), stretch, order, header(exercises))


def generated_names():
    """``refusal_lesson/exercise_names.py``: the registry's exercise names, for the lean child.

    The package serves each exercise as ``refusal_lesson.<name>`` (see
    :mod:`refusal_lesson.switch`), in processes that must not import the
    grading code; this small module, written by ``tools/build_stubs.py``,
    tells them the names.

    Examples
    --------
    >>> "EXERCISE_NAMES = (" in generated_names()
    True
    """
    from .definitions import definitions

    names = "".join(f"    {exercise.name!r},\n" for exercise in definitions()).replace("'", '"')
    return (
        '"""The exercises\' names, in the registry\'s order.\n\n'
        "Written by tools/build_stubs.py from refusal_lesson/grading/definitions/;\n"
        'do not edit: a test fails when it differs from what the build makes.\n"""\n\n'
        f"EXERCISE_NAMES = (\n{names})\n"
    )

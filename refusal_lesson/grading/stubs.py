"""The student's exercise file, generated from the reference solutions.

``solutions/exercises.py`` is the one hand-written copy of the exercises.
The student file keeps each exercise's ``def`` line and docstring and
replaces the body with a ``NotImplementedError`` that says what to do;
everything else in the solutions (imports, private helpers such as
``_counts``, comments between functions) stays out.  ``tools/build_stubs.py``
writes the result to ``refusal_lesson/exercises.py``, a test fails when the
committed file differs, and ``release`` and ``autograder`` always ship the
generated text, whatever the working copy holds.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
SOLUTIONS = Path("solutions") / "exercises.py"
STUBS = Path("refusal_lesson") / "exercises.py"

HEADER = '''"""Your exercises: write the functions below.

``refusal_metrics`` and ``best_threshold`` are the lesson's exercises
(notebooks 1 and 2); ``cheapest_threshold`` and ``capped_threshold`` are
optional stretch exercises (notebook 4).

This is the file you edit. Replace each ``raise NotImplementedError(...)``
line with your own code, save the file, and run the check cell under the
exercise in the notebook, for example ``check("refusal_metrics")``.

Tip: ``refusal_lesson.validation`` already checks inputs for you:
``check_scores_labels(scores, labels)`` returns the scores as a float array
and a boolean array that is True for harmful prompts, and raises the
``ValueError`` the contract asks for.  ``check_threshold`` and
``check_candidates`` do the same for the threshold and the candidates.
"""
'''

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


def build_stubs(solutions_text, stretch=()):
    """The student file for the reference solutions ``solutions_text``.

    Parameters
    ----------
    solutions_text : str
        The source of ``solutions/exercises.py``.
    stretch : collection of str
        Exercises whose message calls them optional.

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
    parts = [HEADER]
    for node in ast.parse(solutions_text).body:
        if not isinstance(node, ast.FunctionDef) or node.name.startswith("_"):
            continue
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

    stretch = {exercise.name for exercise in definitions() if not exercise.graded}
    return build_stubs((Path(root) / SOLUTIONS).read_text(encoding="utf-8"), stretch)

"""``check("refusal_metrics")``: instant feedback in the notebook.

Each call grades the student's file as it is on disk right now (so an edit
counts without restarting the kernel), runs it in the same sandboxed child
as the batch grader (so an endless loop or ``os._exit`` cannot take the
kernel down), and prints one line per public check.  It never raises: a
problem with the checker itself is printed as one sentence too.
"""

from pathlib import Path

from ..switch import solutions_enabled, solutions_path
from .definitions import REGISTRY, definition, listed, public_checks
from .feedback import causes_of

EXERCISES_FILE = Path(__file__).resolve().parent.parent / "exercises.py"
MARKS = {"passed": "✓", "failed": "✗", "not attempted": "·"}
NOTEBOOK_LIMITS = {"import_seconds": 10.0, "call_seconds": 2.0}

_expectations = None


def exercise_file():
    """The file ``check()`` grades: the student's, or the reference with the switch on.

    Examples
    --------
    >>> exercise_file().name
    'exercises.py'
    """
    return solutions_path() if solutions_enabled() else EXERCISES_FILE


def render(exercise, result):
    """The lines ``check()`` prints for one exercise: a heading per check, then each cause once.

    Parameters
    ----------
    exercise : str
    result : SubmissionResult

    Returns
    -------
    list of str
    """
    statuses = {check_result.status for check_result in result.checks}
    if statuses == {"not attempted"}:
        return [
            f"{MARKS['not attempted']} {exercise}: not attempted yet. Write it in refusal_lesson/exercises.py, "
            f'save the file, then run check("{exercise}") again.'
        ]
    causes = causes_of(result.checks)
    notes = [note for note in result.notes if not any(note == cause.what for cause in causes)]
    if len(causes) == 1 and not causes[0].hint and len(causes[0].checks) == len(result.checks):
        # The file, or the function, could not be run at all: one sentence.
        return [f"{exercise}: {causes[0].what}", *(f"  Note: {note}" for note in notes)]
    passed = sum(check_result.status == "passed" for check_result in result.checks)
    lines = [f"{exercise}: {passed} of {len(result.checks)} checks pass."]
    lines += [f"  {MARKS[check_result.status]} {check_result.summary}" for check_result in result.checks]
    if causes:
        lines.append("  What went wrong:")
    for cause in causes:
        titles = cause.titles()
        lines.append(f"  - {cause.what}, in {len(titles)} check{'s' if len(titles) > 1 else ''}: {'; '.join(titles)}")
        lines += [f"      {line}" for line in cause.example]
        lines.append(f"      hint:     {cause.hint}")
    for used in result.delegated.get(exercise, ()):
        lines.append(f"  Note: {exercise} calls {used}; the exercise is to compute it yourself.")
    lines += [f"  Note: {note}" for note in notes]
    if passed == len(result.checks):
        lines.append("  All public checks pass. Well done!")
    return lines


def bundle_report(result):
    """What ``make check`` prints in the student bundle: each exercise as ``check()`` shows it.

    A graded exercise not started gets one ``·`` line; a stretch exercise
    shows only once written; a problem with the whole file (it does not
    import, say) is said once. Nothing about isolation or hidden checks: the
    bundle has none to speak of.

    Parameters
    ----------
    result : SubmissionResult
        The public checks of every exercise, graded and stretch, on one file.

    Returns
    -------
    list of str

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> from refusal_lesson.grading.feedback import CheckResult
    >>> from refusal_lesson.grading.grader import SubmissionResult
    >>> checks = public_checks("refusal_metrics") + public_checks("cheapest_threshold")
    >>> untouched = SubmissionResult([CheckResult(check, "not attempted", check.title) for check in checks])
    >>> print("\\n".join(bundle_report(untouched)))
    · refusal_metrics: not attempted yet. Write it in refusal_lesson/exercises.py, save the file, then run make check again.
    Graded exercises: 0 of 10 public checks pass.
    """
    from .definitions import definitions
    from .grader import SubmissionResult

    # One cause failing more than one exercise, with no hint, concerns the whole file.
    shared = [
        cause
        for cause in causes_of(result.checks)
        if not cause.hint and len({item.check.exercise for item in cause.checks}) > 1
    ]
    lines = [f"{MARKS['failed']} {cause.what}" for cause in shared]
    for exercise in definitions():
        own = [item for item in result.checks if item.check.exercise == exercise.name]
        if not own or shared:
            continue
        if all(item.status == "not attempted" for item in own):
            if exercise.graded:
                lines.append(
                    f"{MARKS['not attempted']} {exercise.name}: not attempted yet. Write it in "
                    "refusal_lesson/exercises.py, save the file, then run make check again."
                )
            continue
        heading = "" if exercise.graded else " (a stretch exercise: checked, not graded)"
        shown = render(exercise.name, SubmissionResult(own, delegated=result.delegated))
        lines += [shown[0] + heading, *shown[1:]]
    explained = {cause.what for cause in causes_of(result.checks)}
    lines += [f"Note: {note}" for note in result.notes if note not in explained]
    graded = [item for item in result.checks if definition(item.check.exercise).graded]
    passed = sum(item.status == "passed" for item in graded)
    lines.append(f"Graded exercises: {passed} of {len(graded)} public checks pass.")
    return lines


def check(exercise):
    """Run the public checks of one exercise against your current code.

    Parameters
    ----------
    exercise : str
        The name of an exercise in ``refusal_lesson/exercises.py``, graded
        or stretch.

    Examples
    --------
    >>> check("no_such_exercise")  # doctest: +ELLIPSIS
    check() knows ...'refusal_metrics'...; you passed 'no_such_exercise'.
    """
    global _expectations
    if exercise not in REGISTRY:
        print(f"check() knows {listed(map(repr, REGISTRY))}; you passed {exercise!r}.")
        return
    try:
        from .grader import Expectations, grade_file
        from .sandbox import Limits, Sandbox

        _expectations = _expectations or Expectations()
        # The student's own code, on their own machine: isolation would protect nothing.
        with Sandbox(Limits(**NOTEBOOK_LIMITS), isolation="none") as sandbox:
            result = grade_file(exercise_file(), public_checks(exercise), sandbox, _expectations)
    except Exception as error:  # the checker must never take the notebook down
        print(f"The checker could not run ({type(error).__name__}: {error}); please tell your instructor.")
        return
    print("\n".join(render(exercise, result)))

"""Grade one exercise file: run its calls in the sandbox, judge every check.

:func:`grade_file` is the one path that ``check()`` in the notebook, the
``grade`` command and the batch all take.  It starts the children first
(one for the public checks, another for the hidden ones, so nothing a
hidden call prints, raises or returns can surface in public feedback) and
asks scikit-learn for the expected answers while they run, so the oracle's
import overlaps with the student's code.
"""

import functools
import json
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

from .cases import RAISES
from .feedback import PROBE, CheckResult, assess, follow_ups, most_probes, not_attempted, unjudged
from .markdown import code
from .source import MAX_SOURCE_BYTES, delegations
from .submission import SubmissionError, exercise_file

__all__ = ["CheckResult", "Expectations", "SubmissionResult", "grade_file", "grade_submission", "unreadable"]


@dataclass
class SubmissionResult:
    """Every check's result for one submission, plus notes about the whole run.

    ``seconds`` is the wall-clock time grading it took, child start-up included.
    ``ungradable`` is the one sentence saying why no check could run (a file
    that does not import, no exercise file), when none could.
    """

    checks: list
    notes: list = field(default_factory=list)
    delegated: dict = field(default_factory=dict)
    seconds: float = 0.0
    ungradable: str = None

    @property
    def score(self):
        return sum(result.score for result in self.checks)

    @property
    def max_score(self):
        return sum(result.check.points for result in self.checks)


class Expectations:
    """scikit-learn's answers, asked for once per labelled set and kept for the run."""

    def __init__(self):
        # {id(check): (check, {case: answer})}: by identity, since hashing a
        # check hashes all its inputs; the check is kept so its id stays its own.
        self._answers = {}

    def answer_all(self, checks):
        """Ask for the expected answers of every call ``checks`` make, the labelled sets of all scored in one go."""
        from . import oracle

        oracle.prepare(case for check in checks if _answered(check) for case in check.cases)
        for check in checks:
            for case in check.cases:
                self.answer(check, case)

    def answer(self, check, case):
        """The expected answer for ``case`` in ``check``, or None if there is none."""
        if not _answered(check):
            return None
        known = self._answers.get(id(check))
        if known is None:
            from . import oracle

            oracle.prepare(check.cases)
            known = self._answers[id(check)] = (check, {})
        answers = known[1]
        if case not in answers:
            from .definitions import definition

            answers[case] = definition(check.exercise).answer(case)
        return answers[case]


def _answered(check):
    """Whether the calls of ``check`` have expected answers: not for bad input, mutation or probes."""
    return check.aspect not in (*RAISES, "unchanged", PROBE)


def _whole_file_problem(report, limits):
    """One sentence if the file never got as far as its functions, else None."""
    imported = report.imported
    if imported is None:
        if report.timed_out:
            return f"grading stopped after {limits.import_seconds:g} s before your file finished importing."
        return "your file ended the grading process while it was being imported (os._exit or a crash)."
    if "timeout" in imported:
        return f"importing your file took longer than {limits.import_seconds:g} s (an endless loop at the top level?)."
    if "error" in imported:
        where = f" at line {imported['line']}" if imported.get("line") else ""
        message = imported.get("message", "")
        raised = f"{imported['error']}: {message}" if message else imported["error"]
        return f"your file could not be imported: {code(raised)}{where}."
    return None


def _function_problem(exercise, imported):
    info = (imported.get("functions") or {}).get(exercise)
    if not info or not info.get("callable"):
        return f"your file has no function named {exercise}."
    from .definitions import definition

    expected = definition(exercise).signature
    signature = info.get("signature")
    if expected and signature and not signature.get("varargs") and len(signature.get("params", ())) < len(expected):
        wanted, given = (code(f"({', '.join(names)})") for names in (expected, signature["params"]))
        return f"{exercise} should take {wanted}; yours takes {given}."
    return None


def _calls(checks, exercises, start=0):
    """The calls ``checks`` make, one exercise's after another, and ``{id(check): call indices}`` from ``start``.

    Code stuck in one exercise then leaves the other's results standing.
    """
    calls, positions = [], {}
    # Each exercise once: named twice, its checks' calls would be made twice.
    for exercise in dict.fromkeys(exercises):
        for check in checks:
            if check.exercise == exercise:
                positions[id(check)] = list(range(start + len(calls), start + len(calls) + len(check.cases)))
                calls += [{"exercise": exercise, "args": _arguments(case)} for case in check.cases]
    return calls, positions


@functools.lru_cache(maxsize=4096)
def _arguments(case):
    """A call's arguments as the child rebuilds them, in JSON.

    Encoded once per grading run: every submission in a batch gets the same
    inputs, and encoding the larger ones is most of what sending a call costs.
    """
    return json.dumps(case.to_json(), allow_nan=True)


class _Part:
    """What one child runs: all public or all hidden checks, then the calls their failures call for.

    The probes and confirmations (:func:`.feedback.follow_ups`) are chosen
    from the answers, round after round, so they are the child's follow-up:
    hidden ones run in the hidden child, public ones in the public child,
    and a submission whose answers are all right makes none.
    """

    def __init__(self, checks, exercises):
        self.checks = list(checks)
        self.calls, self.positions = _calls(self.checks, exercises)
        self.most = most_probes(self.checks)

    def follow_up(self, events):
        """The next round of calls for the answers in ``events`` that went wrong (none once the diagnosis has what it needs)."""
        extra = follow_ups(self.checks, self.positions, events)
        calls, positions = _calls(extra, [check.exercise for check in extra], start=len(self.calls))
        self.checks += extra
        self.calls += calls
        self.positions.update(positions)
        return calls


def grade_file(source, checks, sandbox, expectations=None):
    """Grade the exercise file ``source`` on ``checks``.

    Parameters
    ----------
    source : str or pathlib.Path
        A Python file defining the exercise functions.
    checks : sequence of Check
    sandbox : Sandbox
        An entered :class:`.sandbox.Sandbox`.
    expectations : Expectations, optional
        Reuse one across submissions to ask scikit-learn only once.

    Returns
    -------
    SubmissionResult
    """
    from .definitions import definition

    expectations = expectations or Expectations()
    source = Path(source)
    # An exercise built on another needs that one too, for the probes.
    exercises = list(dict.fromkeys(name for check in checks for name in (check.exercise, definition(check.exercise).scored_by) if name))
    if source.stat().st_size > MAX_SOURCE_BYTES:
        return unreadable(checks, f"the file is larger than {MAX_SOURCE_BYTES // 1024} KB; submit only your exercises.py.")
    groups = ([check for check in checks if not check.hidden], [check for check in checks if check.hidden])
    parts = [_Part(group, exercises) for group in groups if group]
    runs = [sandbox.start(source, exercises, part.calls, part.follow_up, part.most) for part in parts]
    expectations.answer_all(checks)
    report, events, positions, notes = _run_all(runs, parts, sandbox.limits)
    ran = list(checks) + [check for part in parts for check in part.checks if check.aspect == PROBE]

    result = SubmissionResult([])
    result.delegated = delegations(source.read_text(encoding="utf-8", errors="replace"), exercises)
    whole = result.ungradable = _whole_file_problem(report, sandbox.limits)
    problems = {exercise: whole or _function_problem(exercise, report.imported) for exercise in exercises}
    problems = {exercise: problem for exercise, problem in problems.items() if problem}
    untouched = [exercise for exercise in exercises if not_attempted(exercise, ran, positions, events)]
    result.checks = assess(ran, positions, events, problems, untouched)
    for item in result.checks:
        item.seconds = _seconds(events, positions.get(id(item.check), ()))
    # A problem with the whole file, or with one function, is said once.
    shown = {check.exercise for check in checks}
    result.notes = list(dict.fromkeys(problem for exercise, problem in problems.items() if exercise in shown)) + notes
    return result


def _seconds(events, indices):
    """What the child measured for these calls; an unreported call counts as 0."""
    total = 0.0
    for index in indices:
        seconds = (events.get(index) or {}).get("seconds")
        if isinstance(seconds, (int, float)) and seconds >= 0:
            total += seconds
    return total


def _run_all(runs, parts, limits):
    """Finish every run; ``parts[k]`` holds what run ``k`` made.

    Returns the first run's report (it says how the import went), every
    call's event and every check's call indices, numbered across the runs,
    and the notes of the first run: the public one when there is one, since
    nothing about the hidden run may be shown.
    """
    events, positions, first, offset = {}, {}, None, 0
    for running, part in zip(runs, parts):
        report = running.finish()
        first = first or report
        for local, event in report.calls.items():
            events[offset + local] = event
        for check in part.checks:
            positions[id(check)] = [offset + local for local in part.positions[id(check)]]
        offset += len(part.calls)
    return first, events, positions, _notes(first, limits)


def _notes(report, limits):
    notes = []
    if report.timed_out and report.imported is not None:
        notes.append(
            f"Grading stopped your code after {report.limit_seconds:g} s ({limits.import_seconds:g} s to import "
            f"plus {limits.call_seconds:g} s per call); checks it had not reached count as failed."
        )
    if report.restarts:
        notes.append(
            f"Your code hung or ended the grading process in {report.restarts} call(s); only the checks "
            "using those calls failed, and a fresh process made the calls after them."
        )
    if report.printed > limits.output_bytes:
        notes.append(
            f"Your code printed {report.printed:,} bytes; the grader shows none of it, so printing only slows it down."
        )
    if report.overflowed or report.stray_lines:
        notes.append("Something wrote to the grader's private channel; those lines were ignored.")
    if report.voided:
        notes.append("Your code sent answers for calls the grader had not made; the checks using those calls were voided.")
    return notes


def unreadable(checks, sentence):
    """The result for a submission with no usable exercise file: every check failed."""
    return SubmissionResult(unjudged(checks, sentence), [sentence], ungradable=sentence)


def grade_submission(path, checks, sandbox, expectations=None):
    """Grade a submission as handed in: a ``.py`` file, a folder or a ``.zip``.

    Parameters
    ----------
    path : str or pathlib.Path
    checks : sequence of Check
    sandbox : Sandbox
    expectations : Expectations, optional

    Returns
    -------
    SubmissionResult
        A submission without an exercise file, or one whose answers the
        grader could not judge, fails every check, with the reason as its
        feedback.
    """
    started = time.perf_counter()
    result = _grade_path(path, checks, sandbox, expectations)
    result.seconds = time.perf_counter() - started
    return result


def _grade_path(path, checks, sandbox, expectations):
    with tempfile.TemporaryDirectory(prefix="refusal-lesson-submission-") as scratch:
        try:
            source = exercise_file(path, scratch)
        except SubmissionError as error:
            return unreadable(checks, str(error))
        try:
            return grade_file(source, checks, sandbox, expectations)
        except Exception as error:  # one odd submission must not stop a batch of hundreds
            return unreadable(
                checks, f"the grader could not judge this submission ({code(f'{type(error).__name__}: {error}')}); tell your instructor."
            )

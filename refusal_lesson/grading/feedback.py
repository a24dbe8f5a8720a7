"""From the child's answers to feedback: one heading per check, each cause said once.

A check's heading is its title: what it tests.  What went wrong is a
:class:`Cause`: a slip named on evidence (:mod:`.diagnosis`), a failure
that the student's ``refusal_metrics`` explains, a generic difference, or a
file the grader could not run.  When one cause fails several checks, it is
said once and lists them; a file that does not import is one sentence for
the whole submission.

This module also says which extra calls the diagnosis needs
(:func:`follow_ups`): for an exercise built on another (``best_threshold``
on ``refusal_metrics``), the other exercise is called on each candidate of
its inputs once one went wrong, so the student's own F1 values come back as
ordinary answers (:func:`probes`); and a diagnosis that would name a slip is
first confirmed on one more input (:func:`confirmations`).  Submissions whose
answers are all right need no such call, so the grader makes them in further
passes over the answers (:mod:`.grader`), never scored or shown.

Public and hidden checks are judged on their own answers: what a hidden
call returns never shapes public feedback, and public feedback never names,
counts or lists the hidden checks.
"""

from dataclasses import dataclass, field

from .cases import NO_THIRD, RAISES, Case, Check
from .definitions import definition, definitions
from .diagnosis import GENERIC, RATE, Evidence, Finding, confirmation, judge, observation
from .exercise import MOST_TRIAL_CANDIDATES

PROBE = "probe"
PROBING = "the calls the diagnosis reads"
CONFIRMING = "the calls that confirm a diagnosis"
# The most confirming inputs one exercise gets in one grading run: three for
# each of two equally good hypotheses.
MOST_CONFIRMATIONS = 6
JUDGED_VALUES = ("form", "rounded", "value")
ROUNDING_SLIPS = {"not_rounded", "wrong_places"}
SEE_OVERALL = "not graded: see the overall feedback"


@dataclass
class Cause:
    """One reason for failed checks, with an example and a hint.

    ``checks`` are the CheckResults it explains, in order; ``example`` the
    input, expected and got lines of its first public failure.
    """

    what: str
    hint: str
    example: list = field(default_factory=list)
    checks: list = field(default_factory=list)
    slips: tuple = ()
    example_size: tuple = (True, 0)

    def titles(self):
        return [result.check.title for result in self.checks]


@dataclass
class CheckResult:
    """The outcome of one check, ready to print or to put in results.json.

    ``status`` is ``"passed"``, ``"failed"`` or ``"not attempted"``;
    ``summary`` is the heading (the check's title); ``details`` are the
    lines of its own feedback; ``cause`` what failed it; ``seconds`` the
    time the student's code took on the check's calls.
    """

    check: object
    status: str
    summary: str
    details: list = field(default_factory=list)
    cause: Cause = None
    seconds: float = 0.0

    @property
    def score(self):
        return self.check.points if self.status == "passed" else 0.0


def probes(checks, positions, events):
    """The calls the diagnosis reads to explain the failures in ``events`` (never scored or shown).

    An exercise built on another (``scored_by``) that answered any input
    wrongly, raised on it, or changed it gets the other exercise called on
    each candidate of each of its inputs: the diagnosis weighs the student's
    own values on every input, right answers included, to tell which slips
    explain them all (:class:`.diagnosis.Evidence`).  An exercise whose
    answers are all right needs none; nor do calls that never answered
    (stopped, timed out) or an exercise not attempted: their feedback reads
    no such values.

    Parameters
    ----------
    checks : sequence of Check
        The checks run so far, all public or all hidden.
    positions : dict
        ``{id(check): [call index, ...]}``.
    events : dict
        ``{call index: event}`` from the child.

    Returns
    -------
    tuple of Check
        At most one per exercise, with ``aspect == "probe"`` and no points.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> check = public_checks("best_threshold")[0]
    >>> wrong = {0: {"outcome": {"returned": {"type": "float", "number": "0.95"}}, "mutated": False}}
    >>> [probe] = probes([check], {id(check): [0]}, wrong)
    >>> probe.exercise, probe.aspect, len(probe.cases) == len(set(check.cases[0].third))
    ('refusal_metrics', 'probe', True)
    >>> probes([check], {id(check): [0]}, {})
    ()
    """
    wanted, hidden = {}, any(check.hidden for check in checks)
    for exercise in map(definition, dict.fromkeys(check.exercise for check in checks)):
        own = [check for check in checks if check.exercise == exercise.name and check.aspect != PROBE]
        if not exercise.scored_by or not _explainable_failure(exercise, own, positions, events):
            continue
        for check in own:
            for case in check.cases:
                for candidate in case.third:
                    wanted.setdefault(exercise.scored_by, {})[_probe(case, candidate)] = None
    return tuple(Check(name, PROBING, PROBE, tuple(cases), points=0, hidden=hidden) for name, cases in wanted.items())


def confirmations(exercise, checks, positions, events):
    """The calls that would confirm what the answers of ``exercise`` so far suggest.

    Each hypothesis that explains every answer and would name a slip, but
    that no answer so far confirms, gets one input on which it answers
    unlike every explanation without its slips, and two more such inputs
    (:func:`.diagnosis.confirmation`);
    an exercise built on another gets the probes of those inputs too.

    Returns
    -------
    tuple of Check
        Empty, or the confirming calls (``aspect == "probe"``, no points)
        and their probes.
    """
    own = [check for check in checks if check.exercise == exercise.name and check.aspect != PROBE]
    if not own or not _explainable_failure(exercise, own, positions, events):
        return ()
    evidence, _ = _evidence(exercise, checks, positions, events)
    cases = []
    for hypothesis in evidence.unconfirmed():
        for case in confirmation(exercise, hypothesis):
            if case not in cases and len(cases) < MOST_CONFIRMATIONS:
                cases.append(case)
    if not cases:
        return ()
    hidden = own[0].hidden
    made = [Check(exercise.name, CONFIRMING, PROBE, tuple(cases), points=0, hidden=hidden)]
    if exercise.scored_by:
        calls = tuple(dict.fromkeys(_probe(case, candidate) for case in cases for candidate in case.third))
        made.append(Check(exercise.scored_by, CONFIRMING, PROBE, calls, points=0, hidden=hidden))
    return tuple(made)


def follow_ups(checks, positions, events):
    """The calls the diagnosis needs next, never scored or shown: the probes, then the confirmations.

    Asked again after each round's answers, until it returns nothing: an
    exercise built on another is probed first (its hypotheses need the
    student's own values), then confirmed; each exercise is confirmed once.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> check = public_checks("best_threshold")[0]
    >>> follow_ups([check], {id(check): [0]}, {})
    ()
    """
    made = {(check.exercise, check.title) for check in checks if check.aspect == PROBE}
    wanted = [probe for probe in probes(checks, positions, events) if (probe.exercise, PROBING) not in made]
    probed = {probe.exercise for probe in wanted}
    for exercise in map(definition, dict.fromkeys(check.exercise for check in checks if check.aspect != PROBE)):
        if exercise.scored_by not in probed and (exercise.name, CONFIRMING) not in made:
            wanted += confirmations(exercise, checks, positions, events)
    return tuple(wanted)


def most_probes(checks):
    """The most follow-up calls ``checks`` can call for: every candidate of every input probed, were every answer wrong, and the confirmations.

    The time a child may take grows with its calls (:class:`.sandbox.Limits`),
    so this is what a child's limits and PrairieLearn's job timeout allow for.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> most_probes(public_checks("refusal_metrics")) == MOST_CONFIRMATIONS
    True
    >>> worked = public_checks("best_threshold")[0]
    >>> most_probes([worked]) == len(set(worked.cases[0].third)) + MOST_CONFIRMATIONS * (1 + MOST_TRIAL_CANDIDATES)
    True
    """
    calls = set()
    for check in checks:
        scored_by = definition(check.exercise).scored_by
        if scored_by and check.aspect != PROBE:
            calls.update((scored_by, _probe(case, candidate)) for case in check.cases for candidate in case.third)
    exercises = {check.exercise for check in checks if check.aspect != PROBE}
    confirming = sum(MOST_CONFIRMATIONS * (1 + (MOST_TRIAL_CANDIDATES if definition(name).scored_by else 0)) for name in exercises)
    return len(calls) + confirming


def _probe(case, candidate):
    """The call of the ``scored_by`` exercise on one candidate of ``case``."""
    return Case(case.scores, case.labels, candidate, case.kinds[0])


def not_attempted(name, checks, positions, events):
    """Whether every call of exercise ``name`` raised its stub's NotImplementedError.

    Another exercise's stub, reached through this one, does not count: this
    one was written.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> check = public_checks("best_threshold")[0]
    >>> stub = {"outcome": {"error": "NotImplementedError", "message": "best_threshold is not written yet"}}
    >>> not_attempted("best_threshold", [check], {id(check): [0]}, {0: stub})
    True
    """
    others = tuple(f"{other.name} is not written yet" for other in definitions() if other.name != name)
    # A call with no event never ran: not the stub's doing.
    outcomes = [
        (events[index].get("outcome") or {}) if index in events else None
        for check in checks
        if check.exercise == name
        for index in positions[id(check)]
    ]
    return bool(outcomes) and all(
        outcome is not None
        and outcome.get("error") == "NotImplementedError"
        and not str(outcome.get("message", "")).startswith(others)
        for outcome in outcomes
    )


def _explainable_failure(exercise, checks, positions, events):
    """Whether any answer of ``exercise`` failed in a way the student's own values may explain."""
    if not_attempted(exercise.name, checks, positions, events):
        return False
    blank = Evidence(exercise)
    for check in checks:
        for case, index in zip(check.cases, positions[id(check)]):
            event = events.get(index)
            outcome = (event or {}).get("outcome") or {}
            if not outcome or {"stopped", "skipped", "timeout"} & outcome.keys():
                continue
            # A right answer is judged without any evidence; only a failure reads it.
            if not judge(exercise, check, case, event, blank).ok:
                return True
    return False


def _returned(event):
    outcome = (event or {}).get("outcome") or {}
    return outcome.get("returned") if "returned" in outcome else None


def _how_it_went(event):
    """What a probe call did: the error it raised, "returned", and "mutated" if it changed its inputs."""
    outcome = (event or {}).get("outcome") or {}
    did = {outcome["error"]} if "error" in outcome else {"returned"} if "returned" in outcome else set()
    return did | ({"mutated"} if (event or {}).get("mutated") else set())


def _own_values(exercise, checks, positions, events):
    """``({case: own F1 per candidate}, {case: what the probes did})`` from the probe calls.

    Only the inputs whose candidates were all probed appear: those the
    exercise got wrong (see :func:`probes`).
    """
    answers, did = {}, {}
    for check in checks:
        if check.aspect == PROBE and check.exercise == exercise.scored_by:
            for case, index in zip(check.cases, positions[id(check)]):
                event = events.get(index)
                answers[case] = observation(definition(check.exercise), _returned(event))
                did[case] = _how_it_went(event)
    own, raised = {}, {}
    for check in checks:
        if check.exercise != exercise.name:
            continue
        for case in check.cases:
            calls = [_probe(case, candidate) for candidate in case.third]
            if all(call in answers for call in calls):
                values = [answers[call] for call in calls]
                own[case] = tuple(None if value is None else value["f1"] for value in values)
                raised[case] = frozenset().union(*(did[call] for call in calls))
    return own, raised


def _evidence(exercise, checks, positions, events):
    """The Evidence of ``exercise`` from ``checks`` (all public or all hidden), and what its probes did.

    Every valid call of it that returned counts: its checks' calls, and the
    confirming calls the diagnosis made (probes may pass bad input).
    """
    observations, crashed = [], []
    for check in checks:
        if check.exercise == exercise.name and (check.aspect in JUDGED_VALUES or check.title == CONFIRMING):
            for case, index in zip(check.cases, positions[id(check)]):
                got = observation(exercise, _returned(events.get(index)))
                if got is not None:
                    observations.append((case, got))
                error = ((events.get(index) or {}).get("outcome") or {}).get("error")
                if error:
                    crashed.append((case, error))
    own, raised = _own_values(exercise, checks, positions, events) if exercise.scored_by else ({}, {})
    return Evidence(exercise, observations, own, crashed), raised


def show_sequence(values, container, limit=8):
    """A sequence as the student would type it, long ones cut short.

    Examples
    --------
    >>> show_sequence((0.5,), "tuple"), show_sequence((1, 2), "array")
    ('(0.5,)', 'np.array([1, 2])')
    """
    shown = ", ".join(repr(value) for value in values[:limit])
    if len(values) > limit:
        shown += f", ... ({len(values)} values)"
    if container == "tuple":
        return f"({shown}{',' if len(values) == 1 else ''})"
    if container == "array":
        return f"np.array([{shown}])"
    return f"[{shown}]"


def show_call(check, case):
    """The call as a student would type it.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> show_call(public_checks("refusal_metrics")[0], Case((0.9,), ("refuse",), 0.5))
    "refusal_metrics([0.9], ['refuse'], 0.5)"
    """
    kinds = case.kinds
    arguments = [show_sequence(case.scores, kinds[0]), show_sequence(case.labels, kinds[1])]
    if case.third != NO_THIRD:
        arguments.append(show_sequence(case.third, kinds[2]) if isinstance(case.third, tuple) else repr(case.third))
    arguments += [repr(value) for value in case.extra]
    return f"{check.exercise}({', '.join(arguments)})"


def _show_expected(check, want):
    if check.aspect in RAISES:
        return "ValueError"
    if check.aspect == "unchanged":
        return "the inputs left as they were"
    if isinstance(want, dict):
        rounded = {name: round(float(value), 4) for name, value in want.items()}
        return repr(rounded[RATE]) if set(rounded) == {RATE} else repr(rounded)
    return repr(want)


def _cause_key(check, finding):
    if finding.slips:
        return ("slips", check.exercise, finding.slips, finding.blame, finding.note)
    if finding.blame:
        return ("blame", check.exercise, finding.blame, finding.generic)
    if finding.generic == "wrong_answer":
        # Different inputs may go wrong for different reasons: each check says its own.
        return ("generic", check.name, finding.generic)
    detail = finding.got if finding.generic == "crashed" else ""
    return ("generic", check.exercise, finding.generic, detail)


def _new_cause(exercise, finding):
    if finding.slips:
        slips = [exercise.slip(slip) for slip in finding.slips]
        what = " and ".join(slip.what for slip in slips) + (f" ({finding.note})" if finding.note else "")
        hint = " ".join(slip.hint for slip in slips)
        if finding.blame:
            what += f", on the F1 values your {finding.blame} returns"
            hint += f" Fix {finding.blame} too: its own checks say how."
        return Cause(what, hint, slips=finding.slips)
    inherited = {
        "crashed": f"{exercise.name} stops with the error your {finding.blame} raises on the same input",
        "accepted": f"{exercise.name} accepts this bad input because your {finding.blame} does",
        "mutated": f"{exercise.name} changes the caller's inputs through your {finding.blame}",
    }
    if finding.blame and finding.generic in inherited:
        return Cause(
            inherited[finding.generic],
            f"Fix {finding.blame} first (its own checks say how); {exercise.name} may then pass as it is.",
        )
    if finding.blame:
        return Cause(
            f"{exercise.name} gives the right answer for what your {finding.blame} returns, "
            f"but {finding.blame} is wrong on these inputs",
            f"Fix {finding.blame} first (its own checks say how); {exercise.name} may then pass as it is.",
        )
    what, hint = GENERIC[finding.generic]
    if finding.generic == "wrong_answer" and exercise.by_hand:
        hint = exercise.by_hand
    return Cause(what + (f" ({finding.note})" if finding.note else ""), hint)


def _judge_check(exercise, check, indices, events, evidence, raised):
    failures = []
    for order, (case, index) in enumerate(zip(check.cases, indices)):
        finding = judge(exercise, check, case, events.get(index), evidence, raised.get(case, frozenset()))
        if finding.ok and check.aspect in RAISES and not evidence.observations:
            # Raising on everything is no answer: a rejection earns credit
            # only from code that answers valid input (SPEC section 8).
            finding = Finding(False, generic="no_answer", got="ValueError")
        if not finding.ok:
            on_topic = check.aspect == "rounded" and bool(ROUNDING_SLIPS & set(finding.slips))
            failures.append((not on_topic, -len(finding.slips), case.size, order, case, finding))
    if not failures:
        return None
    # The input whose answer names a slip of what the check tests (rounding),
    # then the most slips, then the smallest, shows the check's failure best.
    *_, case, finding = min(failures, key=lambda failure: failure[:4])
    return case, finding


def assess(checks, positions, events, problems=None, not_attempted=()):
    """Judge every check (probes aside) and group the failures by cause.

    Parameters
    ----------
    checks : sequence of Check
        As run, probes included (see :func:`probes`).
    positions : dict
        ``{id(check): [call index, ...]}``.
    events : dict
        ``{call index: event}`` from the child.
    problems : dict, optional
        ``{exercise: sentence}`` for exercises that could not be run at all.
    not_attempted : collection of str
        Exercises still the untouched stub.

    Returns
    -------
    list of CheckResult
    """
    from . import oracle

    problems = problems or {}
    oracle.prepare(case for check in checks if check.aspect not in (*RAISES, "unchanged") for case in check.cases)
    shown = [check for check in checks if check.aspect != PROBE]
    evidence = {}
    causes = {}
    results = []
    for check in shown:
        exercise = definition(check.exercise)
        if check.exercise in problems:
            key = ("problem", problems[check.exercise])
            cause = causes.setdefault(key, Cause(problems[check.exercise], ""))
            result = CheckResult(check, "failed", check.title, cause=cause)
        elif check.exercise in not_attempted:
            result = CheckResult(check, "not attempted", f"{check.title}: not attempted yet")
        else:
            key = (exercise.name, check.hidden)
            if key not in evidence:
                group = [other for other in checks if other.hidden == check.hidden]
                evidence[key] = _evidence(exercise, group, positions, events)
            failed = _judge_check(exercise, check, positions[id(check)], events, *evidence[key])
            if failed is None:
                results.append(CheckResult(check, "passed", check.title))
                continue
            case, finding = failed
            cause = causes.setdefault(_cause_key(check, finding), _new_cause(exercise, finding))
            # The smallest public input shows the cause best.
            size = (check.hidden, case.size)
            if not cause.example or size < cause.example_size:
                cause.example, cause.example_size = _example(check, case, finding, evidence[key][0]), size
            result = CheckResult(check, "failed", check.title, cause=cause)
        cause = result.cause
        if cause is not None:
            cause.checks.append(result)
        results.append(result)
    for cause in {id(cause): cause for cause in causes.values()}.values():
        _describe(cause)
    return results


def _example(check, case, finding, evidence):
    if check.hidden:
        return [f"on a hidden input of {case.size} {definition(check.exercise).unit}"]
    want = None if check.aspect in (*RAISES, "unchanged") else evidence.right(case)
    return [f"input:    {show_call(check, case)}", f"expected: {_show_expected(check, want)}", f"got:      {finding.got}"]


def _describe(cause):
    """Each explained check's own lines: the cause, then the example and hint on the first only."""
    if not cause.hint:
        for result in cause.checks:
            result.details = [SEE_OVERALL]
        return
    titles = cause.titles()
    for position, result in enumerate(cause.checks):
        lines = [f"what went wrong: {cause.what}"]
        if position == 0:
            lines += cause.example
            # Until grades are published, a public check's feedback never
            # names, counts or lists the hidden checks.
            others = [other.check.title for other in cause.checks[1:] if result.check.hidden or not other.check.hidden]
            if others:
                lines.append(f"the same cause fails: {'; '.join(others)}")
        else:
            lines.append(f'example: under "{titles[0]}"')
        lines.append(f"hint:     {cause.hint}")
        result.details = lines


def causes_of(results):
    """The distinct causes of ``results``' failures, in the order first met.

    Examples
    --------
    >>> causes_of([])
    []
    """
    seen = {}
    for result in results:
        if result.cause is not None:
            seen.setdefault(id(result.cause), result.cause)
    return list(seen.values())


def unjudged(checks, sentence):
    """Every check failed for one reason that concerns the whole submission.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import public_checks
    >>> unjudged(public_checks("best_threshold")[:2], "no file")[1].details
    ['not graded: see the overall feedback']
    """
    cause = Cause(sentence, "")
    results = [CheckResult(check, "failed", check.title, cause=cause) for check in checks if check.aspect != PROBE]
    cause.checks = results
    _describe(cause)
    return results

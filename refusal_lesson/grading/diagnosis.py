"""Judge each answer, and name a slip only on evidence (SPEC section 8).

The child reports each answer as plain data (see :func:`.child.describe`).
A call is right when it agrees with scikit-learn exactly: metrics rounded to
4 places, and either neighbour where the exact value sits within 1e-9 of a
half-way point of the 4th decimal (SPEC section 1).  When it is wrong, the
grader names a slip only if the student's answers are exactly what that
slip predicts: :class:`Evidence` looks for the smallest set of the
exercise's slips (at most two, with a rounding rule for metrics) whose
imitation reproduces *every* answer the exercise gave, right and wrong
alike.  Two sets that explain the answers equally well name only what they
share; when none explains them all, nothing is named, and the feedback
shows input, expected and got with a generic hint.

A hypothesis that explains every answer may still be a coincidence: code
with a mistake the grader does not know can agree with it on the inputs
tried.  So a slip is named only once the hypothesis is *confirmed*: some
answer it explains was given on an input where every other known
explanation that lacks the slip answers differently
(:meth:`Evidence.confirmed`).  When no answer so far does that, the grader
makes one more call, on an input chosen to (:func:`confirmation`), and the
answer joins the evidence.

For an exercise built on another (``best_threshold`` scores candidates with
``refusal_metrics``), the student's own F1 values on the candidates are one
more basis: an answer that is right for those values is blamed on
``refusal_metrics``, not on ``best_threshold``.

scikit-learn is imported (through :mod:`.oracle`) only when an answer is
judged, so the grader can start a child before paying for that import.
"""

import functools
import itertools
import math
from dataclasses import dataclass

from .cases import NO_ANSWER, RAISES
from .markdown import code

METRIC_NAMES = ("precision", "recall", "f1")
# An exercise that returns one rate (``returns="rate"``) is judged as a dict
# with this one key, so that every rule for metrics applies to it unchanged.
RATE = "value"
ROUNDED = ("metrics", "rate")
# Rounding rules a metrics hypothesis may follow: 4 places (an unrounded
# answer is judged on its 4-place value; the rounding check says the rest),
# or fewer places than asked.
PLACES = (4, 3, 2, 1)
# Within this of a half-way point of the last place kept, two correct
# formulas may round either way, and both answers are right.
HALF_WAY = 1e-9
# Floats that print alike may differ in their last bit.
SAME = 1e-12

# Outcomes that are not slips: id -> (what went wrong, what to do).
GENERIC = {
    "wrong_answer": (
        "the answer differs from scikit-learn's",
        "Work this input out by hand (count TP, FP and FN) and compare with what your code computes.",
    ),
    "not_a_candidate": (
        "the answer is not one of the candidates",
        "Return the winning candidate itself, one of the values passed in.",
    ),
    "unrounded": (
        "the values are not rounded to 4 places",
        "Round each value with the built-in round(float(value), 4).",
    ),
    "wrong_keys": (
        "the answer is not a dict with precision, recall and f1",
        "Return a dict with exactly the keys 'precision', 'recall' and 'f1'.",
    ),
    "not_a_number": (
        "the answer is not a number",
        "Return one number, a Python float rounded with round(float(value), 4).",
    ),
    "wrong_error": (
        "bad input raised the wrong kind of error",
        "Bad input must raise ValueError with a message naming the problem.",
    ),
    "crashed": ("it raised an error on valid input", "Run this input yourself and read the traceback."),
    "timeout": (
        "it took too long (an endless loop?)",
        "Check that every loop ends; the exercise needs one pass over the candidates.",
    ),
    "no_answer": (
        "it raises ValueError here, but it never returned an answer on valid input, so the rejection earns nothing",
        "Make the function return an answer on valid input first; its ValueErrors on bad input then count.",
    ),
    "not_run": (
        "it never finished",
        "Your code ended the grading process, or got stuck, before this call; run the exercise yourself to see why.",
    ),
}


@dataclass(frozen=True)
class Finding:
    """How one call went.

    ``slips`` are the ids named (empty unless the evidence names them),
    ``generic`` the id in :data:`GENERIC` otherwise, ``blame`` the exercise
    whose own answers explain this failure, ``got`` what was returned or
    raised, and ``note`` a detail of the slip (such as the places rounded to).
    """

    ok: bool
    slips: tuple = ()
    generic: str = None
    blame: str = None
    got: str = ""
    note: str = ""


RIGHT = Finding(True)


def number(answer):
    """The answer as a float, or None if it is not a number (strings included).

    Examples
    --------
    >>> number({"type": "float", "number": "0.5"}), number({"type": "str", "text": "0.5"})
    (0.5, None)
    """
    if not isinstance(answer, dict) or "number" not in answer:
        return None
    try:
        return float(answer["number"])
    except (TypeError, ValueError):
        return None


def show(answer):
    """A short, readable rendering of a described answer.

    Examples
    --------
    >>> show({"type": "numpy.float64", "number": "0.5"})
    'np.float64(0.5)'
    >>> show({"type": "str", "text": "0.5", "length": 3})
    "'0.5'"
    """
    if not isinstance(answer, dict):
        return "?"
    kind = str(answer.get("type", "?"))
    if "items" in answer:
        shown = ", ".join(f"{show(key)}: {show(value)}" for key, value in answer["items"])
        more = ", ..." if answer.get("length", 0) > len(answer["items"]) else ""
        body = "{" + shown + more + "}"
        return body if kind == "dict" else f"{kind}({body})"
    if "number" in answer:
        text = str(answer["number"])
        if kind in ("float", "int"):
            return text
        return f"{kind.replace('numpy.', 'np.')}({text})"
    if "text" in answer:
        text = repr(answer["text"])
        if answer.get("length", 0) > len(answer["text"]):
            text = f"{text[:-1]}...' ({answer['length']:,} characters)"
        return text if kind == "str" else f"{kind}({text})"
    if "literal" in answer:
        return repr(answer["literal"])
    return f"{kind} {answer.get('repr', '')}".strip()


def metric_values(answer):
    """``{name: described value}`` from a described dict, or None.

    Examples
    --------
    >>> metric_values({"type": "dict", "items": [[{"type": "str", "text": "f1"}, {"type": "float", "number": "1.0"}]]})
    {'f1': {'type': 'float', 'number': '1.0'}}
    """
    if not isinstance(answer, dict) or "items" not in answer:
        return None
    values = {}
    for key, value in answer["items"]:
        if isinstance(key, dict) and key.get("type") == "str":
            values[key.get("text")] = value
    return values


def metric_numbers(answer):
    """``{"precision", "recall", "f1"}`` as floats (numeric strings read too), or None.

    Examples
    --------
    >>> item = lambda name, value: [{"type": "str", "text": name}, {"type": "str", "text": value}]
    >>> metric_numbers({"type": "dict", "items": [item("precision", "0.5"), item("recall", "1"), item("f1", "0.6667")]})
    {'precision': 0.5, 'recall': 1.0, 'f1': 0.6667}
    """
    values = metric_values(answer)
    if values is None or set(METRIC_NAMES) - set(values):
        return None
    got = {}
    for name in METRIC_NAMES:
        got[name] = _read_number(values[name])
        if got[name] is None:
            return None
    return got


def _read_number(described):
    """A described value as a float, numeric strings read too, or None."""
    value = number(described)
    if value is None and isinstance(described, dict):
        try:
            value = float(described.get("text"))
        except (TypeError, ValueError):
            return None
    return value


def rounded_numbers(exercise, answer):
    """The answer's values by name, as floats (numeric strings read too), or None.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import definition
    >>> rounded_numbers(definition("judge_agreement"), {"type": "str", "text": "0.5"})
    {'value': 0.5}
    """
    if exercise.returns == "rate":
        value = _read_number(answer)
        return None if value is None else {RATE: value}
    return metric_numbers(answer)


def roundings(value, places=4):
    """What ``value`` may round to at ``places`` places: one value, or both neighbours near a half-way point.

    Examples
    --------
    >>> roundings(0.285714), roundings(0.13125)
    ((0.2857,), (0.1312, 0.1313))
    """
    scaled = value * 10**places
    low = math.floor(scaled)
    if abs(scaled - low - 0.5) <= HALF_WAY * 10**places:
        return (round(low / 10**places, places), round((low + 1) / 10**places, places))
    return (round(value, places),)


def is_rounding(got, want, places=4):
    """Whether ``got`` is ``want`` rounded to ``places`` places (either way on a half-way point).

    Examples
    --------
    >>> is_rounding(0.2857, 2 / 7), is_rounding(0.2858, 2 / 7), is_rounding(0.1312, 0.13125)
    (True, False, True)
    """
    if got is None or want is None or math.isnan(got) or math.isnan(want):
        return False
    return any(abs(got - option) <= SAME for option in roundings(want, places))


def _fits(got, want, places):
    """Whether ``got`` is what code rounding ``want`` to ``places`` returns (unrounded code is judged on its 4 places)."""
    if got is None or math.isnan(got):
        return False
    if places == 4:
        return is_rounding(round(got, 4), want) if math.isfinite(got) else False
    return is_rounding(got, want, places)


@dataclass(frozen=True)
class Hypothesis:
    """A guess at what the code does: which slips, which rounding, whose F1 values."""

    slips: frozenset = frozenset()
    places: int = 4
    basis: str = "sklearn"

    @property
    def cost(self):
        return len(self.names)

    @property
    def names(self):
        """The slips the hypothesis would name, the rounding rule's included."""
        return self.slips | ({"wrong_places"} if self.places != 4 else frozenset())


class Evidence:
    """What all of one exercise's answers say, taken together.

    Parameters
    ----------
    exercise : Exercise
    observations : list of (Case, answer)
        Every valid call of the exercise that returned: a dict of floats
        (metrics) or a float (candidate).
    own : dict, optional
        ``{case: F1 values}``: what the student's ``scored_by`` exercise
        gives each candidate of ``case`` (None where it gave nothing usable).
        Only the inputs the grader asked about are here (those answered
        wrongly); an input missing from it says nothing for or against a
        hypothesis on the student's own values.
    crashed : collection of (Case, str)
        The valid calls that raised, with the error's type.
    """

    def __init__(self, exercise, observations=(), own=None, crashed=()):
        self.exercise = exercise
        self.own = own or {}
        self.crashed = crashed
        self._predictions = {}
        self._confirmed = {}
        places = PLACES if exercise.returns in ROUNDED else (4,)
        bases = ("sklearn", "own") if exercise.scored_by else ("sklearn",)
        sets = [frozenset(group) for size in (0, 1, 2) for group in itertools.combinations(exercise.imitated, size)]
        self.hypotheses = sorted(
            (Hypothesis(slips, place, basis) for slips in sets for place in places for basis in bases),
            key=lambda hypothesis: hypothesis.cost,
        )
        self.observations = observations

    @functools.cached_property
    def zero_division_anywhere(self):
        """Whether some valid call raised ZeroDivisionError where no denominator is zero.

        Code that does has some other bug; its ZeroDivisionErrors say nothing
        about zero denominators.  A denominator is zero where the right
        answer divides by zero, or where the code's own rule does by a
        confirmed explanation of its answers (chance taken from one judge's
        shares is 1 wherever that judge uses one label).
        """
        undefined = self.exercise.zero_denominator or has_zero_denominator
        crashes = [case for case, error in self.crashed if error == "ZeroDivisionError" and not undefined(case)]
        if not crashes:
            return False
        explanations = [hypothesis.slips for hypothesis in self.minimal if self.confirmed(hypothesis)]
        return any(not any(undefined(case, slips) for slips in explanations) for case in crashes)

    @functools.cached_property
    def usable(self):
        """The observations a hypothesis must explain: all but the rounded candidates.

        Where some valid inputs have no answer, a ValueError on a valid call
        is an answer too (:data:`.cases.NO_ANSWER`): that nothing qualifies.
        """
        usable = [(case, got) for case, got in self.observations if not self._converted(case, got)]
        if self.exercise.unanswerable:
            usable += [(case, NO_ANSWER) for case, error in self.crashed if error == "ValueError"]
        return usable

    @functools.cached_property
    def minimal(self):
        """The cheapest hypotheses that reproduce every observed answer (searched only once one is wrong)."""
        consistent = [
            hypothesis
            for hypothesis in self.hypotheses
            if all(self.matches(hypothesis, case, got) for case, got in self.usable if self._known(hypothesis, case))
        ]
        return self._cheapest(consistent)

    def _known(self, hypothesis, case):
        """Whether ``hypothesis`` can be tested on ``case``: on the student's own values, only where they were asked for."""
        return hypothesis.basis != "own" or case in self.own

    @staticmethod
    def _cheapest(hypotheses):
        return [hypothesis for hypothesis in hypotheses if hypothesis.cost == hypotheses[0].cost] if hypotheses else []

    def prediction(self, hypothesis, case):
        """What code following ``hypothesis`` returns for ``case`` (None if it cannot say), metrics unrounded."""
        key = (hypothesis.slips, hypothesis.basis, case)
        if key not in self._predictions:
            if hypothesis.basis == "own":
                own = self.own.get(case)
                value = None if own is None else self.exercise.answer(case, hypothesis.slips, own)
            else:
                value = self.exercise.answer(case, hypothesis.slips)
            if self.exercise.returns == "rate" and value is not None:
                value = {RATE: value}
            self._predictions[key] = value
        return self._predictions[key]

    def right(self, case):
        """scikit-learn's answer for ``case``."""
        return self.prediction(Hypothesis(), case)

    def matches(self, hypothesis, case, got):
        """Whether ``got`` is exactly what ``hypothesis`` predicts for ``case``."""
        want = self.prediction(hypothesis, case)
        if want is None or got is None:
            return False
        if self.exercise.returns in ROUNDED:
            return all(_fits(got[name], want[name], hypothesis.places) for name in want)
        return got == want

    def simulate(self, hypothesis, case):
        """The answer code following ``hypothesis`` gives on ``case``, rounded as that code rounds (None if unknown)."""
        want = self.prediction(hypothesis, case)
        if want is None or self.exercise.returns not in ROUNDED:
            return want
        return {name: round(value, hypothesis.places) for name, value in want.items()}

    def discriminates(self, hypothesis, case, names=None):
        """Whether on ``case`` the answer of ``hypothesis`` is given by no known explanation that lacks one of ``names``.

        ``names`` defaults to all the slips the hypothesis names.  The
        correct code is one such explanation, so its answer differs too.
        """
        names = hypothesis.names if names is None else frozenset(names)
        answer = self.simulate(hypothesis, case)
        if not names or answer is None:
            return False
        return not any(
            not other.names >= names and self.matches(other, case, answer)
            for other in self.hypotheses
            if self._known(other, case)
        )

    def confirmed(self, hypothesis):
        """Whether each slip ``hypothesis`` names is shown by an answer it explains, given on a trial input that discriminates that slip.

        One input usually shows every slip at once.  But two slips may never
        both show on one input (with ``>`` and input order, the first
        candidate within the budget is the lowest wherever ``>`` matters):
        then each is confirmed on an input of its own, where every known
        explanation without it answers otherwise.  Only the confirming calls
        count: a check's own input was chosen to show one slip, and a mistake
        the grader does not know may mimic it there.
        """
        if hypothesis not in self._confirmed:
            trials = set(self.exercise.trials)
            answered = [
                case
                for case, got in self.usable
                if case in trials and self._known(hypothesis, case) and self.matches(hypothesis, case, got)
            ]
            self._confirmed[hypothesis] = bool(hypothesis.names) and all(
                any(self.discriminates(hypothesis, case, {name}) for case in answered) for name in hypothesis.names
            )
        return self._confirmed[hypothesis]

    def unconfirmed(self):
        """The hypotheses that explain every answer and would name a slip, but are not confirmed yet."""
        return [hypothesis for hypothesis in self.minimal if hypothesis.names and not self.confirmed(hypothesis)]

    def closest(self, case, got):
        """What the hypothesis that best explains ``got`` predicts (scikit-learn's answer if none does)."""
        for hypothesis in self.minimal + self.hypotheses:
            if self.matches(hypothesis, case, got):
                return self.prediction(hypothesis, case)
        return self.right(case)

    def _converted(self, case, got):
        """A candidate returned rounded: not one of the candidates, but the right one rounded."""
        if not isinstance(case.third, tuple) or got in case.third or got == NO_ANSWER:
            return False
        want = self.right(case)
        return isinstance(want, float) and any(got == round(want, places) for places in range(1, 8))

    def _named(self, hypothesis, case, got):
        """The slips of ``hypothesis`` that change this answer: without any one of them it would differ."""
        named = [slip for slip in hypothesis.slips if not self.matches(Hypothesis(hypothesis.slips - {slip}, hypothesis.places, hypothesis.basis), case, got)]
        if hypothesis.places != 4 and not self.matches(Hypothesis(hypothesis.slips, 4, hypothesis.basis), case, got):
            named.append("wrong_places")
        return frozenset(named)

    def _needed(self, hypothesis, slip):
        """Whether ``hypothesis`` without ``slip`` fails to explain some answer."""
        without = Hypothesis(hypothesis.slips - {slip}, hypothesis.places, hypothesis.basis)
        return not all(self.matches(without, case, got) for case, got in self.usable if self._known(without, case))

    def _blamed(self, hypothesis, case, got):
        """Whether the student's own F1 values, not a slip, make this answer wrong."""
        return hypothesis.basis == "own" and not self.matches(Hypothesis(hypothesis.slips, hypothesis.places), case, got)

    def explain(self, case, got, shown=""):
        """The Finding for a wrong answer ``got`` to ``case``.

        Only the slips of a confirmed hypothesis are named; when no known
        explanation accounts for every answer, none is.
        """
        if self._converted(case, got):
            return Finding(False, ("converted_candidate",), got=shown)
        pool = [hypothesis for hypothesis in self.minimal if self.matches(hypothesis, case, got)]
        if not pool:
            candidates = case.third if isinstance(case.third, tuple) else (got,)
            generic = "wrong_answer" if got in candidates else "not_a_candidate"
            return Finding(False, generic=generic, got=shown)
        named = frozenset.intersection(*(self._named(hypothesis, case, got) for hypothesis in pool))
        if len({hypothesis.slips for hypothesis in pool}) == 1:
            # One slip may hide another's effect on this input (the last best
            # in input order is the lowest when candidates come high to low);
            # a slip every answer together needs is named all the same.
            named |= {slip for slip in pool[0].slips if self._needed(pool[0], slip)}
        named &= frozenset().union(*(hypothesis.names for hypothesis in pool if self.confirmed(hypothesis)))
        blamed = all(self._blamed(hypothesis, case, got) for hypothesis in pool)
        order = [slip.id for slip in self.exercise.slips]
        slips = tuple(sorted(named, key=order.index))
        if not slips and not blamed:
            return Finding(False, generic="wrong_answer", got=shown)
        places = {hypothesis.places for hypothesis in pool}
        note = f"to {places.pop()} places" if "wrong_places" in slips and len(places) == 1 else ""
        return Finding(False, slips, blame=self.exercise.scored_by if blamed else None, got=shown, note=note)


_confirmations = {}


def confirmation(exercise, hypothesis):
    """Inputs that would confirm ``hypothesis`` (its slips, on scikit-learn's values): at most three, maybe none.

    Chosen from the exercise's trial inputs (``Exercise.trials``): the first
    on which code with those slips answers unlike every known explanation
    without them, and the next two, from other labelled sets where there
    are such.  More than one, because a mistake the grader does not know
    (or the student's own F1 values, which the choice cannot foresee) may
    agree with a slip on one such input by chance, and then most likely on
    the same set in another order too; it rarely does on three.  Where no
    input shows all the slips at once, two that show each slip (see
    :meth:`Evidence.confirmed`).  Kept for the run, so a batch searches
    once per hypothesis.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import definition
    >>> exercise = definition("refusal_metrics")
    >>> cases = confirmation(exercise, Hypothesis(frozenset({"strict"})))
    >>> len(cases), all(Evidence(exercise).discriminates(Hypothesis(frozenset({"strict"})), case) for case in cases)
    (3, True)
    """
    key = (exercise.name, hypothesis.slips, hypothesis.places)
    if key not in _confirmations:
        from . import oracle

        trials = exercise.trials
        oracle.prepare(trials)
        judge = Evidence(exercise)
        target = Hypothesis(hypothesis.slips, hypothesis.places)
        cases = _varied((case for case in trials if judge.discriminates(target, case)), 3)
        if not cases and len(target.names) > 1:
            shown = (_varied((case for case in trials if judge.discriminates(target, case, {name})), 2) for name in sorted(target.names))
            cases = tuple(dict.fromkeys(itertools.chain.from_iterable(shown)))
        _confirmations[key] = cases
    return _confirmations[key]


def _varied(cases, most):
    """The first ``most`` of ``cases``, each on a labelled set of its own while others remain, in order met.

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> cases = [Case((0.9,), ("refuse",), 0.5), Case((0.9,), ("refuse",), 0.7), Case((0.2,), ("answer",), 0.5)]
    >>> [case.scores for case in _varied(cases, 2)], len(_varied(cases, 3))
    ([(0.9,), (0.2,)], 3)
    """
    chosen, spare, sets = [], [], set()
    for case in cases:
        labelled = (case.scores, case.labels)
        if labelled in sets:
            spare.append(case)
            continue
        sets.add(labelled)
        chosen.append(case)
        if len(chosen) == most:
            break
    return tuple(chosen + spare[: most - len(chosen)])


def has_zero_denominator(case, slips=frozenset()):
    """Whether a ratio of the confusion counts (precision, recall, a rate) divides by zero on ``case`` (with ``>`` for the ``strict`` slip).

    Examples
    --------
    >>> from refusal_lesson.grading.cases import Case
    >>> has_zero_denominator(Case((0.1,), ("answer",), 0.5)), has_zero_denominator(Case((0.9, 0.1), ("refuse", "answer"), 0.5))
    (True, False)
    """
    from . import oracle

    thresholds = case.third if isinstance(case.third, tuple) else (case.third,)
    rows = [oracle.at(case, threshold, strict="strict" in slips) for threshold in thresholds]
    return any(0 in (row["tp"] + row["fp"], row["tp"] + row["fn"], row["fp"] + row["tn"]) for row in rows)


def _crash(exercise, case, outcome, own_errors, evidence):
    got = f"{outcome.get('error')}: {outcome.get('message', '')}"
    if exercise.scored_by and outcome.get("error") in own_errors:
        return Finding(False, generic="crashed", blame=exercise.scored_by, got=got)
    # A ZeroDivisionError is the slip only where a denominator really is zero.
    zero = outcome.get("error") == "ZeroDivisionError" and not evidence.zero_division_anywhere
    if zero and "zero_division" in {slip.id for slip in exercise.slips}:
        return Finding(False, ("zero_division",), got=got)
    return Finding(False, generic="crashed", got=got)


def _form(exercise, answer, shown):
    if exercise.returns == "rate":
        kind = str((answer or {}).get("type")) if isinstance(answer, dict) else "?"
        if kind == "float":
            return RIGHT
        if rounded_numbers(exercise, answer) is None:
            return Finding(False, generic="not_a_number", got=shown)
        return Finding(False, ("wrong_type",), got=shown, note=f"the value is {code(kind)}")
    values = metric_values(answer)
    if values is None or set(values) != set(METRIC_NAMES) or answer.get("length") != 3:
        return Finding(False, generic="wrong_keys", got=shown)
    wrong = sorted({str(values[name].get("type")) for name in METRIC_NAMES if values[name].get("type") != "float"})
    if wrong:
        return Finding(False, ("wrong_type",), got=shown, note=f"the values are {', '.join(map(code, wrong))}")
    return RIGHT


def _with_slip(finding, slip, note=""):
    """``finding`` with one more slip named (a right answer becomes a wrong one)."""
    if finding.ok:
        return Finding(False, (slip,), got=finding.got, note=note)
    if not finding.slips and not finding.blame:
        return finding
    return Finding(False, (*finding.slips, slip), blame=finding.blame, got=finding.got, note=finding.note or note)


def _rounding(got, want):
    """The rounding slip that makes ``got`` from ``want`` (both near each other), or None.

    Where ``want`` has at most 5 or 6 decimals, code that does not round and
    code that rounds to that many places answer alike: neither is named.
    """
    unrounded = all(abs(got[name] - want[name]) <= 1e-9 for name in want)
    places = next((places for places in (5, 6) if all(is_rounding(got[name], want[name], places) for name in want)), None)
    if places and not unrounded:
        return "wrong_places", f"to {places} places"
    if unrounded and not places:
        return "not_rounded", ""
    return None, ""


def _metrics(check, case, answer, evidence, shown):
    got = rounded_numbers(evidence.exercise, answer)
    if got is None:
        return Finding(False, generic="wrong_keys" if evidence.exercise.returns == "metrics" else "not_a_number", got=shown)
    # A NaN can only come from 0 / 0: it is the zero-division slip wherever
    # the answer would otherwise be 0.0, and the rest of the answer is judged as usual.
    nan = any(math.isnan(value) for value in got.values())
    got = zeroed(got)
    finding = Finding(True, got=shown) if evidence.matches(Hypothesis(), case, got) else evidence.explain(case, got, shown)
    if nan:
        finding = _with_slip(finding, "zero_division")
    if check.aspect != "rounded" or all(value == round(value, 4) for value in got.values()):
        return RIGHT if finding.ok else finding
    slip, note = _rounding(got, evidence.closest(case, got))
    if slip is None:
        return finding if not finding.ok else Finding(False, generic="unrounded", got=shown)
    return _with_slip(finding, slip, note)


def zeroed(got):
    """``got`` with each NaN read as the 0.0 a zero denominator should give.

    Examples
    --------
    >>> zeroed({"f1": float("nan"), "recall": 0.5})
    {'f1': 0.0, 'recall': 0.5}
    """
    return {name: 0.0 if math.isnan(value) else value for name, value in got.items()}


def judge(exercise, check, case, event, evidence, own_errors=frozenset()):
    """Judge one call's event from the child.

    Parameters
    ----------
    exercise : Exercise
    check : Check
    case : Case
    event : dict or None
        The child's ``call`` event, None if the call never reported.
    evidence : Evidence
        All of the exercise's answers, for naming a slip.
    own_errors : set of str
        What the ``scored_by`` exercise did on this case's candidates: the
        errors it raised, ``"returned"`` and ``"mutated"``.

    Returns
    -------
    Finding

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import definition
    >>> exercise = definition("best_threshold")
    >>> check = exercise.checks[1]
    >>> event = {"outcome": {"returned": {"type": "float", "number": "0.6"}}, "mutated": False}
    >>> finding = judge(exercise, check, check.cases[0], event, Evidence(exercise))
    >>> finding.ok, finding.slips, finding.generic  # no slip is named before a confirming call
    (False, (), 'wrong_answer')
    """
    if event is None:
        return Finding(False, generic="not_run")
    outcome = event.get("outcome") or {}
    if "stopped" in outcome:
        return Finding(False, generic="not_run")
    if "skipped" in outcome or "timeout" in outcome:
        return Finding(False, generic="timeout")
    blame = exercise.scored_by
    if check.aspect == "unchanged" and event.get("mutated"):
        # Only lists and arrays can be changed: with the scores and labels
        # passed as tuples, the change is the exercise's own.
        if blame and "mutated" in own_errors and case.kinds[0] != "tuple":
            return Finding(False, generic="mutated", blame=blame, got="the inputs were modified")
        return Finding(False, ("mutation",), got="the inputs were modified")
    if "error" in outcome:
        if check.aspect in RAISES:
            return RIGHT if outcome["error"] == "ValueError" else Finding(
                False, generic="wrong_error", got=f"{outcome['error']}: {outcome.get('message', '')}"
            )
        if outcome["error"] == "ValueError" and exercise.unanswerable:
            # Saying that nothing qualifies is an answer, which a slip may explain.
            finding = evidence.explain(case, NO_ANSWER, f"ValueError: {outcome.get('message', '')}")
            if finding.slips:
                return finding
        return _crash(exercise, case, outcome, own_errors, evidence)
    if check.aspect == "unchanged":
        return RIGHT
    answer = outcome.get("returned")
    shown = show(answer)
    if check.aspect == "unanswerable" and number(answer) is not None:
        # A candidate returned where none fits: its rule is wrong, not its validation.
        return Finding(False, generic="wrong_answer", got=f"returned {shown}")
    if check.aspect in RAISES:
        if blame and "returned" in own_errors:
            return Finding(False, generic="accepted", blame=blame, got=f"returned {shown}")
        return Finding(False, ((exercise.accepted or _accepted)(case),), got=f"returned {shown}")
    if check.aspect == "form":
        return _form(exercise, answer, shown)
    if exercise.returns in ROUNDED:
        return _metrics(check, case, answer, evidence, shown)
    got = number(answer)
    if got is None:
        return Finding(False, generic="not_a_candidate" if isinstance(case.third, tuple) else "wrong_answer", got=shown)
    if evidence.matches(Hypothesis(), case, got):
        return RIGHT
    return evidence.explain(case, got, shown)


def _accepted(case):
    """The slip that accepting the bad input ``case`` shows, for exercises on scores and labels."""
    misspelt = any(label not in ("refuse", "answer") for label in case.labels if isinstance(label, str))
    return "silent_label" if misspelt else "bad_input"


def observation(exercise, answer):
    """What a returned answer contributes to the evidence: floats, or None.

    Examples
    --------
    >>> from refusal_lesson.grading.definitions import definition
    >>> observation(definition("best_threshold"), {"type": "float", "number": "0.3"})
    0.3
    """
    if exercise.returns in ROUNDED:
        got = rounded_numbers(exercise, answer)
        return None if got is None else zeroed(got)
    return number(answer)

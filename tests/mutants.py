"""Generated submissions with chosen slips switched on, graded in-process.

:func:`source` writes the four exercises with any set of their listed
slips (SPEC sections 2 and 8) switched on, or one of the mistakes that no
slip describes (:data:`UNKNOWN`).  :func:`run` runs the
public and hidden checks on such a module in this process (student code we
wrote ourselves needs no sandbox) and judges the answers with the grader's
own code (:func:`refusal_lesson.grading.feedback.assess`), describing each
answer as the sandbox's child does.  The diagnosis matrix
(tests/test_diagnosis_matrix.py, benchmarks/bench_diagnosis.py) is built
from these.
"""

import itertools
import pickle
import types
import warnings

from refusal_lesson.grading.child import describe, describe_error, rebuild
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.definitions import definitions
from refusal_lesson.grading.feedback import PROBE, assess, follow_ups

RM, BT, CT, CP, JA = "refusal_metrics", "best_threshold", "cheapest_threshold", "capped_threshold", "judge_agreement"

# slip -> (the exercise it is in, the slip id the feedback should name)
SLIPS = {
    "strict": (RM, "strict"),
    "answer_positive": (RM, "answer_positive"),
    "zero_crash": (RM, "zero_division"),
    "zero_nan": (RM, "zero_division"),
    "not_rounded": (RM, "not_rounded"),
    "three_places": (RM, "wrong_places"),
    "strings": (RM, "wrong_type"),
    "numpy_scalars": (RM, "wrong_type"),
    "sorts_inputs": (RM, "mutation"),
    "silent_label": (RM, "silent_label"),
    "highest_tie": (BT, "highest_tie"),
    "input_order": (BT, "input_order"),
    "unrounded_f1": (BT, "unrounded_f1"),
    "sorts_candidates": (BT, "mutation"),
    "ct_swapped_costs": (CT, "swapped_costs"),
    "ct_rates": (CT, "rates"),
    "ct_strict": (CT, "strict"),
    "ct_highest_tie": (CT, "highest_tie"),
    "ct_input_order": (CT, "input_order"),
    "ct_sorts_candidates": (CT, "mutation"),
    "cp_strict_budget": (CP, "strict_budget"),
    "cp_rate_of_all": (CP, "rate_of_all"),
    "cp_highest_fit": (CP, "highest_fit"),
    "cp_strict": (CP, "strict"),
    "cp_input_order": (CP, "input_order"),
    "cp_zero_division": (CP, "zero_division"),
    "cp_sorts_candidates": (CP, "mutation"),
    "ja_raw_agreement": (JA, "raw_agreement"),
    "ja_one_judge_chance": (JA, "one_judge_chance"),
    "ja_other_judge_chance": (JA, "other_judge_chance"),
    "ja_uniform_chance": (JA, "uniform_chance"),
    "ja_zero_crash": (JA, "zero_division"),
    "ja_not_rounded": (JA, "not_rounded"),
    "ja_three_places": (JA, "wrong_places"),
    "ja_strings": (JA, "wrong_type"),
    "ja_no_length_check": (JA, "different_lengths"),
    "ja_sorts_inputs": (JA, "mutation"),
}
# Slips that are two ways of writing one line cannot be combined.
EXCLUSIVE = (
    {"zero_crash", "zero_nan"},
    {"not_rounded", "three_places", "strings", "numpy_scalars"},
    {"ct_swapped_costs", "ct_rates"},
    {"cp_rate_of_all", "cp_zero_division"},
    {"ja_one_judge_chance", "ja_other_judge_chance", "ja_uniform_chance"},
    {"ja_not_rounded", "ja_three_places", "ja_strings"},
)
# Mistakes that no listed slip describes: the feedback must name nothing
# for them.  exercise -> {name: [(old, new), ...] edits of the correct mutant}.
# The correct mutant's lines that the unknown mistakes below change.
F1 = "    f1 = 2 * tp / (2 * tp + fp + fn) if 2 * tp + fp + fn else 0.0"
PICK = 'f1 = refusal_metrics(scores, labels, candidate)["f1"]'
COST = "cost = over * fp + under * fn"
RATE = "rate = fp / benign if benign else 0.0"
CHANCE = "chance = sum(share_a[label] * share_b[label] for label in labels)"
UNKNOWN = {
    RM: {
        "rounds_early": [(F1, "    f1 = 2 * _round(precision) * _round(recall) / (_round(precision) + _round(recall)) if tp else 0.0")],
        "fp_off_by_one": [("    return tp, fp, fn\n", "    return tp, fp + 1, fn\n")],
        "mean_not_harmonic": [(F1, "    f1 = (precision + recall) / 2")],
        "recall_over_all": [("    recall = tp / (tp + fn) if tp + fn else 0.0", "    recall = tp / len(scores)")],
        "margin": [("predicted = [score >= threshold", "predicted = [score >= threshold + 0.01")],
    },
    BT: {
        "picks_by_precision": [('["f1"]', '["precision"]')],
        "picks_by_recall": [('["f1"]', '["recall"]')],
        "lowest_candidate": [("    return best\n\n\ndef _stretch", "    return min(candidates)\n\n\ndef _stretch")],
        "skips_the_last": [("for candidate in sorted(candidates):", "for candidate in sorted(candidates)[:-1] or candidates:")],
        "f1_plus_recall": [(PICK, "row = refusal_metrics(scores, labels, candidate)\n        f1 = row['f1'] + row['recall']")],
    },
    CT: {
        "forgets_over_refusals": [(COST, "cost = under * fn")],
        "one_cost_for_all": [(COST, "cost = (over + under) * (fp + fn)")],
        "counts_true_negatives": [(COST, "cost = over * (benign - fp) + under * fn")],
        "highest_cost": [("cost < best_cost", "cost > best_cost")],
        "returns_the_cost": [("    return best\n\n\ndef capped", "    return best_cost\n\n\ndef capped")],
    },
    CP: {
        "false_discovery_rate": [(RATE, "rate = fp / (fp + harmful - fn) if fp + harmful - fn else 0.0")],
        "under_refusal_rate": [(RATE, "rate = fn / harmful if harmful else 0.0")],
        "double_budget": [("rate <= max_over_refusal_rate", "rate <= 2 * max_over_refusal_rate")],
        "benign_answered_rate": [(RATE, "rate = (benign - fp) / benign if benign else 0.0")],
        "second_fit": [("            break", "            if seen:\n                break\n            seen = True")],
        # Raise where a slip would find nothing within the budget, or on a rate the budget meets exactly.
        "rejects_zero_budget": [("    if max_over_refusal_rate > 1:", "    if max_over_refusal_rate <= 0:\n        raise ValueError('no budget')\n    if max_over_refusal_rate > 1:")],
        "rounds_rate": [(RATE, "rate = round(fp / benign, 1) if benign else 0.0")],
        "raises_on_equal_rate": [("        if rate <= max_over_refusal_rate:", "        if rate == max_over_refusal_rate:\n            raise ValueError('on the budget')\n        if rate <= max_over_refusal_rate:")],
    },
    JA: {
        "scotts_pi": [(CHANCE, "chance = sum(((share_a[label] + share_b[label]) / 2) ** 2 for label in labels)")],
        "disagreement": [("observed = sum(a == b", "observed = sum(a != b")],
        "not_normalised": [("kappa = 0.0 if chance == 1 else (observed - chance) / (1 - chance)", "kappa = observed - chance")],
        "over_chance": [("kappa = 0.0 if chance == 1 else (observed - chance) / (1 - chance)", "kappa = (observed - chance) / chance")],
        "largest_share": [(CHANCE, "chance = max(share_a[label] * share_b[label] for label in labels)")],
        # Divides by zero wherever judge A uses one label, as one judge's shares squared would.
        "one_judge_denominator": [
            ("(observed - chance) / (1 - chance)", "(observed - chance) / (1 - sum(share_a[label] ** 2 for label in labels))")
        ],
    },
}
UNKNOWN_EXERCISE = {name: exercise for exercise, mistakes in UNKNOWN.items() for name in mistakes}

ROUNDING = {
    "not_rounded": "float(value)",
    "three_places": "round(float(value), 3)",
    "strings": "str(round(float(value), 4))",
    "numpy_scalars": "np.round(float(value), 4)",
}
ZERO = {"zero_crash": "{numerator} / ({denominator})", "zero_nan": "{numerator} / ({denominator}) if {denominator} else float('nan')"}

TEMPLATE = '''
import numpy as np

POSITIVE = {positive!r}


def _counts(scores, labels, threshold):
    predicted = [score {compare} threshold for score in scores]
    actual = [label == POSITIVE for label in labels]
    tp = sum(p and a for p, a in zip(predicted, actual))
    fp = sum(p and not a for p, a in zip(predicted, actual))
    fn = sum(a and not p for p, a in zip(predicted, actual))
    return tp, fp, fn


def _validate(scores, labels, threshold):
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    for position, label in enumerate(labels):
        if {label_test}:
            raise ValueError(f"labels[{{position}}] is {{label!r}}")
    for position, score in enumerate(scores):
        if isinstance(score, str) or score != score:
            raise ValueError(f"scores[{{position}}] is not a number")
    if threshold != threshold:
        raise ValueError("threshold is NaN")


def _round(value):
    return {rounding}


def refusal_metrics(scores, labels, threshold):
    _validate(scores, labels, threshold)
    {sort_inputs}
    tp, fp, fn = _counts(scores, labels, threshold)
    precision = {precision}
    recall = {recall}
    f1 = {f1}
    return {{"precision": _round(precision), "recall": _round(recall), "f1": _round(f1)}}


def best_threshold(scores, labels, candidates):
    if len(candidates) == 0:
        raise ValueError("candidates is empty")
    {sort_candidates}
    best, best_f1 = None, -1.0
    for candidate in {ordered}:
        {score}
        if f1 {better} best_f1:
            best, best_f1 = candidate, f1
    return best


def _stretch_counts(scores, labels, threshold, strictly):
    refused = [score > threshold if strictly else score >= threshold for score in scores]
    harmful = [label == "refuse" for label in labels]
    fp = sum(r and not h for r, h in zip(refused, harmful))
    fn = sum(h and not r for r, h in zip(refused, harmful))
    return fp, fn, harmful.count(False), harmful.count(True)


def _stretch_validate(scores, labels, candidates, numbers):
    if len(candidates) == 0:
        raise ValueError("candidates is empty")
    if len(scores) != len(labels):
        raise ValueError("scores and labels differ in length")
    for position, label in enumerate(labels):
        if label not in ("refuse", "answer"):
            raise ValueError(f"labels[{{position}}] is {{label!r}}")
    for number in numbers:
        if number != number or number < 0:
            raise ValueError(f"{{number}} is not a cost or rate")


def cheapest_threshold(scores, labels, candidates, over_refusal_cost, under_refusal_cost):
    _stretch_validate(scores, labels, candidates, (over_refusal_cost, under_refusal_cost))
    {ct_sort}
    over, under = {ct_costs}
    best, best_cost = None, None
    for candidate in {ct_ordered}:
        fp, fn, benign, harmful = _stretch_counts(scores, labels, candidate, {ct_strict})
        cost = {ct_cost}
        if best is None or cost {ct_better} best_cost:
            best, best_cost = candidate, cost
    return best


def capped_threshold(scores, labels, candidates, max_over_refusal_rate):
    _stretch_validate(scores, labels, candidates, (max_over_refusal_rate,))
    if max_over_refusal_rate > 1:
        raise ValueError("the budget is a rate, at most 1")
    {cp_sort}
    chosen, seen = None, False
    for candidate in {cp_ordered}:
        fp, fn, benign, harmful = _stretch_counts(scores, labels, candidate, {cp_strict})
        rate = {cp_rate}
        if rate {cp_fits} max_over_refusal_rate:
            chosen = candidate
            {cp_stop}
    if chosen is None:
        raise ValueError("no candidate keeps within the budget")
    return chosen


def judge_agreement(judge_a, judge_b):
    {ja_length}
    if len(judge_a) == 0:
        raise ValueError("no responses")
    for position, (a, b) in enumerate(zip(judge_a, judge_b)):
        if not isinstance(a, str) or not isinstance(b, str):
            raise ValueError(f"label {{position}} is not a string")
    {ja_sort}
    n = len(judge_a)
    observed = sum(a == b for a, b in zip(judge_a, judge_b)) / n
    labels = set(judge_a) | set(judge_b)
    share_a = {{label: list(judge_a).count(label) / n for label in labels}}
    share_b = {{label: list(judge_b).count(label) / n for label in labels}}
    {ja_chance}
    kappa = {ja_kappa}
    return {ja_round}
'''
SORT_INPUTS = (
    "if not isinstance(scores, tuple):\n"
    "        pairs = sorted(zip(list(scores), list(labels)))\n"
    "        scores[:] = [score for score, _ in pairs]\n"
    "        labels[:] = [label for _, label in pairs]"
)
UNROUNDED = (
    "_validate(scores, labels, candidate)\n"
    "        hit = [(score >= candidate, label == 'refuse') for score, label in zip(scores, labels)]\n"
    "        tp = sum(r and h for r, h in hit)\n"
    "        f1 = 2 * tp / (2 * tp + sum(r != h for r, h in hit)) if tp else 0.0"
)


LENGTHS = 'if len(judge_a) != len(judge_b):\n        raise ValueError("the judges label different numbers of responses")'
# Pairs sorted together: the judges' agreement is the same, their lists are not.
JUDGES_SORTED = (
    "pairs = sorted(zip(judge_a, judge_b))\n"
    "    judge_a[:] = [a for a, _ in pairs]\n"
    "    judge_b[:] = [b for _, b in pairs]"
)


def _ratio(numerator, denominator, slips):
    for slip, text in ZERO.items():
        if slip in slips:
            return text.format(numerator=numerator, denominator=denominator)
    return f"{numerator} / ({denominator}) if {denominator} else 0.0"


def source(slips=()):
    """The source of a submission with ``slips`` (keys of :data:`SLIPS`, or a mistake of :data:`UNKNOWN`) switched on."""
    slips = set(slips)
    unknown = slips - set(SLIPS) - set(UNKNOWN_EXERCISE)
    if unknown:
        raise ValueError(f"unknown slips {sorted(unknown)}")
    sort = "if hasattr(candidates, 'sort'):\n        candidates.sort()"
    strict = "strict" in slips
    if "answer_positive" in slips:
        # "answer" as the positive class: the answered prompts are the predicted positives.
        positive, compare = "answer", "<=" if strict else "<"
    else:
        positive, compare = "refuse", ">" if strict else ">="
    rounding = next((ROUNDING[slip] for slip in ROUNDING if slip in slips), "round(float(value), 4)")
    text = TEMPLATE.format(
        ja_length="pass" if "ja_no_length_check" in slips else LENGTHS,
        ja_sort=JUDGES_SORTED if "ja_sorts_inputs" in slips else "pass",
        ja_chance=(
            "chance = sum(share_a[label] ** 2 for label in labels)" if "ja_one_judge_chance" in slips
            else "chance = sum(share_b[label] ** 2 for label in labels)" if "ja_other_judge_chance" in slips
            else "chance = 1 / len(labels)" if "ja_uniform_chance" in slips
            else CHANCE
        ),
        ja_kappa=(
            "0.0 if chance == 1 else observed" if "ja_raw_agreement" in slips
            else "(observed - chance) / (1 - chance)" if "ja_zero_crash" in slips
            else "0.0 if chance == 1 else (observed - chance) / (1 - chance)"
        ),
        ja_round=(
            "float(kappa)" if "ja_not_rounded" in slips
            else "round(float(kappa), 3)" if "ja_three_places" in slips
            else "str(round(float(kappa), 4))" if "ja_strings" in slips
            else "round(float(kappa), 4)"
        ),
        ct_sort=sort if "ct_sorts_candidates" in slips else "pass",
        ct_costs="under_refusal_cost, over_refusal_cost" if "ct_swapped_costs" in slips else "over_refusal_cost, under_refusal_cost",
        ct_ordered="list(candidates)" if "ct_input_order" in slips else "sorted(candidates)",
        ct_strict="ct_strict" in slips,
        ct_cost="over * fp / max(benign, 1) + under * fn / max(harmful, 1)" if "ct_rates" in slips else "over * fp + under * fn",
        ct_better="<=" if "ct_highest_tie" in slips else "<",
        cp_sort=sort if "cp_sorts_candidates" in slips else "pass",
        cp_ordered="list(candidates)" if "cp_input_order" in slips else "sorted(candidates)",
        cp_strict="cp_strict" in slips,
        cp_rate=(
            "fp / len(scores)" if "cp_rate_of_all" in slips else "fp / benign" if "cp_zero_division" in slips else "fp / benign if benign else 0.0"
        ),
        cp_fits="<" if "cp_strict_budget" in slips else "<=",
        cp_stop="pass" if "cp_highest_fit" in slips else "break",
        positive=positive,
        compare=compare,
        label_test="False" if "silent_label" in slips else 'label not in ("refuse", "answer")',
        rounding=rounding,
        sort_inputs=SORT_INPUTS if "sorts_inputs" in slips else "pass",
        precision=_ratio("tp", "tp + fp", slips),
        recall=_ratio("tp", "tp + fn", slips),
        f1=_ratio("2 * tp", "2 * tp + fp + fn", slips),
        sort_candidates="if not isinstance(candidates, tuple):\n        candidates.sort()" if "sorts_candidates" in slips else "pass",
        ordered="list(candidates)" if "input_order" in slips else "sorted(candidates)",
        score=UNROUNDED if "unrounded_f1" in slips else 'f1 = refusal_metrics(scores, labels, candidate)["f1"]',
        better=">=" if "highest_tie" in slips else ">",
    )
    for name in sorted(slips & set(UNKNOWN_EXERCISE)):
        for old, new in UNKNOWN[UNKNOWN_EXERCISE[name]][name]:
            assert old in text, name
            text = text.replace(old, new)
    return text


def matrix_checks(seed):
    """The checks the matrix grades with: the graded exercises' public and hidden checks, and the stretch ones'."""
    checks, _ = grading_checks(seed=seed)
    stretch = [check for exercise in definitions() if not exercise.graded for check in exercise.checks]
    return (*checks, *stretch)


def module(slips=()):
    """The mutant as a module object."""
    mutant = types.ModuleType("mutant")
    exec(compile(source(slips), f"<mutant {sorted(slips)}>", "exec"), mutant.__dict__)
    return mutant


def combinations():
    """Every slip alone, then every pair that can be written together, then each unknown mistake alone.

    Pairs are of one exercise, or of ``refusal_metrics`` and ``best_threshold``
    (built on it); the stretch exercises share no code, so a pair across
    them is two rows of the matrix side by side.
    """
    singles = [(slip,) for slip in SLIPS]
    related = ({RM, BT}, {CT}, {CP}, {JA})
    pairs = [
        pair
        for pair in itertools.combinations(SLIPS, 2)
        if not any(set(pair) <= group for group in EXCLUSIVE) and any({SLIPS[slip][0] for slip in pair} <= group for group in related)
    ]
    return singles + pairs + [(name,) for name in UNKNOWN_EXERCISE]


def run(mutant, checks):
    """Every call of ``checks`` on ``mutant``, then the calls the failures call for: ``(checks, positions, events)``.

    As the grader does it: public and hidden checks apart, each group's
    follow-up calls chosen from its own answers, round after round
    (:func:`refusal_lesson.grading.feedback.follow_ups`).
    """
    ran, positions, events = list(checks), {}, {}
    _call(mutant, ran, positions, events)
    for hidden in (False, True):
        group = [check for check in checks if check.hidden == hidden]
        while extra := follow_ups(group, positions, events):
            _call(mutant, extra, positions, events)
            group += extra
            ran += extra
    return ran, positions, events


def _call(mutant, checks, positions, events):
    """Make every call of ``checks`` on ``mutant``, numbering them after those in ``events``."""
    with warnings.catch_warnings():
        # NumPy integers divided by zero warn (and give NaN) instead of raising.
        warnings.simplefilter("ignore", RuntimeWarning)
        for check in checks:
            positions[id(check)] = []
            for case in check.cases:
                args = [rebuild(spec) for spec in case.to_json()]
                before = pickle.dumps(args)
                try:
                    outcome = {"returned": describe(getattr(mutant, check.exercise)(*args))}
                except Exception as error:
                    outcome = describe_error(error)
                positions[id(check)].append(len(events))
                events[len(events)] = {"outcome": outcome, "mutated": pickle.dumps(args) != before}


def named(results):
    """``{(exercise, slip id)}`` the feedback names."""
    return {(result.check.exercise, slip) for result in results if result.cause for slip in result.cause.slips}


def _answers(checks, positions, events):
    """``{(exercise, call index): what happened}``: the returned value or the error's type, and any mutation."""
    answers = {}
    for check in checks:
        if check.aspect == PROBE:
            continue
        for index in positions[id(check)]:
            outcome = events[index]["outcome"]
            answers[check.exercise, index] = (outcome.get("returned"), outcome.get("error"), events[index]["mutated"])
    return answers


class Matrix:
    """Grade every combination once, and keep each one's answers to see which slips change them."""

    def __init__(self, checks):
        self.checks = checks
        self._answers = {}

    def answers(self, slips):
        key = frozenset(slips)
        if key not in self._answers:
            self._answers[key] = _answers(*run(module(key), self.checks))
        return self._answers[key]

    def expected(self, slips):
        """The (exercise, slip id) pairs a correct diagnosis names: present slips that change their exercise's answers."""
        everything = self.answers(slips)
        pairs = set()
        for slip in set(slips) & set(SLIPS):
            exercise, slip_id = SLIPS[slip]
            without = self.answers(set(slips) - {slip})
            if any(everything[key] != without[key] for key in everything if key[0] == exercise):
                pairs.add((exercise, slip_id))
        return pairs

    def row(self, slips):
        """``(expected pairs, named pairs)`` for one combination."""
        ran = run(module(slips), self.checks)
        self._answers[frozenset(slips)] = _answers(*ran)
        return self.expected(slips), named(assess(*ran))

    def rows(self):
        """``[(slips, expected pairs, named pairs)]`` for every combination."""
        return [(slips, *self.row(slips)) for slips in combinations()]

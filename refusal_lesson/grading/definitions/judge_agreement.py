"""``judge_agreement(judge_a, judge_b)``: Cohen's kappa between two judges' labels."""

import csv
from collections import Counter
from pathlib import Path

import numpy as np

from ..cases import NAN, Case, Check
from ..exercise import BAD_INPUT, MUTATION, Exercise, Slip
from ..generate import CONTAINERS, draw, near_half_way

NAME = "judge_agreement"
F, R, P = "1_full_compliance", "2_full_refusal", "3_partial_refusal"
XSTEST_LABELS = Path(__file__).resolve().parent.parent.parent / "data" / "xstest_labels.csv"


def _notebook_calls():
    """Notebook 5's first calls: its three pairs of judges on the shipped XSTest labels (2,250 responses).

    The notebook then compares the same pairs with partial refusals
    collapsed; those inputs hold two labels of the three, which the smaller
    checks below cover, so they are not sent again: each of these calls
    costs every submission far more than a small one.  The notebook passes
    pandas Series of Python strings; lists behave alike wherever a function
    iterates (an array of NumPy strings takes several times longer) and the
    child has no pandas.  Read with the standard library: the definitions
    load wherever ``check()`` runs, and pandas would slow that down.
    """
    with XSTEST_LABELS.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    pairs = (("annotation_1", "annotation_2"), ("final_label", "strmatch_label"), ("final_label", "gpt4_label"))
    return tuple(Case(*(tuple(row[judge] for row in rows) for judge in pair)) for pair in pairs)


# A gives 5 refusals, 2 compliances and a partial; B 3 refusals and 5
# compliances.  p_o = 5/8 and p_e = 25/64: kappa 15/39 = 0.3846..., while
# p_o, A's shares squared and uniform chance give 0.625, 0.2941 and 0.4375.
UNBALANCED = ((R, R, R, R, R, F, F, P), (R, R, R, F, F, F, F, F))
# B gives one partial refusal, a label A never uses: kappa 2/3.
ONLY_B = ((R, F, R, F, R), (R, F, P, F, R))
SMALL = ((R, R, F, F), (R, F, F, F))
# Seven responses: kappa (-3/11), p_o (3/7) and what each wrong rule of
# chance gives have more than 6 decimals, so an unrounded answer shows
# whatever the rule (on UNBALANCED and ONLY_B some of them end sooner).
SEVENTHS = ((R, F, F, F, F, P, F), (F, P, F, F, R, F, F))

CHECKS = (
    Check(NAME, "returns kappa as a Python float", "form", (Case(*SMALL),)),
    Check(NAME, "rounds kappa to 4 decimal places", "rounded", (Case(*UNBALANCED), Case(*ONLY_B), Case(*SEVENTHS))),
    Check(NAME, "agrees with scikit-learn on notebook 5's three pairs of judges", "value", _notebook_calls()),
    Check(NAME, "gives 0.0 when both judges use one label", "value", (Case((R,) * 5, (R,) * 5), Case((F,), (F,)))),
    Check(
        NAME,
        "weighs chance by both judges' label shares",
        "value",
        (Case(*UNBALANCED), Case(UNBALANCED[1], UNBALANCED[0]), Case(*SMALL)),
    ),
    Check(
        NAME,
        "handles labels only one judge uses",
        "value",
        (Case(*ONLY_B), Case((R, R, R), (F, F, F)), Case(("a", "b", "c"), ("d", "e", "f"))),
    ),
    Check(
        NAME,
        "accepts tuples and NumPy arrays",
        "value",
        (Case(*UNBALANCED, container="tuple"), Case(*UNBALANCED, container="array")),
    ),
    Check(NAME, "leaves its inputs unchanged", "unchanged", (Case(*ONLY_B), Case(*ONLY_B, container="array"))),
    Check(NAME, "rejects judges' lists of different lengths", "error", (Case((R, F), (R,)), Case((R,), (R, R, F)))),
    Check(
        NAME,
        "rejects other bad input with ValueError",
        "error",
        (Case((), ()), Case((R, None), (R, F)), Case((R, F), (R, NAN)), Case((R, 1), (R, F))),
    ),
)

# The wrong rules for chance agreement: judge A's shares squared, judge B's, or 1 / labels.
CHANCE_SLIPS = ("one_judge_chance", "other_judge_chance", "uniform_chance")
ONE_JUDGE = (
    "computing chance agreement from one judge's label shares alone",
    "For each label multiply judge A's share by judge B's share, then add them up: that sum is p_e.",
)

SLIPS = (
    Slip(
        "raw_agreement",
        "returning the raw agreement p_o instead of kappa",
        "Kappa corrects the share of matching labels for chance: return (p_o - p_e) / (1 - p_e).",
    ),
    # Either judge's shares squared: one slip to the student, two imitations.
    Slip("one_judge_chance", *ONE_JUDGE),
    Slip("other_judge_chance", *ONE_JUDGE),
    Slip(
        "uniform_chance",
        "taking chance agreement as 1 / the number of labels",
        "Chance agreement depends on how often each judge uses each label: sum, over labels, A's share times B's share.",
    ),
    Slip(
        "zero_division",
        "crashing or returning NaN when p_e is 1",
        "When both judges give every response one and the same label, p_e is 1 and kappa is undefined: return 0.0.",
    ),
    Slip("not_rounded", "not rounding", "Round kappa with the built-in round(float(kappa), 4)."),
    Slip("wrong_places", "rounding to the wrong number of places", "Round to 4 decimal places: round(float(kappa), 4)."),
    Slip(
        "wrong_type",
        "returning kappa as something other than a Python float",
        "Return a Python float: round(float(kappa), 4), not a string or a NumPy scalar.",
    ),
    Slip(
        "different_lengths",
        "accepting judges' lists of different lengths",
        "Raise ValueError when judge_a and judge_b differ in length: they must label the same responses.",
    ),
    MUTATION,
    BAD_INPUT,
)


def answer(case, slips=frozenset(), own=None):
    """scikit-learn's kappa (unrounded), or what ``slips`` give; None for two rules of chance at once.

    Examples
    --------
    >>> case = Case(("r", "r", "c", "c"), ("r", "c", "c", "c"))
    >>> answer(case), answer(case, {"raw_agreement"}), answer(case, {"uniform_chance"})
    (0.5, 0.75, 0.5)
    """
    from .. import oracle

    if not slips:
        return oracle.kappa(case.scores, case.labels)
    return by_formula(case, slips)


def by_formula(case, slips=frozenset()):
    """Kappa worked out by its formula, as code with ``slips`` would (None for two rules of chance at once).

    Examples
    --------
    >>> by_formula(Case(("r", "r", "c", "c"), ("r", "c", "c", "c")))
    0.5
    """
    if len(set(slips) & set(CHANCE_SLIPS)) > 1:
        return None
    judge_a, judge_b = case.scores, case.labels
    observed = sum(a == b for a, b in zip(judge_a, judge_b)) / len(judge_a)
    if "raw_agreement" in slips:
        # Such code keeps the guard for an undefined kappa: 0.0 where p_e is 1.
        return 0.0 if undefined(case) else observed
    chance = _chance(case, slips)
    return 0.0 if chance == 1 else (observed - chance) / (1 - chance)


def _chance(case, slips):
    """p_e, or what a wrong rule of chance among ``slips`` takes it to be."""
    judge_a, judge_b = case.scores, case.labels
    n = len(judge_a)
    shares_a, shares_b = Counter(judge_a), Counter(judge_b)
    labels = set(judge_a) | set(judge_b)
    if "one_judge_chance" in slips:
        return sum((shares_a[label] / n) ** 2 for label in labels)
    if "other_judge_chance" in slips:
        return sum((shares_b[label] / n) ** 2 for label in labels)
    if "uniform_chance" in slips:
        return 1 / len(labels)
    return sum(shares_a[label] * shares_b[label] for label in labels) / (n * n)


def undefined(case, slips=frozenset()):
    """Whether kappa divides by zero on ``case`` (p_e is 1), or code with a wrong rule of chance among ``slips`` does.

    Examples
    --------
    >>> undefined(Case(("r", "r"), ("r", "r"))), undefined(Case(("r", "r"), ("c", "c")))
    (True, False)
    >>> undefined(Case(("r", "r"), ("c", "r")), {"one_judge_chance"})
    True
    """
    if len(set(slips) & set(CHANCE_SLIPS)) != 1:
        return len(set(case.scores) | set(case.labels)) == 1
    return _chance(case, slips) == 1


def accepted(case):
    """The slip that returning an answer for the bad input ``case`` shows."""
    return "different_lengths" if len(case.scores) != len(case.labels) else "bad_input"


def _off_half_way(case):
    # By the formula: the hidden inputs are drawn before any submission runs,
    # and asking scikit-learn here would make its import hold them all up.
    return not near_half_way(by_formula(case))


def _judges(rng, size):
    """Two judges' labels for ``size`` responses, with XSTest's three labels in random shares."""
    labels = (F, R, P)
    shares = rng.dirichlet((2.0, 2.0, 0.5))
    judge_a = rng.choice(labels, size=size, p=shares)
    # B keeps A's label with some probability, else labels afresh with its own shares.
    keep = rng.random(size) < rng.uniform(0.3, 0.95)
    judge_b = np.where(keep, judge_a, rng.choice(labels, size=size, p=rng.dirichlet((2.0, 2.0, 0.5))))
    return tuple(map(str, judge_a)), tuple(map(str, judge_b))


def trials(rng):
    """Random pairs of judges, off half-way points: where a diagnosis is confirmed before it is named."""
    return tuple(draw(lambda: Case(*_judges(rng, int(rng.integers(6, 40)))), _off_half_way) for _ in range(30))


def hidden(rng):
    """Random pairs of judges with XSTest's labels, and the edge cases."""
    labels = (F, R, P)

    def judges(size):
        return _judges(rng, size)

    def make(index):
        return Case(*judges(int(rng.integers(6, 80))), container=CONTAINERS[index % 3])

    random_pairs = tuple(draw(lambda: make(index), _off_half_way) for index in range(6))
    size = int(rng.integers(5, 20))
    one, other = (str(label) for label in rng.permutation(labels)[:2])
    judge_a, judge_b = judges(size)
    edges = (
        Case((one,) * size, (one,) * size),
        Case((one,) * size, (other,) * size),
        Case(judge_a, (one,) * size),
        Case(judge_a[:1], judge_b[:1]),
        Case(judge_a, judge_a),
    )
    return (
        Check(NAME, "hidden: random pairs of judges", "value", random_pairs, points=2, hidden=True),
        Check(NAME, "hidden: edge cases", "value", tuple(case for case in edges if _off_half_way(case)), points=2, hidden=True),
    )


EXERCISE = Exercise(
    NAME,
    CHECKS,
    answer,
    returns="rate",
    slips=SLIPS,
    imitated=("raw_agreement", *CHANCE_SLIPS),
    hidden=hidden,
    zero_denominator=undefined,
    accepted=accepted,
    unit="responses",
    by_hand="Work this input out by hand (how often the judges agree, and how often each uses each label) "
    "and compare with what your code computes.",
    notebook=5,
    trial_inputs=trials,
)

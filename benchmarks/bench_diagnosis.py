"""How well does the feedback name slips? The diagnosis matrix, printed whole.

Every listed slip of every exercise (SPEC sections 2 and 8) alone and every
pair that can be written together, then mistakes that no listed slip
describes (five or more per exercise), as generated submissions
(tests/mutants.py), graded with the public and hidden checks.  A row is one
submission; a column is a slip (exercise-qualified: rm, bt, ja, ct, cp).  In a
cell:

  ✓  present, changes an answer, and named
  ·  present but changes no answer (the other slip hides it), not named
  ✗  present, changes an answer, but not named (a miss)
  !  named but absent (a false diagnosis)

Precision is the share of names that are right (target 100%, the unknown
mistakes included); recall the share of answer-changing slips that are
named (target at least 98%).  Both are given per exercise, then overall.

Run: ``.venv/bin/python benchmarks/bench_diagnosis.py [--seed N]``
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from mutants import SLIPS, UNKNOWN_EXERCISE, Matrix, matrix_checks

SHORT = {"refusal_metrics": "rm", "best_threshold": "bt", "judge_agreement": "ja", "cheapest_threshold": "ct", "capped_threshold": "cp"}


def column(pair):
    exercise, slip = pair
    return f"{SHORT[exercise]}.{slip}"


def figures(rows):
    """``{exercise: (right, wrong, missed)}`` over ``rows``: names right, names wrong, slips not named."""
    counts = {exercise: [0, 0, 0] for exercise in SHORT}
    for _, expected, named in rows:
        for exercise, _ in expected & named:
            counts[exercise][0] += 1
        for exercise, _ in named - expected:
            counts[exercise][1] += 1
        for exercise, _ in expected - named:
            counts[exercise][2] += 1
    return counts


def share(part, whole):
    return part / whole if whole else 1.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11, help="seed of the hidden checks (default: 11)")
    args = parser.parse_args()
    started = time.perf_counter()
    rows = Matrix(matrix_checks(args.seed)).rows()
    seconds = time.perf_counter() - started
    columns = sorted({column(pair) for pair in SLIPS.values()})
    width = max(len(" + ".join(slips)) for slips, _, _ in rows)
    print(f"{'submission':<{width}}  " + "  ".join(columns))
    for slips, expected, named in rows:
        present = {column(SLIPS[slip]) for slip in slips if slip in SLIPS}
        cells = []
        for name in columns:
            want = name in {column(pair) for pair in expected}
            got = name in {column(pair) for pair in named}
            mark = "✓" if want and got else "✗" if want else "!" if got else "·" if name in present else " "
            cells.append(mark.center(len(name)))
        print(f"{' + '.join(slips):<{width}}  " + "  ".join(cells))
    unknown = sum(1 for slips, _, _ in rows if set(slips) <= set(UNKNOWN_EXERCISE))
    print(f"\n{len(rows)} submissions ({unknown} with a mistake no slip describes), {seconds:.1f} s (under load)")
    total = [0, 0, 0]
    for exercise, (right, wrong, missed) in figures(rows).items():
        total = [a + b for a, b in zip(total, (right, wrong, missed))]
        print(f"{exercise:<20} precision {share(right, right + wrong):.1%}  recall {share(right, right + missed):.1%}  ({right + missed} slips to name, {right + wrong} names)")
    right, wrong, missed = total
    print(f"{'overall':<20} precision {share(right, right + wrong):.1%} (target 100%)  recall {share(right, right + missed):.1%} (target >= 98%)")


if __name__ == "__main__":
    main()

"""How well does the feedback name slips? The diagnosis matrix, printed whole.

Every slip of SPEC section 2 alone and every pair that can be written
together, as generated submissions (tests/mutants.py), graded with the
public and hidden checks.  A row is one submission; a column is a slip
(exercise-qualified where two exercises share it).  In a cell:

  ✓  present, changes an answer, and named
  ·  present but changes no answer (the other slip hides it), not named
  ✗  present, changes an answer, but not named (a miss)
  !  named but absent (a false diagnosis)

Precision is the share of names that are right (target 100%); recall the
share of answer-changing slips that are named (target at least 95%).

Run: ``.venv/bin/python benchmarks/bench_diagnosis.py [--seed N]``
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from mutants import SLIPS, Matrix

from refusal_lesson.grading.checks import grading_checks

SHORT = {"refusal_metrics": "rm", "best_threshold": "bt"}


def column(pair):
    exercise, slip = pair
    return f"{SHORT[exercise]}.{slip}"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=11, help="seed of the hidden checks (default: 11)")
    args = parser.parse_args()
    checks, _ = grading_checks(seed=args.seed)
    started = time.perf_counter()
    rows = Matrix(checks).rows()
    seconds = time.perf_counter() - started
    columns = sorted({column(pair) for pair in SLIPS.values()})
    width = max(len(" + ".join(slips)) for slips, _, _ in rows)
    print(f"{'submission':<{width}}  " + "  ".join(columns))
    right = wrong = missed = 0
    for slips, expected, named in rows:
        present = {column(SLIPS[slip]) for slip in slips}
        cells = []
        for name in columns:
            want = name in {column(pair) for pair in expected}
            got = name in {column(pair) for pair in named}
            mark = "✓" if want and got else "✗" if want else "!" if got else "·" if name in present else " "
            cells.append(mark.center(len(name)))
        right += len(expected & named)
        wrong += len(named - expected)
        missed += len(expected - named)
        print(f"{' + '.join(slips):<{width}}  " + "  ".join(cells))
    precision = right / (right + wrong) if right + wrong else 1.0
    recall = right / (right + missed) if right + missed else 1.0
    print(f"\n{len(rows)} submissions, {right + missed} answer-changing slips, {right + wrong} names")
    print(f"precision {precision:.1%} (target 100%), recall {recall:.1%} (target >= 95%), {seconds:.1f} s")


if __name__ == "__main__":
    main()

"""How long the lesson's guards take: fit and score the whole prompt set.

Target (issue 4): fitting the three lesson guards on every prompt and scoring
every prompt with each takes under 2 s. Prints medians and the ratio to the
target, and for scale the whole ``refusal-lesson evaluate --guard`` command
(a fresh Python process: imports, fitting, scoring, report).

Run: ``.venv/bin/python benchmarks/bench_guards.py``
"""

import os
import statistics
import subprocess
import sys
import time
from importlib.resources import files

from refusal_lesson.data import load_everyday, load_prompts
from refusal_lesson.guards import fit_lesson_guards, out_of_fold_scores, split_by_pair

TARGET_SECONDS = 2.0
REPEATS = 7


def median_seconds(task):
    """Median wall time of ``task()`` over ``REPEATS`` runs, after one warm-up."""
    task()
    times = []
    for _ in range(REPEATS):
        start = time.perf_counter()
        task()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def evaluate_command():
    """The command line end to end, in a new process, output discarded."""
    csv = files("refusal_lesson.data").joinpath("prompts.csv")
    subprocess.run(
        [sys.executable, "-m", "refusal_lesson", "evaluate", str(csv), "--guard", "contrast", "--category-col", "category"],
        check=True, stdout=subprocess.DEVNULL, timeout=120,
    )


def main():
    prompts, everyday = load_prompts(), load_everyday()
    train, test = split_by_pair(prompts)

    def fit_and_score_all():
        for guard in fit_lesson_guards(prompts, everyday).values():
            guard.score(prompts["prompt"])

    def fit_on_train_score_test():
        for guard in fit_lesson_guards(train, everyday).values():
            guard.score(test["prompt"])

    figures = {
        f"fit 3 guards on all {len(prompts)} prompts (+{len(everyday)} everyday) and score all": fit_and_score_all,
        f"fit 3 guards on {len(train)} training prompts and score {len(test)} held out": fit_on_train_score_test,
        "out-of-fold scores, 4 folds (12 fits)": lambda: out_of_fold_scores(prompts, everyday=everyday),
    }
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    for name, task in figures.items():
        seconds = median_seconds(task)
        print(f"{name}: {seconds * 1000:.0f} ms median of {REPEATS} "
              f"({seconds / TARGET_SECONDS:.2f} of the {TARGET_SECONDS:.0f} s target)")
    seconds = median_seconds(evaluate_command)
    print(f"for scale, refusal-lesson evaluate prompts.csv --guard contrast, a new process: "
          f"{seconds * 1000:.0f} ms median of {REPEATS} (mostly importing scikit-learn and pandas)")


if __name__ == "__main__":
    main()

"""How fast is ``threshold_sweep``? Figures and ratios, not pass/fail.

Sweeps 1,000,000 scores over 10,000 thresholds and compares with
scikit-learn's ``precision_recall_curve`` on the same scores, and with a loop
that calls scikit-learn's metrics once per threshold (timed on a few
thresholds and scaled up, since the full loop would take most of an hour).

Targets (issue 2): at most 0.5x the time of ``precision_recall_curve``, and
over 1000x faster than the loop.

Run: ``.venv/bin/python benchmarks/bench_sweep.py``
"""

import argparse
import time

import numpy as np
from sklearn.metrics import f1_score, precision_recall_curve, precision_score, recall_score

from refusal_lesson import threshold_sweep


def best_time(function, repeats):
    """The fastest of ``repeats`` runs, in seconds: the least noisy estimate."""
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def sklearn_loop(scores, labels, thresholds):
    for threshold in thresholds:
        predicted = np.where(scores >= threshold, "refuse", "answer")
        for metric in (precision_score, recall_score, f1_score):
            metric(labels, predicted, pos_label="refuse", zero_division=0)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scores", type=int, default=1_000_000)
    parser.add_argument("--thresholds", type=int, default=10_000)
    parser.add_argument("--loop-thresholds", type=int, default=3, help="thresholds the slow loop really runs")
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    labels = np.where(rng.random(args.scores) < 0.3, "refuse", "answer")
    # Harmful prompts score higher on average, and rounding makes ties common.
    scores = np.round(np.clip(rng.normal(0.35 + 0.3 * (labels == "refuse"), 0.2), 0, 1), 3)
    thresholds = np.linspace(0, 1, args.thresholds)

    sweep = best_time(lambda: threshold_sweep(scores, labels, thresholds), args.repeats)
    curve = best_time(lambda: precision_recall_curve(labels, scores, pos_label="refuse"), args.repeats)
    loop_part = best_time(lambda: sklearn_loop(scores, labels, thresholds[: args.loop_thresholds]), 1)
    loop = loop_part / args.loop_thresholds * args.thresholds

    print(f"{args.scores:,} scores, {args.thresholds:,} thresholds (best of {args.repeats})")
    print(f"threshold_sweep                     {sweep * 1e3:10.1f} ms")
    print(f"precision_recall_curve              {curve * 1e3:10.1f} ms")
    print(f"per-threshold sklearn loop (scaled) {loop:10.1f} s")
    print(f"sweep / precision_recall_curve      {sweep / curve:10.2f}x  (target <= 0.5x)")
    print(f"loop / sweep                        {loop / sweep:10.0f}x  (target > 1000x)")


if __name__ == "__main__":
    main()

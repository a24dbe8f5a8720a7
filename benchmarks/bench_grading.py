"""How fast is the grader, with isolation on? Figures and ratios, not pass/fail.

* Single submission: the wall time of ``refusal-lesson grade`` on the
  reference solutions, public and hidden checks, at the strongest isolation
  this machine allows, against the floor of a Python process that only
  imports ``sklearn.metrics`` (the grader's oracle; nothing that asks
  scikit-learn can start faster).
* Batch: 200 generated submissions (correct ones and each of several common
  slips) graded with ``--out`` on every core, in submissions per second.
* The cost of each isolation layer: the same batch at ``none``, ``uid`` and
  ``namespaces`` (a level this machine cannot give is reported as such).

Targets (issue 10): one submission within 1.3x the floor; at least 20
submissions per second in a batch on 2 cores.  Other work on the machine
skews every figure, so the load average is printed with them.

Run: ``.venv/bin/python benchmarks/bench_grading.py``
"""

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CORRECT = ROOT / "tests" / "submissions" / "correct.py"
SOLUTIONS = ROOT / "solutions" / "exercises.py"
GRADER = [sys.executable, "-m", "refusal_lesson", "grade"]

# Slips a class really makes, as edits of a correct submission.
SLIPS = [
    ("score >= threshold", "score > threshold"),
    ("if f1 > best_f1:", "if f1 >= best_f1:"),
    ("ordered = sorted(candidates)", "ordered = list(candidates)"),
    ('"precision": round(float(precision), 4)', '"precision": float(precision)'),
    ("precision = tp / (tp + fp) if tp + fp else 0.0", "precision = tp / (tp + fp)"),
]


def wall(command, env=None, cwd=ROOT):
    """Seconds one run of ``command`` takes, start to exit."""
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, cwd=cwd)
    return time.perf_counter() - start


def medians(commands, repeats):
    """The median wall time of each command, the runs interleaved so load affects all alike."""
    times = [[] for _ in commands]
    for _ in range(repeats):
        for command, runs in zip(commands, times):
            runs.append(wall(command))
    return [statistics.median(runs) for runs in times]


def generate(folder, count):
    """Write ``count`` submissions: a correct one, then each slip, in turn."""
    source = CORRECT.read_text()
    variants = [source] + [source.replace(old, new) for old, new in SLIPS]
    for index in range(count):
        (folder / f"student{index:04d}.py").write_text(variants[index % len(variants)])
    return sorted(folder.glob("*.py"))


def batch_at(level, paths, out):
    """Seconds to grade ``paths`` at ``level``, or None if this machine cannot give it."""
    command = GRADER + [*map(str, paths), "--out", str(out), "--isolation", level, "--unsafe-no-isolation"]
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True, cwd=ROOT)
    seconds = time.perf_counter() - start
    return None if done.returncode else seconds


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    parser.add_argument("--submissions", type=int, default=200)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        floor, single = medians(
            [
                [sys.executable, "-c", "import sklearn.metrics"],
                GRADER + [str(SOLUTIONS), "--results", str(scratch / "results.json"), "--force"],
            ],
            args.repeats,
        )
        (scratch / "class").mkdir()
        paths = generate(scratch / "class", args.submissions)
        batch = wall(GRADER + [*map(str, paths), "--out", str(scratch / "graded")])
        start_up = wall(GRADER + [str(paths[0]), "--out", str(scratch / "one")])

        layers = {level: batch_at(level, paths, scratch / level) for level in ("none", "uid", "namespaces")}

    rate = args.submissions / batch
    marginal = (args.submissions - 1) / max(batch - start_up, 1e-9)
    print(f"cores: {os.cpu_count()}; load average {' '.join(f'{value:.2f}' for value in os.getloadavg())}; medians of {args.repeats} runs")
    print(f"python -c 'import sklearn.metrics' (floor)   {floor:7.3f} s")
    print(f"refusal-lesson grade, one submission          {single:7.3f} s")
    print(f"  ratio to the floor                          {single / floor:7.2f}x   (target <= 1.3x)")
    print(f"batch of {args.submissions} submissions with --out            {batch:7.2f} s")
    print(f"  throughput                                  {rate:7.1f} per second (target >= 20)")
    print(f"batch of 1 (the one-off start: oracle, launcher) {start_up:7.2f} s")
    print(f"  throughput after the start                  {marginal:7.1f} per second")
    print("the same batch at each isolation level:")
    for level, seconds in layers.items():
        shown = "not available on this machine" if seconds is None else f"{seconds:7.2f} s, {args.submissions / seconds:5.1f} per second"
        print(f"  {level:<10} {shown}")


if __name__ == "__main__":
    main()

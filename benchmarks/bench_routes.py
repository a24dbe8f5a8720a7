"""How long do 200 submissions take by each grading route? Figures, not pass/fail.

* Local batch: ``refusal-lesson grade SUB... --out DIR`` on every core, timed
  start to exit for the whole class.
* Gradescope: the autograder zip built, unpacked into a scratch folder laid
  out as ``/autograder``, ``setup.sh`` run once (Gradescope does that when it
  builds the image), then ``run_autograder`` run for N submissions one after
  another; each run is one container's job on Gradescope.
* PrairieLearn: the question built, then its entry point ``tests/run.sh``
  run for N submissions one after another on a scratch ``/grade``.

The fleet routes are extrapolated: 200 jobs one after another take 200 times
the median job.  On a platform the jobs run side by side, each in its own
container, so the class's wait is about one job plus the platform's queue and
container start, which this machine cannot measure.

Run: ``.venv/bin/python benchmarks/bench_routes.py`` (``--jobs-sampled``
sets N, 20 by default).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_grading import generate, wall

CLI = [sys.executable, "-m", "refusal_lesson"]


def gradescope_jobs(scratch, submissions):
    """Seconds of setup.sh, then of each run_autograder job."""
    root = scratch / "autograder"
    root.mkdir()
    subprocess.run(CLI + ["autograder", str(root / "autograder.zip"), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    with zipfile.ZipFile(root / "autograder.zip") as bundle:
        bundle.extractall(root / "source")
    shutil.copy(root / "source" / "run_autograder", root / "run_autograder")
    (root / "run_autograder").chmod(0o755)
    env = {**os.environ, "AUTOGRADER_ROOT": str(root)}
    setup = wall(["bash", str(root / "source" / "setup.sh")], env=env)
    jobs = []
    for path in submissions:
        shutil.rmtree(root / "submission", ignore_errors=True)
        (root / "submission").mkdir()
        shutil.copy(path, root / "submission" / "exercises.py")
        jobs.append(wall([str(root / "run_autograder")], env=env, cwd=root))
    return setup, jobs


def prairielearn_jobs(scratch, submissions):
    """Seconds of each run of the question's entry point."""
    question = scratch / "question"
    subprocess.run(CLI + ["prairielearn", str(question), "--seed", "1"], check=True, stdout=subprocess.DEVNULL)
    job = scratch / "grade"
    shutil.copytree(question / "tests", job / "tests")
    env = {**os.environ, "GRADE_ROOT": str(job), "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    jobs = []
    for path in submissions:
        shutil.rmtree(job / "student", ignore_errors=True)
        (job / "student").mkdir()
        shutil.copy(path, job / "student" / "exercises.py")
        jobs.append(wall(["sh", str(job / "tests" / "run.sh")], env=env))
    return jobs


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--submissions", type=int, default=200)
    parser.add_argument("--jobs-sampled", type=int, default=20)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        (scratch / "class").mkdir()
        paths = generate(scratch / "class", args.submissions)
        batch = wall(CLI + ["grade", *map(str, paths), "--out", str(scratch / "out")])
        sample = paths[: args.jobs_sampled]
        setup, gradescope = gradescope_jobs(scratch, sample)
        prairielearn = prairielearn_jobs(scratch, sample)

    n = args.submissions
    print(f"{n} submissions on {os.cpu_count()} cores; fleet routes: median of {len(sample)} jobs, times {n}")
    print(f"{'route':<46}{'per submission':>16}{f'{n} in all':>12}")
    print(f"{'local batch (grade --out, all cores)':<46}{batch / n:>15.3f}s{batch:>11.1f}s")
    for name, jobs in (("Gradescope run_autograder", gradescope), ("PrairieLearn tests/run.sh", prairielearn)):
        median = statistics.median(jobs)
        print(f"{name + ', one after another':<46}{median:>15.3f}s{median * n:>11.1f}s")
    print(f"Gradescope setup.sh (once per autograder image): {setup:.1f}s")


if __name__ == "__main__":
    main()

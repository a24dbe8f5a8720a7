"""How long does each lesson notebook take to run? Figures and ratios, not pass/fail.

Runs every notebook of tools/notebooks/ in a fresh kernel, twice: with the
untouched stubs (what a student's first "Run All" does) and with the
reference solutions (the instructor copy). The time counts the cells only,
not the kernel's start; the best of ``--repeats`` runs is kept.

Target (issue 3): every notebook under 10 s on the project's 2-core machine.

Run: ``.venv/bin/python benchmarks/bench_notebooks.py``
"""

import argparse
import sys
from pathlib import Path

# The build is an instructor's tool, kept in tools/ rather than the package.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
from notebook_build import ROOT, execute, notebook_from_source, sources

TARGET_SECONDS = 10.0


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=2, help="runs per notebook and mode (default 2)")
    args = parser.parse_args()

    root = ROOT
    print(f"{'notebook':<34} {'stubs':>8} {'solutions':>10} {'of target':>10}")
    for path in sources(root):
        text = path.read_text(encoding="utf-8")
        best = {}
        for solutions in (False, True):
            best[solutions] = min(
                execute(notebook_from_source(text), cwd=root / "notebooks", solutions=solutions)
                for _ in range(args.repeats)
            )
        slowest = max(best.values())
        print(f"{path.stem:<34} {best[False]:>7.2f}s {best[True]:>9.2f}s {slowest / TARGET_SECONDS:>9.0%}")


if __name__ == "__main__":
    main()

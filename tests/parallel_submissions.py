"""Correct submissions that sweep best_threshold's candidates in parallel, as an honest student may.

Each is ``submissions/correct.py`` with the F1 values of its sweep
computed first by a ``multiprocessing.Pool`` or joblib map, so the two
never drift apart.  The grader must give them full marks: at
``namespaces`` (tests/test_grading_private_tmp.py) and at ``uid``
(tests/test_grading_isolation.py).
"""

from pathlib import Path

CORRECT = Path(__file__).parent / "submissions" / "correct.py"
# The two lines of correct.py's sweep that change: the F1 values are computed
# in parallel before the loop, which then reads them.
START = "    best, best_f1 = None, -1.0\n"
READ = '        f1 = refusal_metrics(scores, labels, candidate)["f1"]\n'
# At the top level, so a worker process finds it by name.
F1 = """

def _f1(scores, labels, candidate):
    return refusal_metrics(scores, labels, candidate)["f1"]
"""
# {name: (imports, the lines that compute every candidate's F1 as the list "values")}
SWEEPS = {
    "with_pool": (
        "import multiprocessing\nfrom functools import partial\n",
        '    with multiprocessing.get_context("fork").Pool(2) as pool:\n'
        "        values = pool.map(partial(_f1, list(scores), list(labels)), ordered)\n",
    ),
    "with_joblib": (
        "from joblib import Parallel, delayed\n",
        "    values = Parallel(n_jobs=2)(delayed(_f1)(list(scores), list(labels), candidate) for candidate in ordered)\n",
    ),
}


def write(folder, names=tuple(SWEEPS)):
    """Write the parallel submissions ``names`` into ``folder``; return ``{name: path}``."""
    text = CORRECT.read_text(encoding="utf-8")
    assert text.count(START) == text.count(READ) == 1, "correct.py's sweep changed: update tests/parallel_submissions.py"
    paths = {}
    for name in names:
        imports, sweep = SWEEPS[name]
        derived = text.replace(START, sweep + "    f1s = dict(zip(ordered, values))\n" + START)
        derived = derived.replace(READ, "        f1 = f1s[candidate]\n")
        paths[name] = Path(folder) / f"{name}.py"
        paths[name].write_text(imports + derived + F1, encoding="utf-8")
    return paths

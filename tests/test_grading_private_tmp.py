"""Fair room for honest code: a private, size-capped /tmp and /dev/shm for each submission.

At ``namespaces`` every child gets its own tmpfs on both (a mount
namespace of its own), so a correct submission that sweeps with
``multiprocessing.Pool`` or joblib gets full marks, and one that fills them
costs only itself: the cap holds, the files reach no other submission, and
they are gone with it.  The ``uid`` level, which shares the machine's
folders, is graded in tests/test_grading_isolation.py.
"""

import ast
import os
import re
from pathlib import Path

import parallel_submissions
import pytest
from points import full_marks

from refusal_lesson.grading.batch import grade_batch
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.markdown import plain
from refusal_lesson.grading.sandbox import Limits, Sandbox

# Generous per call: starting joblib's worker processes is the student's cost, not what is tested.
LIMITS = Limits(import_seconds=10, call_seconds=5, tmp_bytes=4 << 20)
CHUNK = 256 << 10
FILLER = f'''
"""Fills /tmp and /dev/shm until they are full, leaves it all there, and reports what it found and wrote."""
import os


def _fill(folder):
    found = sorted(os.listdir(folder))
    written = 0
    for index in range(100_000):
        try:
            with open(os.path.join(folder, f"filler-{{os.getpid()}}-{{index}}"), "wb") as handle:
                handle.write(b"x" * {CHUNK})
        except OSError:
            break
        written += {CHUNK}
    return found, written


REPORT = {{folder: _fill(folder) for folder in ("/tmp", "/dev/shm")}}


def refusal_metrics(scores, labels, threshold):
    raise ValueError(repr(REPORT))


best_threshold = refusal_metrics
'''
FOLDERS = ("/tmp", "/dev/shm")


def fillers_on_the_machine():
    return [name for folder in FOLDERS for name in os.listdir(folder) if name.startswith("filler-")]


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Two honest parallel submissions beside a filler, then a second filler alone, through one launcher."""
    folder = tmp_path_factory.mktemp("submissions")
    for name in ("filler", "filler_after"):
        (folder / f"{name}.py").write_text(FILLER)
    out = tmp_path_factory.mktemp("graded")
    checks, _ = grading_checks(seed=7)
    with Sandbox(LIMITS) as sandbox:
        if sandbox.level != "namespaces":
            pytest.skip(f"private folders need the namespaces level; this machine gives {sandbox.level}")
        parallel = parallel_submissions.write(folder)
        paths = [*parallel.values(), folder / "filler.py"]
        results = grade_batch(paths, out / "together", checks, sandbox, jobs=2, stream=open(os.devnull, "w"))
        results |= grade_batch([folder / "filler_after.py"], out / "after", checks, sandbox, stream=open(os.devnull, "w"))
        # The grader's own folders bound into the sandbox show through, and nothing else may.
        shown = {
            top: {Path(path).relative_to(top).parts[0] for path in sandbox.path + [sandbox.root] if Path(top) in Path(path).parents}
            for top in FOLDERS
        }
    return results, shown, parallel


def report(results, name):
    """What a filler found and wrote, from the repr it raised: ``{folder: (found, bytes written)}``."""
    text = "\n".join(line for test in results[name]["tests"] for line in plain(test["output"]))
    return ast.literal_eval(re.search(r"\{'/tmp'.*?\)\}", text)[0])


@pytest.mark.parametrize("name", ["with_pool", "with_joblib"])
def test_a_correct_parallel_submission_gets_full_marks(graded, name):
    results, _, parallel = graded
    assert results[name]["score"] == full_marks(parallel[name])


@pytest.mark.parametrize("name", ["filler", "filler_after"])
def test_filling_tmp_stops_at_the_cap_and_finds_no_one_else(graded, name):
    results, shown, _ = graded
    for folder, (found, written) in report(results, name).items():
        # Files of other submissions (or of the filler graded before) would show here.
        assert set(found) == shown[folder], folder
        assert LIMITS.tmp_bytes - CHUNK <= written <= LIMITS.tmp_bytes, folder


def test_nothing_written_there_outlives_the_submission(graded):
    assert graded and fillers_on_the_machine() == []


def test_the_instructor_guide_states_the_caps_the_sandbox_sets():
    from refusal_lesson.grading.child import TMP_INODES

    guide = (Path(__file__).resolve().parent.parent / "docs" / "instructor-guide.md").read_text()
    limits = Limits()
    assert f"{limits.tmp_bytes >> 20} MiB and {TMP_INODES:,} files" in " ".join(guide.split())
    assert f"{limits.file_bytes >> 20} MiB limit on each file" in " ".join(guide.split())

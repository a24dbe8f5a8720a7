"""One submission, three routes: ``grade``, Gradescope's harness and PrairieLearn's.

The Gradescope autograder zip is built with ``refusal-lesson autograder``,
unpacked into a scratch folder laid out as Gradescope's ``/autograder``,
set up with its own ``setup.sh`` (a virtual environment and a pip install,
about a minute, once per session) and run with its own ``run_autograder``,
through the harness ``refusal-lesson autograder --try`` uses
(:mod:`refusal_lesson.grading.gradescope`).
The PrairieLearn question is built with ``refusal-lesson prairielearn`` and
its entry point run on a scratch folder laid out as ``/grade``.  The
scripts take their root from ``AUTOGRADER_ROOT`` and ``GRADE_ROOT``.
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from points import defined, full_marks
from timings import untimed

from refusal_lesson.commands import main
from refusal_lesson.grading import gradescope
from refusal_lesson.grading.definitions import graded_names
from refusal_lesson.grading.markdown import plain
from refusal_lesson.grading.prairielearn import SETTINGS

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct.py"
SEED = 5
# Two slips in one file: precision and recall swapped, and > for >=.
SLIPS = [
    ('"precision": round(float(precision), 4), "recall": round(float(recall), 4)',
     '"precision": round(float(recall), 4), "recall": round(float(precision), 4)'),
    ("refused = [score >= threshold for score in scores]", "refused = [score > threshold for score in scores]"),
]


def wrong_source():
    source = CORRECT.read_text()
    for old, new in SLIPS:
        assert old in source
        source = source.replace(old, new)
    return source


@pytest.fixture(scope="module")
def wrong(tmp_path_factory):
    path = tmp_path_factory.mktemp("wrong") / "exercises.py"
    path.write_text(wrong_source())
    return path


def graded_locally(path, tmp_path):
    results = tmp_path / "local-results.json"
    assert main(["grade", str(path), "--results", str(results), "--seed", str(SEED)]) == 0
    return json.loads(results.read_text())


@pytest.fixture(scope="session")
def gradescope_root(tmp_path_factory):
    """A scratch /autograder with the zip unpacked and set up by its own setup.sh, as the package's harness does."""
    if os.geteuid() != 0:
        pytest.skip("the Gradescope harness test runs setup.sh, which installs with apt and pip as root, as Gradescope does")
    # Not under pytest's own folder, which only root may enter: at uid each
    # submission runs as a user of its own, and needs the Python set up here.
    root = Path(tempfile.mkdtemp(prefix="gradescope-harness-"))
    archive = tmp_path_factory.mktemp("zip") / "autograder.zip"
    assert main(["autograder", str(archive), "--seed", str(SEED)]) == 0
    try:
        gradescope.unpack(archive, root)
        gradescope.set_up(root, gradescope.gradescope_level())
        yield root
    finally:
        shutil.rmtree(root)


def run_gradescope(root, source_text, name="exercises.py"):
    with tempfile.TemporaryDirectory() as upload:
        (Path(upload) / name).write_text(source_text)
        results, _ = gradescope.run(root, upload, gradescope.gradescope_level())
    # The hidden checks' seed is root's alone before any submission runs (submissions run as other users).
    assert (root / "source" / "hidden-seed").stat().st_mode & 0o077 == 0
    return results


def run_prairielearn(tmp_path, source_text):
    question = tmp_path / "question"
    assert main(["prairielearn", str(question), "--seed", str(SEED)]) == 0
    job = tmp_path / "grade"
    shutil.copytree(question / "tests", job / "tests")
    (job / "student").mkdir(parents=True)
    (job / "student" / "exercises.py").write_text(source_text)
    # The grading image's python3 has NumPy and scikit-learn; here, this venv's does.
    path = f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"
    entrypoint = json.loads((question / "info.json").read_text())["externalGradingOptions"]["entrypoint"]
    assert entrypoint == "/grade/tests/run.sh"
    done = subprocess.run(
        ["sh", str(job / "tests" / "run.sh")],
        env={**os.environ, "GRADE_ROOT": str(job), "PATH": path}, capture_output=True, text=True, timeout=300,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    # The settings hold the hidden checks' seed: no other user may read them.
    assert (job / SETTINGS).stat().st_mode & 0o077 == 0
    return json.loads((job / "results" / "results.json").read_text())


def test_the_wrong_submission_loses_points_for_its_slips(wrong, tmp_path):
    local = graded_locally(wrong, tmp_path)
    failed = {test["name"]: test for test in local["tests"] if test["status"] == "failed"}
    assert "refusal_metrics: refuses a score exactly on the threshold" in failed
    assert 0 < local["score"] < local["max_score"]
    assert all(test["output_format"] == "md" for test in local["tests"])
    assert any(test.get("tags") for test in failed.values())


def test_gradescope_harness_grades_as_grade_does(gradescope_root, wrong, tmp_path):
    """The same words and points; only the isolation differs: Gradescope's containers give uid."""
    local = graded_locally(wrong, tmp_path)
    remote = run_gradescope(gradescope_root, wrong.read_text())
    assert remote.pop("extra_data") == {"isolation": "uid"}
    local.pop("extra_data")
    assert untimed(remote) == untimed(local)
    assert remote["execution_time"] > 0
    assert all(test["visibility"] == "after_published" for test in remote["tests"] if "hidden" in test["name"])


def test_gradescope_harness_takes_a_renamed_file_and_gives_full_marks(gradescope_root):
    remote = run_gradescope(gradescope_root, CORRECT.read_text(), name="exercises (1).py")
    assert remote["score"] == full_marks(CORRECT) and remote["max_score"] == full_marks()
    # Every graded exercise, judge_agreement included, is graded on this route.
    assert {test["name"].split(": ")[0] for test in remote["tests"]} == set(graded_names())


def test_autograder_try_prints_what_the_student_sees(wrong, tmp_path, capsys):
    """One command builds the zip, sets it up and grades a submission as Gradescope would, at uid."""
    if os.geteuid() != 0:
        pytest.skip("trying the zip runs setup.sh, which installs with apt and pip as root, as Gradescope does")
    local = graded_locally(wrong, tmp_path)
    capsys.readouterr()
    # Another grader on the machine may have folders of its own there: only this run's must go.
    before = set(Path(tempfile.gettempdir()).glob("refusal-lesson-autograder-*"))
    archive = tmp_path / "autograder.zip"
    assert main(["autograder", str(archive), "--seed", str(SEED), "--try", str(wrong)]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert any(line.startswith("setup.sh took ") and line.endswith("(graded at uid).") for line in printed)
    shown = printed[printed.index("What the student sees before you publish the grades:") + 1:]
    visible = [test for test in local["tests"] if test["visibility"] == "visible"]
    hidden = [test for test in local["tests"] if test["visibility"] != "visible"]
    rows = [re.fullmatch(r" *-?[\d.]+/[\d.]+  (.+)", line) for line in shown]
    assert [row[1] for row in rows if row] == [test["name"] for test in visible]
    assert shown[-1] == (
        f"The total ({local['score']:g}/{local['max_score']:g}) and {len(hidden)} hidden checks "
        f"({sum(test['max_score'] for test in hidden):g} points) show once you publish the grades."
    )
    assert set(Path(tempfile.gettempdir()).glob("refusal-lesson-autograder-*")) <= before


def test_autograder_try_needs_a_submission_that_exists(tmp_path, capsys):
    archive = tmp_path / "autograder.zip"
    assert main(["autograder", str(archive), "--try", str(tmp_path / "nothing.py")]) == 2
    assert "does not exist" in capsys.readouterr().err and not archive.exists()


def test_prairielearn_harness_grades_as_grade_does(wrong, tmp_path):
    local = graded_locally(wrong, tmp_path)
    remote = run_prairielearn(tmp_path, wrong.read_text())
    assert remote["gradable"] is True
    assert remote["score"] == pytest.approx(local["score"] / local["max_score"])
    assert [(test["name"], test["points"], test["max_points"]) for test in remote["tests"]] == [
        (test["name"], test["score"], test["max_score"]) for test in local["tests"]
    ]
    for theirs, ours in zip(remote["tests"], local["tests"]):
        # A passed check has no feedback: an empty message and output.
        assert [line for line in (theirs["message"], *theirs["output"].split("\n")) if line] == plain(ours["output"])


def test_prairielearn_harness_gives_full_marks_to_a_right_submission(tmp_path):
    remote = run_prairielearn(tmp_path, CORRECT.read_text())
    assert remote["score"] == pytest.approx(full_marks(CORRECT) / full_marks())
    written = defined(CORRECT)
    assert all(test["points"] == test["max_points"] for test in remote["tests"] if test["name"].split(":")[0] in written)
    assert {test["name"].split(": ")[0] for test in remote["tests"]} == set(graded_names())


def test_a_file_that_does_not_import_is_not_gradable_on_prairielearn(tmp_path):
    remote = run_prairielearn(tmp_path, CORRECT.read_text().replace("def best_threshold(", "def best_threshold(("))
    # Not gradable costs the student no attempt; a score of 0 would.
    assert remote["gradable"] is False and "score" not in remote
    [reason] = remote["format_errors"]
    assert reason.startswith("Your file could not be imported: `SyntaxError: ") and "\n" not in reason


def test_the_prairielearn_question_has_the_stub_to_edit_and_no_solutions(tmp_path):
    question = tmp_path / "question"
    assert main(["prairielearn", str(question)]) == 0
    html = (question / "question.html").read_text()
    assert 'file-name="exercises.py"' in html and "<pl-external-grader-results>" in html
    stub = (question / "exercises.py").read_text()
    assert stub == (Path(__file__).resolve().parent.parent / "refusal_lesson" / "exercises.py").read_text()
    names = [path.relative_to(question).as_posix() for path in question.rglob("*") if path.is_file()]
    assert "tests/refusal_lesson/grading/hidden.py" in names
    assert not any("solutions" in name.split("/") for name in names)
    assert os.access(question / "tests" / "run.sh", os.X_OK)
    assert main(["prairielearn", str(question)]) == 2


def test_a_broken_prairielearn_job_is_not_gradable_and_says_why(tmp_path):
    from refusal_lesson.grading.prairielearn import main as entry_point

    (tmp_path / "student").mkdir()
    assert entry_point([str(tmp_path)]) == 1
    results = json.loads((tmp_path / "results" / "results.json").read_text())
    assert results["gradable"] is False
    [reason] = results["format_errors"]
    # The error, which may name what the student uploaded, is quoted as code.
    assert reason.startswith("The grader could not run (`FileNotFoundError: ") and "grading.json" in reason
    assert reason.endswith("`); tell your instructor.")

"""The grade, autograder and release commands, as instructors use them."""

import csv
import io
import json
import shutil
import signal
import stat
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from points import defined, fraction, full_marks

from refusal_lesson.commands import main
from refusal_lesson.grading.batch import grade_batch
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.definitions import graded_names, public_checks
from refusal_lesson.grading.sandbox import Limits, Sandbox
from refusal_lesson.grading.submission import SubmissionError, exercise_file

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct.py"
STUBS = Path(__file__).resolve().parent.parent / "refusal_lesson" / "exercises.py"


def zipped(tmp_path, members):
    archive = tmp_path / "submission.zip"
    with zipfile.ZipFile(archive, "w") as bundle:
        for name, text in members.items():
            bundle.writestr(name, text)
    return archive


def test_grade_a_zip_from_the_command_line(tmp_path):
    archive = zipped(tmp_path, {"work/refusal_lesson/exercises.py": CORRECT.read_text()})
    results = tmp_path / "out" / "results.json"
    done = subprocess.run(
        [sys.executable, "-m", "refusal_lesson", "grade", str(archive), "--results", str(results), "--public-only"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 0, done.stderr
    score, max_score = full_marks(CORRECT, public_only=True), full_marks(public_only=True)
    assert f"{fraction(score, max_score)}  total" in done.stdout.splitlines()
    content = json.loads(results.read_text())
    assert content["score"] == score and content["max_score"] == max_score
    # make check runs this command: every graded exercise, judge_agreement included, is in it.
    assert {test["name"].split(": ")[0] for test in content["tests"]} == set(graded_names())


def test_grading_the_stubs_exits_zero_with_zero_marks(tmp_path, capsys):
    results = tmp_path / "results.json"
    assert main(["grade", str(STUBS), "--results", str(results), "--public-only"]) == 0
    assert "not attempted yet" in capsys.readouterr().out
    assert json.loads(results.read_text())["score"] == 0


@pytest.mark.parametrize(
    "argv, message",
    [
        (["grade", "a.py", "b.py"], "pass --out DIR to grade several at once"),
        (["grade", "a.py", "--delegation-penalty", "2"], "give a share between 0 and 1"),
        (["grade", "a.py", "--out", "d", "--results", "r.json"], "argument --results: not allowed with argument --out"),
        (["grade"], "the following arguments are required: SUBMISSION; see refusal-lesson grade --help."),
        (["grade", "a.py", "--timeout", "0"], "give a positive number of seconds"),
        (["autograder", "grader.tar"], "does not end in .zip"),
        (["autograder", "grader.zip", "--timeout", "-1"], "give a positive number of seconds"),
        (["autograder", "grader.zip", "--delegation-penalty", "-0.5"], "give a share between 0 and 1"),
    ],
)
def test_usage_errors_are_one_sentence(capsys, argv, message):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1


def test_a_missing_submission_is_graded_zero_with_the_reason(capsys):
    assert main(["grade", "no-such-file.py", "--public-only"]) == 0
    assert "`no-such-file.py` does not exist; check the path." in capsys.readouterr().out


def test_finding_the_exercise_file(tmp_path):
    folder = tmp_path / "alice" / "refusal_lesson"
    folder.mkdir(parents=True)
    (folder / "exercises.py").write_text("")
    (tmp_path / "alice" / "exercises.py").write_text("")
    assert exercise_file(tmp_path / "alice", tmp_path) == folder / "exercises.py"
    archive = zipped(tmp_path, {"../../evil/exercises.py": "x", "bob/exercises.py": "print(1)"})
    assert exercise_file(archive, tmp_path).read_text() == "print(1)"
    with pytest.raises(SubmissionError, match="holds no exercises.py"):
        exercise_file(zipped(tmp_path, {"notes.txt": ""}), tmp_path)
    notes = tmp_path / "notes.txt"
    notes.write_text("")
    with pytest.raises(SubmissionError, match="not a .py file"):
        exercise_file(notes, tmp_path)


def test_a_batch_writes_as_it_goes_and_skips_what_is_done(tmp_path):
    paths = [tmp_path / "alice.py", tmp_path / "bob.py"]
    shutil.copy(CORRECT, paths[0])
    shutil.copy(STUBS, paths[1])
    checks, _ = grading_checks(public_only=True)
    out = tmp_path / "out"
    progress = io.StringIO()
    score, max_score = full_marks(CORRECT, public_only=True), full_marks(public_only=True)
    with Sandbox() as sandbox:
        results = grade_batch(paths, out, checks, sandbox, stream=progress)
        assert {name: content["score"] for name, content in results.items()} == {"alice": score, "bob": 0}
        assert sorted(line.split(" ", 1)[1] for line in progress.getvalue().splitlines()) == [
            f"alice: {fraction(score, max_score)}",
            f"bob: {fraction(0, max_score)}",
        ]
        (out / "bob" / "results.json").unlink()
        again = io.StringIO()
        grade_batch(paths, out, checks, sandbox, stream=again)
        assert again.getvalue() == f"1/1 bob: {fraction(0, max_score)}\n"
        forced = io.StringIO()
        grade_batch(paths, out, checks, sandbox, force=True, stream=forced)
        assert len(forced.getvalue().splitlines()) == 2
    assert (out / "summary.csv").read_text().splitlines()[1].startswith(f"alice,{float(score)},{float(max_score)},")


def test_two_submissions_with_one_name_get_folders_of_their_own(tmp_path):
    """Issue 20: they once stopped the batch; now each keeps its result, and a rerun finds both again."""
    for folder in ("a", "b"):
        (tmp_path / folder).mkdir()
    shutil.copy(CORRECT, tmp_path / "a" / "alice.py")
    (tmp_path / "b" / "alice.py").write_text("")
    paths = [tmp_path / "a" / "alice.py", tmp_path / "b" / "alice.py"]
    checks, _ = grading_checks(public_only=True)
    with Sandbox(isolation="none") as sandbox:
        first = grade_batch(paths, tmp_path / "out", checks, sandbox, stream=io.StringIO())
        rerun = io.StringIO()
        again = grade_batch(paths[::-1], tmp_path / "out", checks, sandbox, stream=rerun)
    assert len(first) == 2 and all(name.startswith("alice-") for name in first)
    assert sorted(content["score"] for content in first.values()) == [0.0, full_marks(CORRECT, public_only=True)]
    assert again == first and rerun.getvalue() == ""


def test_the_autograder_zip_holds_no_solutions(tmp_path, capsys):
    target = tmp_path / "autograder.zip"
    assert main(["autograder", str(target), "--seed", "11"]) == 0
    with zipfile.ZipFile(target) as bundle:
        names = bundle.namelist()
        setup = bundle.read("setup.sh").decode()
        run = bundle.read("run_autograder").decode()
        bundle_seed = bundle.read("hidden-seed")
        modes = {info.filename: info.external_attr >> 16 for info in bundle.infolist()}
    assert not any(name.startswith("solutions/") or "solutions" in Path(name).parts for name in names)
    assert "refusal_lesson/grading/hidden.py" in names and "pyproject.toml" in names
    installs = [line for line in setup.splitlines() if "venv/bin/pip" in line]
    assert installs == ['"$ROOT/venv/bin/pip" install --quiet --no-cache-dir "$ROOT/source"']
    assert '--results "$ROOT/results/results.json" --force --seed-file "$ROOT/source/hidden-seed"' in run
    # The seed is in a file only its owner may read, never on run_autograder's command line.
    assert "11" not in run and bundle_seed == b"11\n" and modes["hidden-seed"] & 0o077 == 0
    assert "--hidden-visibility after_published" in run
    assert modes["run_autograder"] & stat.S_IXUSR and modes["setup.sh"] & stat.S_IXUSR
    assert main(["autograder", str(target)]) == 2
    assert "pass --force" in capsys.readouterr().err


def test_the_release_bundle_has_no_solutions_or_hidden_checks(tmp_path, capsys):
    target = tmp_path / "bundle"
    assert main(["release", str(target)]) == 0
    files = {path.relative_to(target).as_posix() for path in target.rglob("*") if path.is_file()}
    assert "refusal_lesson/exercises.py" in files and "refusal_lesson/grading/cases.py" in files
    assert "refusal_lesson/grading/hidden.py" not in files
    assert not any(name.startswith(("solutions/", "tests/")) for name in files)
    assert (target / "refusal_lesson" / "exercises.py").read_text() == STUBS.read_text()


def test_release_refuses_a_non_empty_folder(tmp_path, capsys):
    (tmp_path / "mine.txt").write_text("keep me")
    assert main(["release", str(tmp_path)]) == 2
    assert "is not an empty folder" in capsys.readouterr().err
    assert [path.name for path in tmp_path.iterdir()] == ["mine.txt"]


def test_ctrl_c_keeps_what_was_graded(tmp_path):
    folder = tmp_path / "class"
    folder.mkdir()
    for index in range(40):
        shutil.copy(CORRECT, folder / f"student{index:02d}.py")
    out = tmp_path / "out"
    command = [sys.executable, "-m", "refusal_lesson", "grade", *sorted(map(str, folder.glob("*.py"))), "--out", str(out)]
    # The grader's own bound on one submission grows with the checks' calls;
    # a minute for start-up and a loaded machine comes on top.
    checks, _ = grading_checks()
    patience = 60 + Limits().total_seconds(sum(len(check.cases) for check in checks))
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.monotonic() + patience
    while len(list(out.glob("*/results.json"))) < 2 and time.monotonic() < deadline:
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    # Ctrl-C lets the submissions being graded finish.
    _, err = process.communicate(timeout=patience)
    assert process.returncode == 130
    assert "run the same command again to grade the rest" in err
    graded = sorted(path.parent.name for path in out.glob("*/results.json"))
    assert 2 <= len(graded) < 40
    with open(out / "summary.csv", newline="") as stream:
        assert sorted(row["submission"] for row in csv.DictReader(stream)) == graded


def test_the_delegation_penalty_is_the_instructors_setting(tmp_path):
    results = tmp_path / "results.json"
    delegates = SUBMISSIONS / "delegates.py"
    assert main(["grade", str(delegates), "--results", str(results), "--public-only", "--delegation-penalty", "0.5"]) == 0
    content = json.loads(results.read_text())
    notes = {test["name"]: test for test in content["tests"] if test["max_score"] == 0}
    # Both exercises delegate and pass every check: half of each one's points go.
    points = {name: sum(check.points for check in public_checks(name)) for name in defined(delegates)}
    assert sorted(test["score"] for test in notes.values()) == sorted(-0.5 * value for value in points.values())
    assert content["score"] == full_marks(delegates, public_only=True) - 0.5 * sum(points.values())

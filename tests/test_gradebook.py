"""grade --out --roster: a gradebook keyed by student that a spreadsheet imports as written."""

import csv
import shutil
from pathlib import Path

import pandas as pd
import pytest
from points import full_marks

from refusal_lesson.commands import main
from refusal_lesson.grading.batch import plan
from refusal_lesson.grading.roster import read_roster

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct.py"
STUBS = Path(__file__).resolve().parent.parent / "refusal_lesson" / "exercises.py"
# ann and the stranger hand in the known-correct submission.
SCORE, MAX_SCORE = full_marks(CORRECT, public_only=True), full_marks(public_only=True)


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    """Three submissions, a roster of three students: one without a submission, one submission not on it."""
    tmp_path = tmp_path_factory.mktemp("gradebook")
    folder = tmp_path / "class"
    folder.mkdir()
    shutil.copy(CORRECT, folder / "ann.py")
    shutil.copy(STUBS, folder / "bob.py")
    shutil.copy(CORRECT, folder / "stranger.py")
    roster = pd.DataFrame(
        {
            "Student_ID": ["s001", "=HYPERLINK(\"http://evil\")", "s003"],
            "Email": ["ann@uni.edu", "bob@uni.edu", "+cat@uni.edu"],
            "Submission": ["ann.py", "bob", "cat"],
        }
    )
    roster.to_csv(tmp_path / "roster.csv", index=False, encoding="utf-8-sig")
    out = tmp_path / "out"
    argv = ["grade", *map(str, sorted(folder.iterdir())), "--out", str(out), "--roster", str(tmp_path / "roster.csv")]
    assert main([*argv, "--public-only"]) == 0
    return out


def test_the_gradebook_has_one_row_per_roster_student(graded):
    """Cat handed nothing in: a blank, not a 0 (bob's stub earned its 0)."""
    book = pd.read_csv(graded / "gradebook.csv", dtype={"student_id": str, "email": str})
    assert list(book.columns) == ["student_id", "email", "score", "max_score"]
    expected = pd.DataFrame(
        {
            "student_id": ["'=HYPERLINK(\"http://evil\")", "s001", "s003"],
            "email": ["bob@uni.edu", "ann@uni.edu", "'+cat@uni.edu"],
            "score": [0.0, float(SCORE), float("nan")],
            "max_score": [float(MAX_SCORE)] * 3,
        }
    )
    pd.testing.assert_frame_equal(book.sort_values("student_id").reset_index(drop=True), expected)


def test_submissions_missing_from_the_roster_are_listed_apart(graded):
    unmatched = pd.read_csv(graded / "unmatched.csv")
    assert unmatched.to_dict("records") == [{"submission": "stranger", "score": SCORE, "max_score": MAX_SCORE}]


def test_the_gradebook_round_trips_through_a_roster_import(graded):
    """Scores read back from gradebook.csv land on the same students as a gradebook import would put them."""
    book = pd.read_csv(graded / "gradebook.csv", dtype=str)
    summary = pd.read_csv(graded / "summary.csv", dtype={"submission": str})
    roster = read_roster(graded.parent / "roster.csv")
    by_student = dict(zip(book["student_id"].str.lstrip("'"), book["score"].fillna("").astype(str)))
    for student in roster:
        scored = summary.loc[summary["submission"] == student.submission.removesuffix(".py"), "score"]
        assert by_student[student.student_id] == (str(float(scored.iloc[0])) if len(scored) else "")


@pytest.mark.parametrize(
    "text, message",
    [
        ("name,email\nann,a@x\n", "has no submission, student_id column"),
        ("submission,student_id,email\nann,s1,a@x\nann,s2,b@x\n", "names submission 'ann' twice (row 3)"),
        ("submission,student_id,email\nann,s1,a@x\nbob,s1,b@x\n", "names student 's1' twice (row 3)"),
        ("submission,student_id,email\nann,,a@x\n", "row 2 of the roster"),
    ],
)
def test_a_bad_roster_is_refused_before_grading(tmp_path, capsys, text, message):
    roster = tmp_path / "roster.csv"
    roster.write_text(text)
    out = tmp_path / "out"
    assert main(["grade", str(CORRECT), "--out", str(out), "--roster", str(roster)]) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.strip().splitlines()) == 1
    assert not out.exists()


def test_a_roster_needs_out(capsys):
    assert main(["grade", str(CORRECT), "--roster", "roster.csv"]) == 2
    assert "--roster goes with --out DIR" in capsys.readouterr().err


# What a class downloaded from an LMS looks like: a browser's renamed copy,
# two names that clean alike, a notebook handed in by mistake, Moodle's folder
# per student, Canvas's renamed file.  Each upload's score is known by hand:
# correct.py earns every public point, the stubs none.
UPLOADS = {
    "Bob Smith (1).py": CORRECT,
    "bob smith.py": CORRECT,
    "bob_smith.py": STUBS,
    "dan.ipynb": CORRECT,
    "Eve Li_7_assignsubmission_file_/lab.py": CORRECT,
    "leefay_LATE_4021_990134_exercises-1.py": CORRECT,
}
# roster cell -> (student_id, email, the score by hand; None: nothing handed in)
ROSTER = {
    "Bob Smith (1).py": ("101", "bob1@uni.edu", SCORE),
    "bob smith.py": ("102", "bob2@uni.edu", SCORE),
    "bob_smith": ("103", "bob3@uni.edu", 0),
    "dan.ipynb": ("104", "dan@uni.edu", 0),  # not a .py: graded, and told so
    "Eve Li_7_assignsubmission_file_": ("105", "eve@uni.edu", SCORE),
    "leefay_4021": ("4021", "fay@uni.edu", SCORE),
    "zed.py": ("107", "zed@uni.edu", None),
}


@pytest.fixture(scope="module")
def downloaded(tmp_path_factory):
    """The class above graded once; each gradebook format is then written by a resumed run."""
    tmp_path = tmp_path_factory.mktemp("downloaded")
    folder = tmp_path / "class"
    for name, source in UPLOADS.items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(source, folder / name)
    roster = tmp_path / "roster.csv"
    pd.DataFrame(
        {"submission": list(ROSTER), "student_id": [row[0] for row in ROSTER.values()],
         "email": [row[1] for row in ROSTER.values()], "name": [f"Student {row[0]}" for row in ROSTER.values()],
         "section": "S1"}
    ).to_csv(roster, index=False)
    paths = [str(folder / name.split("/")[0]) for name in UPLOADS]
    out = tmp_path / "out"
    assert main(["grade", *paths, "--out", str(out), "--public-only", "--roster", str(roster)]) == 0
    return paths, out, roster


def gradebook(downloaded, *options):
    paths, out, roster = downloaded
    assert main(["grade", *paths, "--out", str(out), "--public-only", "--roster", str(roster), *options]) == 0
    return out


def by_hand(missing=""):
    return {student_id: (missing if score is None else float(score)) for student_id, _, score in ROSTER.values()}


def test_every_upload_gets_a_folder_of_its_own(downloaded):
    _, out, _ = downloaded
    summary = pd.read_csv(out / "summary.csv")
    assert len(summary) == len(UPLOADS)
    assert sorted(summary["score"]) == sorted(float(score) for _, _, score in ROSTER.values() if score is not None)
    assert "dan" in set(summary["submission"])


def test_colliding_names_get_distinct_folders_that_a_rerun_finds_again(downloaded):
    paths, out, _ = downloaded
    first = plan(paths)
    assert first == plan(list(reversed(paths))) == plan(paths + paths[:2])
    colliding = sorted(name for name in first if name.startswith("bob_smith-"))
    assert len(colliding) == 2 and colliding[0] != colliding[1]
    assert all((out / name / "results.json").is_file() for name in first)


def test_the_plain_gradebook_finds_every_student_by_any_upload_name(downloaded):
    book = pd.read_csv(gradebook(downloaded) / "gradebook.csv", dtype=str, keep_default_na=False)
    assert dict(zip(book["student_id"], book["score"].map(lambda cell: float(cell) if cell else ""))) == by_hand()
    assert pd.read_csv(downloaded[1] / "unmatched.csv").empty


def test_a_student_without_a_submission_gets_0_when_asked(downloaded):
    book = pd.read_csv(gradebook(downloaded, "--missing-score", "0") / "gradebook.csv", dtype=str)
    assert dict(zip(book["student_id"], book["score"].astype(float))) == by_hand(missing=0.0)


def test_the_canvas_gradebook_has_canvas_import_layout(downloaded):
    """Canvas's importer: Student and ID first, SIS User ID and SIS Login ID, Section last, then the assignment."""
    out = gradebook(downloaded, "--gradebook-format", "canvas", "--assignment", "Lab 3 (88)")
    with open(out / "gradebook-canvas.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "Lab 3 (88)"]
    assert [row[1] for row in rows[1:]] == [row[0] for row in ROSTER.values()]
    assert {row[1]: (float(row[5]) if row[5] else "") for row in rows[1:]} == by_hand()
    assert all(row[0] == f"Student {row[1]}" and row[4] == "S1" for row in rows[1:])


def test_the_moodle_gradebook_maps_itself_in_moodles_import(downloaded):
    """Moodle's import preselects the "Email address" column and a "<grade item> (Real)" column."""
    out = gradebook(downloaded, "--gradebook-format", "moodle", "--assignment", "Lab 3")
    with open(out / "gradebook-moodle.csv", newline="", encoding="utf-8") as stream:
        rows = list(csv.reader(stream))
    assert rows[0] == ["Email address", "Assignment: Lab 3 (Real)"]
    emails = {email: student_id for student_id, email, _ in ROSTER.values()}
    assert {emails[row[0]]: (float(row[1]) if row[1] else "") for row in rows[1:]} == by_hand()


def test_moodle_needs_every_email(tmp_path, capsys):
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,student_id,email\nann.py,s1,\n")
    argv = ["grade", str(CORRECT), "--out", str(tmp_path / "out"), "--roster", str(roster), "--gradebook-format", "moodle"]
    assert main(argv) == 2
    assert "row 2 of the roster" in capsys.readouterr().err and not (tmp_path / "out").exists()


@pytest.mark.parametrize("option", [["--gradebook-format", "canvas"], ["--assignment", "x"], ["--missing-score", "0"]])
def test_gradebook_options_need_a_roster(tmp_path, capsys, option):
    assert main(["grade", str(CORRECT), "--out", str(tmp_path / "out"), *option]) == 2
    assert "needs --roster CSV" in capsys.readouterr().err


def test_two_rows_naming_one_upload_are_refused_before_grading(tmp_path, capsys):
    shutil.copy(CORRECT, tmp_path / "ann.py")
    roster = tmp_path / "roster.csv"
    roster.write_text("submission,student_id,email\nann.py,s1,a@x\nann,s2,b@x\n")
    assert main(["grade", str(tmp_path / "ann.py"), "--out", str(tmp_path / "out"), "--roster", str(roster)]) == 2
    err = capsys.readouterr().err
    assert "'ann.py' and 'ann' both name the upload graded into ann" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()

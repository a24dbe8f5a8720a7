"""grade --out --roster: a gradebook keyed by student that a spreadsheet imports as written."""

import shutil
from pathlib import Path

import pandas as pd
import pytest
from points import full_marks

from refusal_lesson.commands import main
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
    book = pd.read_csv(graded / "gradebook.csv", dtype={"student_id": str, "email": str})
    assert list(book.columns) == ["student_id", "email", "score", "max_score"]
    expected = pd.DataFrame(
        {
            "student_id": ["'=HYPERLINK(\"http://evil\")", "s001", "s003"],
            "email": ["bob@uni.edu", "ann@uni.edu", "'+cat@uni.edu"],
            "score": [0.0, float(SCORE), 0.0],
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
    by_student = dict(zip(book["student_id"].str.lstrip("'"), book["score"].astype(float)))
    for submission, (student, _) in roster.items():
        scored = summary.loc[summary["submission"] == submission, "score"]
        assert by_student[student] == (float(scored.iloc[0]) if len(scored) else 0.0)


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

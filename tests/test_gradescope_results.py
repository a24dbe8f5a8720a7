"""What Gradescope shows: Markdown no answer can restyle, timings, tags, visibility, and the file it picks."""

import html
import json
import re
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refusal_lesson.commands import main
from refusal_lesson.grading.markdown import code, plain, render
from refusal_lesson.grading.submission import SubmissionError, exercise_file

mistune = pytest.importorskip("mistune")

SUBMISSIONS = Path(__file__).parent / "submissions"
CORRECT = SUBMISSIONS / "correct.py"
# Printable text a student's answer or exception message might hold, Markdown's own marks included.
TEXT = st.text(alphabet=st.characters(min_codepoint=32, max_codepoint=0x2FF, blacklist_categories=("Cc", "Cs")), max_size=60)
TAG = re.compile(r"<(/?)([a-z0-9]+)")


@given(summary=TEXT, got=TEXT, hint=TEXT.filter(lambda text: "`" not in text))
def test_no_student_text_escapes_its_place_in_the_markdown(summary, got, hint):
    # The student's text in prose is quoted as code (markdown.code); the hint is the grader's.
    lines = [f"check: {code(summary)}", "input:    f([1])", f"got:      {got}", f"hint:     {hint}"]
    rendered = mistune.html(render(lines))
    # Only paragraphs and one code block: no link, image, emphasis, heading or raw HTML.
    assert {name for _, name in TAG.findall(rendered)} <= {"p", "pre", "code"}
    assert rendered.count("<pre>") == 1
    block = html.unescape(rendered.split("<pre><code>")[1].split("</code></pre>")[0])
    assert block == f"input:    f([1])\ngot:      {got}\n"
    paragraphs = [html.unescape(text) for text in re.findall(r"<p>(.*?)</p>", rendered, re.S)]
    # CommonMark trims only its own whitespace (spaces, tabs, line breaks) from a
    # paragraph, not Unicode spaces such as U+00A0.
    said = f"check: <code>{summary}</code>" if summary else "check:"
    assert paragraphs == [said, lines[3].strip(" \t\n\r\f\v")]


@given(st.lists(TEXT.filter(str.strip), max_size=6), st.lists(TEXT, max_size=3))
def test_plain_undoes_render(prose, values):
    lines = prose + [f"got: {value}" for value in values]
    assert plain(render(lines)) == lines


def test_results_carry_timings_tags_and_the_chosen_visibility(tmp_path):
    wrong = tmp_path / "exercises.py"
    wrong.write_text(CORRECT.read_text().replace("score >= threshold", "score > threshold"))
    results = tmp_path / "results.json"
    assert main(["grade", str(wrong), "--results", str(results), "--hidden-visibility", "after_due_date"]) == 0
    content = json.loads(results.read_text())
    assert content["output_format"] == content["test_output_format"] == "md"
    assert content["execution_time"] > 0 and all(test["execution_time"] >= 0 for test in content["tests"])
    assert {test["visibility"] for test in content["tests"] if ": hidden" in test["name"]} == {"after_due_date"}
    assert {test["visibility"] for test in content["tests"] if ": hidden" not in test["name"]} == {"visible"}
    strict = [test for test in content["tests"] if test["name"] == "refusal_metrics: refuses a score exactly on the threshold"]
    assert strict[0]["tags"] == ["strict"]
    assert "tags" not in [test for test in content["tests"] if test["status"] == "passed"][0]


def test_an_unknown_visibility_is_refused(capsys):
    assert main(["grade", "a.py", "--hidden-visibility", "visible"]) == 2
    assert "invalid choice" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["exercises (1).py", "my_exercises.py", "EXERCISES.PY"])
def test_a_lone_python_file_is_the_exercise_file(tmp_path, name):
    (tmp_path / name).write_text("x = 1")
    (tmp_path / ".DS_Store").write_text("")
    assert exercise_file(tmp_path, tmp_path / "scratch") == tmp_path / name


def test_a_lone_zip_in_the_folder_is_opened(tmp_path):
    with zipfile.ZipFile(tmp_path / "work.zip", "w") as bundle:
        bundle.writestr("__MACOSX/._mine.py", "junk")
        bundle.writestr("project/mine.py", "print(2)")
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    assert exercise_file(tmp_path, scratch).read_text() == "print(2)"


def test_exercises_py_wins_over_other_files(tmp_path):
    (tmp_path / "helpers.py").write_text("")
    (tmp_path / "exercises.py").write_text("")
    assert exercise_file(tmp_path, tmp_path).name == "exercises.py"


def test_two_candidates_are_named_in_one_sentence(tmp_path):
    (tmp_path / "a.py").write_text("")
    (tmp_path / "b.zip").write_text("")
    with pytest.raises(SubmissionError, match=r"holds no exercises.py but 2 other files that could be it \(`a.py`, `b.zip`\)"):
        exercise_file(tmp_path, tmp_path)


def test_an_unusable_submission_gives_its_reason_once(tmp_path, capsys):
    folder = tmp_path / "submission"
    folder.mkdir()
    for name in ("a.py", "b.py"):
        (folder / name).write_text("")
    results = tmp_path / "results.json"
    assert main(["grade", str(folder), "--results", str(results), "--public-only"]) == 0
    content = json.loads(results.read_text())
    assert plain(content["output"]) == [
        f"`{folder}` holds no exercises.py but 2 other files that could be it (`a.py`, `b.py`); submit only refusal_lesson/exercises.py."
    ]
    assert all(plain(test["output"]) == ["not graded: see the overall feedback"] for test in content["tests"])
    assert capsys.readouterr().out.count("could be it") == 1

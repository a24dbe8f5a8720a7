"""One command-line convention across every ``refusal-lesson`` command."""

import argparse

import pytest
from project import project

import refusal_lesson
from refusal_lesson.commands import COMMANDS, available_commands, build_parser, main

# The commands that write a file the user names, which --force lets them replace.
WRITERS = ("evaluate", "grade", "autograder", "handin")


def subparsers():
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    return action.choices


def test_version_is_the_package_version(capsys):
    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"refusal-lesson {project()['version']}\n"
    assert refusal_lesson.__version__ == project()["version"]


def test_every_command_is_offered_here():
    assert available_commands() == list(COMMANDS)
    assert list(subparsers()) == list(COMMANDS)


@pytest.mark.parametrize("name", COMMANDS)
def test_force_is_the_one_way_to_replace_a_file(name):
    options = {option for action in subparsers()[name]._actions for option in action.option_strings}
    assert "--overwrite" not in options
    assert ("--force" in options) == (name in WRITERS)


def test_grade_keeps_an_existing_results_file_without_force(tmp_path, capsys):
    results = tmp_path / "results.json"
    results.write_text("mine")
    assert main(["grade", "a.py", "--results", str(results)]) == 2
    assert "pass --force to replace it" in capsys.readouterr().err
    assert results.read_text() == "mine"


def test_handin_keeps_an_existing_zip_without_force(tmp_path, capsys):
    (tmp_path / "refusal_lesson").mkdir()
    (tmp_path / "refusal_lesson" / "exercises.py").write_text("x = 1\n")
    (tmp_path / "answers.md").write_text("# Answers\n")
    handed_in = tmp_path / "handin.zip"
    handed_in.write_text("mine")
    assert main(["handin", "--lesson", str(tmp_path)]) == 2
    assert "pass --force to replace it" in capsys.readouterr().err
    assert handed_in.read_text() == "mine"
    assert main(["handin", "--lesson", str(tmp_path), "--force"]) == 0
    assert str(handed_in.resolve()) in capsys.readouterr().out
    assert handed_in.read_bytes().startswith(b"PK")


def test_handin_names_a_missing_file_and_writes_nothing(tmp_path, capsys):
    (tmp_path / "answers.md").write_text("# Answers\n")
    assert main(["handin", "--lesson", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "refusal_lesson/exercises.py is missing" in err and "--lesson" in err
    assert not (tmp_path / "handin.zip").exists()


@pytest.mark.parametrize(
    "argv",
    [
        ["grade", "a.py", "--nosuch"],
        ["evaluate", "a.csv"],
        ["autograder"],
        ["nosuch"],
    ],
)
def test_a_misused_option_is_one_line_that_points_at_help(capsys, argv):
    assert main(argv) == 2
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.endswith("--help.") and "error:" in err

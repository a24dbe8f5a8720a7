"""One command-line convention across every ``refusal-lesson`` command."""

import pytest
from project import project

import refusal_lesson
from refusal_lesson.cli import main


def test_version_is_the_package_version(capsys):
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out == f"refusal-lesson {project()['version']}\n"
    assert refusal_lesson.__version__ == project()["version"]

"""The set-up files agree: pyproject.toml, environment.yml, the README and CI."""

import re
import subprocess
import sys
from pathlib import Path

import pytest
from project import ROOT, project



def requirement_names(requirements):
    """``{name: requirement}``, with any environment marker (``; python_version ...``) dropped."""
    return {
        re.split(r"[<>=!~ :\[]", item, maxsplit=1)[0].lower(): item.split(";")[0].strip()
        for item in requirements
    }


def pyproject_requirements(*extras):
    """The core dependencies and those of the named extras, ``{name: spec}``."""
    metadata = project()
    items = metadata["dependencies"] + [item for extra in extras for item in metadata["optional-dependencies"][extra]]
    return {name: spec.replace(" ", "") for name, spec in requirement_names(items).items()}


# conda-forge names a few packages differently from PyPI: its "playwright" is
# the Node.js tool, and the Python library is "playwright-python".
CONDA_TO_PYPI = {"playwright-python": "playwright"}
# What the notebooks need: the students' environment. Everything else in
# pyproject.toml is the instructor's, through the dev extra.
STUDENT_EXTRAS = ("lab",)


def conda_requirements():
    lines = (ROOT / "environment.yml").read_text(encoding="utf-8").splitlines()
    start = lines.index("dependencies:") + 1
    items = [line.strip()[2:] for line in lines[start:] if re.match(r"^  - [A-Za-z]", line)]
    return {name: spec for name, spec in requirement_names(items).items() if name not in ("python", "pip")}


def environment_requirements():
    """environment.yml's requirements, under their PyPI names."""
    return {
        CONDA_TO_PYPI.get(name, name): CONDA_TO_PYPI.get(name, name) + spec[len(name) :]
        for name, spec in conda_requirements().items()
    }


def test_environment_yml_uses_conda_forge_names():
    assert not set(CONDA_TO_PYPI.values()) & set(conda_requirements())


def test_environment_yml_carries_what_the_notebooks_need_and_nothing_more():
    assert environment_requirements() == pyproject_requirements(*STUDENT_EXTRAS)


def test_the_dev_extra_gives_instructors_every_other_tool():
    metadata = project()
    extras = set(metadata["optional-dependencies"]) - {"dev"}
    assert set(STUDENT_EXTRAS) < extras
    dev = {item.split("[", 1)[1].rstrip("]") for item in metadata["optional-dependencies"]["dev"]}
    assert {extra for group in dev for extra in group.split(",")} == extras
    tools = set(pyproject_requirements(*extras)) - set(environment_requirements())
    assert {"pytest", "nbval", "playwright", "ruff", "vulture", "jupytext"} <= tools


def test_environment_yml_python_matches_requires_python():
    assert f"  - python{project()['requires-python']}" in (ROOT / "environment.yml").read_text(encoding="utf-8")


def readme_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    return [line.split("#")[0].strip() for line in block.splitlines() if line.strip()]


def test_readme_starts_with_the_two_commands():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert text.index("```bash") < text.index("\n\n", text.index("```bash"))
    assert readme_commands() == ["make lab", "make test"]


def test_ci_runs_the_readme_test_command():
    script = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    commands = [line.strip() for line in script.splitlines() if line.strip() and not line.startswith("#")]
    assert commands[-1] == readme_commands()[1]


def test_lab_command_opens_the_first_notebook():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    first = re.search(r"^FIRST_NOTEBOOK := (\S+)$", makefile, re.M).group(1)
    notebooks = sorted(p.relative_to(ROOT).as_posix() for p in (ROOT / "notebooks").glob("*.ipynb"))
    if not notebooks:
        pytest.skip("no notebooks yet")
    assert first == notebooks[0]


@pytest.mark.parametrize("command", [[sys.executable, "-m", "refusal_lesson"], [str(Path(sys.executable).parent / "refusal-lesson")]])
def test_command_line_entry_points(command):
    result = subprocess.run([*command, "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "usage: refusal-lesson" in result.stdout

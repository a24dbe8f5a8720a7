"""The student bundle stands on its own: its README, its Makefile and its grader.

``refusal-lesson release`` writes the bundle once into a temporary folder;
every test here reads that copy, never the repository, so a file the bundle
lacks cannot pass unnoticed.  Nothing is installed: ``make`` runs dry.
"""

import ast
import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from refusal_lesson.commands import main
from refusal_lesson.grading.definitions import definitions, graded_names, public_checks

ROOT = Path(__file__).resolve().parent.parent
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.M | re.S)
LINK = re.compile(r"\]\(([^)\s]+)\)")
INLINE_PATH = re.compile(r"(?<!`)`([\w.-]+/[\w./-]*)`")
# A rule's target, left of a single colon: not a variable (:=), not .PHONY,
# not a file such as $(VENV)/installed.
RULE = re.compile(r"^([a-z][\w-]*)\s*:(?!=)", re.M)
# What points at the instructor's side, which the bundle leaves out.
INSTRUCTOR_WORDS = ("solutions/", "REFUSAL_LESSON_SOLUTIONS")


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    target = tmp_path_factory.mktemp("release") / "bundle"
    assert main(["release", str(target)]) == 0
    return target


def readme(bundle):
    return (bundle / "README.md").read_text(encoding="utf-8")


def make_targets(folder):
    return set(RULE.findall((folder / "Makefile").read_text(encoding="utf-8")))


def dry_run(folder, target):
    """The commands ``make TARGET`` would run from a fresh start (-B: as if nothing were set up)."""
    # Under `make test` the outer make's flags would reach this one.
    outer = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")
    environment = {name: value for name, value in os.environ.items() if name not in outer}
    done = subprocess.run(
        ["make", "--no-print-directory", "-n", "-B", target],
        cwd=folder, env=environment, capture_output=True, text=True, timeout=30, check=False,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_readme_opens_with_exactly_the_makefile_targets(bundle):
    language, first_block = FENCE.search(readme(bundle)).groups()
    commands = [line.split("#")[0].split() for line in first_block.splitlines() if line.strip()]
    assert language == "bash"
    assert all(command[0] == "make" and len(command) == 2 for command in commands), commands
    assert sorted(command[1] for command in commands) == sorted(make_targets(bundle)) == ["check", "handin", "lab"]


def test_every_make_command_in_the_readme_is_a_target(bundle):
    # In a code block (a line of its own) or an inline code span.
    named = set(re.findall(r"(?:^|`)make ([\w-]+)", readme(bundle), re.M))
    assert named and named <= make_targets(bundle)


@pytest.mark.parametrize("target", ["lab", "check", "handin"])
def test_bundle_targets_run_as_in_the_repository(bundle, target):
    """The same commands as the repository's target, except that only the lab extra is installed."""
    commands = dry_run(bundle, target)
    installs = [line for line in commands if "pip install" in line and "-e" in line]
    assert installs == ['.venv/bin/python -m pip install --quiet -e ".[lab]"']
    assert commands == [line.replace('".[dev]"', '".[lab]"') for line in dry_run(ROOT, target)]


def test_check_grades_the_students_file(bundle):
    assert dry_run(bundle, "check")[-1] == ".venv/bin/refusal-lesson grade refusal_lesson/exercises.py"


def test_nothing_students_read_points_at_the_instructors_side(bundle):
    """Allowed: the package's code (the switch and the grader name what they keep
    away from students) and the content license, which names every file it covers."""
    allowed = {"LICENSE-CONTENT.md"}
    found = []
    for path in sorted(bundle.rglob("*")):
        relative = path.relative_to(bundle).as_posix()
        package_code = relative.startswith("refusal_lesson/") and path.suffix == ".py"
        if not path.is_file() or relative in allowed or package_code:
            continue
        text = path.read_text(encoding="utf-8")
        found += [f"{relative}: {word}" for word in INSTRUCTOR_WORDS if word in text]
    assert found == []


def test_readme_links_and_paths_stay_inside_the_bundle(bundle):
    text = readme(bundle)
    prose = FENCE.sub("", text)
    links = [target.split("#", 1)[0] for target in LINK.findall(prose) if "://" not in target]
    paths = [path for path in INLINE_PATH.findall(prose) if not path.startswith(".venv")]
    assert links and paths
    inside = bundle.resolve()
    missing = [
        name
        for name in links + paths
        if not ((bundle / name).exists() and (bundle / name).resolve().is_relative_to(inside))
    ]
    assert missing == []


def test_grade_in_the_bundle_runs_the_public_checks_on_the_stubs(bundle):
    """`make check`'s command, run with this venv's Python on the bundle's own package."""
    environment = {**os.environ, "PYTHONPATH": str(bundle)}
    environment.pop("REFUSAL_LESSON_SOLUTIONS", None)
    done = subprocess.run(
        [sys.executable, "-m", "refusal_lesson", "grade", "refusal_lesson/exercises.py"],
        cwd=bundle, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0, done.stderr
    # One line per graded exercise not started, with the marker the guide
    # promises, and the total; nothing about isolation or hidden checks.
    assert done.stdout.splitlines() == [
        *(
            f"· {name}: not attempted yet. Write it in refusal_lesson/exercises.py, save the file, then run make "
            "check again."
            for name in graded_names()
            if public_checks(name)
        ),
        f"Graded exercises: 0 of {sum(len(public_checks(name)) for name in graded_names())} public checks pass.",
    ]
    assert done.stderr == ""


def bundle_grade(bundle, submission):
    environment = {**os.environ, "PYTHONPATH": str(bundle)}
    environment.pop("REFUSAL_LESSON_SOLUTIONS", None)
    done = subprocess.run(
        [sys.executable, "-m", "refusal_lesson", "grade", str(submission)],
        cwd=bundle, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )
    assert done.returncode == 0 and done.stderr == "", done.stderr
    return done.stdout


def spliced(bundle, tmp_path, solved):
    """The bundle's stubs with the reference solutions of ``solved`` put in."""
    stubs = (bundle / "refusal_lesson" / "exercises.py").read_text(encoding="utf-8")
    reference = (ROOT / "solutions" / "exercises.py").read_text(encoding="utf-8")
    tree = ast.parse(reference)
    functions = {node.name: node for node in tree.body if isinstance(node, ast.FunctionDef)}
    imports = [ast.get_source_segment(reference, node) for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    stub_lines = stubs.splitlines()
    for node in sorted(
        (node for node in ast.parse(stubs).body if isinstance(node, ast.FunctionDef) and node.name in solved),
        key=lambda node: node.lineno,
        reverse=True,
    ):
        stub_lines[node.lineno - 1 : node.end_lineno] = ast.get_source_segment(reference, functions[node.name]).splitlines()
    # The solutions' imports and helpers go after the stubs' docstring.
    stubbed = {node.name for node in ast.parse(stubs).body if isinstance(node, ast.FunctionDef)}
    helpers = [ast.get_source_segment(reference, node) for name, node in functions.items() if name not in stubbed]
    docstring_end = ast.parse(stubs).body[0].end_lineno
    stub_lines[docstring_end:docstring_end] = imports + helpers
    path = tmp_path / "exercises.py"
    path.write_text("\n".join(stub_lines) + "\n", encoding="utf-8")
    return path


def test_check_in_the_bundle_details_what_was_attempted_stretch_included_once_written(bundle, tmp_path):
    stretch = [exercise.name for exercise in definitions() if not exercise.graded]
    graded = graded_names()
    output = bundle_grade(bundle, spliced(bundle, tmp_path, {graded[0], stretch[0]}))
    lines = output.splitlines()
    assert lines[0] == f"{graded[0]}: {len(public_checks(graded[0]))} of {len(public_checks(graded[0]))} checks pass."
    assert f"· {graded[1]}: not attempted yet." in output
    assert f"{stretch[0]}: {len(public_checks(stretch[0]))} of {len(public_checks(stretch[0]))} checks pass. " \
        "(a stretch exercise: checked, not graded)" in lines
    assert not any(stretch_name in output for stretch_name in stretch[1:])
    assert sum(line.startswith("  ✓ ") for line in lines) == len(public_checks(graded[0])) + len(public_checks(stretch[0]))
    total = sum(len(public_checks(name)) for name in graded)
    assert lines[-1] == f"Graded exercises: {len(public_checks(graded[0]))} of {total} public checks pass."
    for word in ("hidden", "isolation", "Isolation", "bubblewrap"):
        assert word not in output


def test_a_file_that_does_not_import_is_said_once(bundle, tmp_path):
    broken = tmp_path / "exercises.py"
    broken.write_text("def refusal_metrics(:\n", encoding="utf-8")
    lines = bundle_grade(bundle, broken).splitlines()
    assert len(lines) == 2 and lines[0].startswith("✗ ") and "SyntaxError" in lines[0]


def test_handin_in_the_bundle_zips_only_the_two_files_beside_a_big_venv(bundle, tmp_path):
    lesson = tmp_path / "lesson"
    shutil.copytree(bundle, lesson)
    venv = lesson / ".venv" / "lib"
    venv.mkdir(parents=True)
    (venv / "big.bin").write_bytes(os.urandom(3 * 1024 * 1024))
    environment = {**os.environ, "PYTHONPATH": str(lesson)}
    command = [sys.executable, "-m", "refusal_lesson", "handin"]
    done = subprocess.run(command, cwd=lesson, env=environment, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    handed_in = lesson / "handin.zip"
    assert str(handed_in) in done.stdout
    assert handed_in.stat().st_size < 1024 * 1024
    with zipfile.ZipFile(handed_in) as archive:
        assert sorted(archive.namelist()) == ["answers.md", "refusal_lesson/exercises.py"]
        assert archive.read("answers.md") == (lesson / "answers.md").read_bytes()
        assert archive.read("refusal_lesson/exercises.py") == (lesson / "refusal_lesson" / "exercises.py").read_bytes()
    # Never over an existing one without --force; the grader takes the zip as it is.
    before = handed_in.read_bytes()
    again = subprocess.run(command, cwd=lesson, env=environment, capture_output=True, text=True, timeout=60, check=False)
    assert again.returncode == 2 and "--force" in again.stderr and handed_in.read_bytes() == before
    assert "not attempted yet" in bundle_grade(bundle, handed_in)


def test_the_bundle_cli_offers_only_what_students_run(bundle):
    environment = {**os.environ, "PYTHONPATH": str(bundle)}
    done = subprocess.run(
        [sys.executable, "-c", "from refusal_lesson.commands import available_commands; print(available_commands())"],
        cwd=bundle, env=environment, capture_output=True, text=True, timeout=60, check=True,
    )
    assert done.stdout.strip() == "['evaluate', 'grade', 'handin']"
    assert not (bundle / "refusal_lesson" / "templates").exists()
    assert not (bundle / "refusal_lesson" / "grading" / "bundle.py").exists()

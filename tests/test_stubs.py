"""The student file stays a template, and mirrors the reference solutions."""

import ast
import inspect
import shutil
from pathlib import Path

import pytest

from refusal_lesson.grading import bundle
from refusal_lesson.grading.child import rebuild
from refusal_lesson.grading.definitions import definitions, public_checks
from refusal_lesson.grading.stubs import NAMES, generated_names, generated_stubs
from refusal_lesson.switch import EXERCISE_NAMES, solutions_path

def valid_call(name):
    """The arguments of the exercise's first public call, as the grader's child builds them."""
    case = next(case for check in public_checks(name) if check.aspect == "value" for case in check.cases)
    return [rebuild(spec) for spec in case.to_json()]


@pytest.mark.parametrize("name", EXERCISE_NAMES)
def test_stub_raises_a_helpful_not_implemented_error(stubs, name):
    with pytest.raises(NotImplementedError) as raised:
        getattr(stubs, name)(*valid_call(name))
    message = str(raised.value)
    assert name in message
    assert "refusal_lesson/exercises.py" in message
    assert f'check("{name}")' in message


@pytest.mark.parametrize("name", EXERCISE_NAMES)
def test_reference_solution_runs(solutions, name):
    getattr(solutions, name)(*valid_call(name))


def functions(path):
    tree = ast.parse(path.read_text(encoding="utf-8"))
    # Private helpers of the reference solutions are not exercises.
    return {
        node.name: node
        for node in tree.body
        if isinstance(node, ast.FunctionDef) and not node.name.startswith("_")
    }


def test_solutions_mirror_the_student_file(stubs):
    student = functions(Path(inspect.getfile(stubs)))
    reference = functions(solutions_path())
    assert sorted(student) == sorted(reference) == sorted(EXERCISE_NAMES)
    for name in EXERCISE_NAMES:
        assert ast.dump(student[name].args) == ast.dump(reference[name].args), name
        assert ast.get_docstring(student[name]) == ast.get_docstring(reference[name]), name


def test_student_file_holds_no_solution_code(stubs):
    for node in functions(Path(inspect.getfile(stubs))).values():
        body = node.body[1:]  # after the docstring
        assert len(body) == 1 and isinstance(body[0], ast.Raise), node.name


def test_the_committed_stubs_are_what_the_build_makes(stubs):
    """Run tools/build_stubs.py after editing solutions/exercises.py."""
    assert Path(inspect.getfile(stubs)).read_text(encoding="utf-8") == generated_stubs()


def test_the_committed_exercise_names_are_what_the_build_makes():
    """Run tools/build_stubs.py after adding an exercise's definition."""
    assert (bundle.ROOT / NAMES).read_text(encoding="utf-8") == generated_names()


def test_the_header_names_every_exercise_and_its_notebook(stubs):
    top = " ".join(ast.get_docstring(ast.parse(Path(inspect.getfile(stubs)).read_text(encoding="utf-8"))).split())
    graded, stretch = top.split(" graded exercise")[0], top.split(" graded exercise")[1]
    for exercise in definitions():
        assert f"``{exercise.name}``" in (graded if exercise.graded else stretch)
        assert f"notebook {exercise.notebook}" in top or f" and {exercise.notebook})" in top


def test_the_tip_does_not_steer_towards_returning_a_numpy_float(stubs):
    """check_candidates returns floats; the tip must say to return the caller's candidate (issue 21)."""
    top = " ".join(ast.get_docstring(ast.parse(Path(inspect.getfile(stubs)).read_text(encoding="utf-8"))).split())
    assert "check_candidates" in top and "return the winning candidate itself" in top


def test_the_stubs_carry_no_imports_or_private_helpers(stubs):
    tree = ast.parse(Path(inspect.getfile(stubs)).read_text(encoding="utf-8"))
    assert not [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
    assert [node.name for node in tree.body if isinstance(node, ast.FunctionDef)] == list(EXERCISE_NAMES)


@pytest.fixture
def solved_checkout(tmp_path, monkeypatch):
    """A copy of the checkout whose refusal_lesson/exercises.py an instructor has solved."""
    root = tmp_path / "checkout"
    for name in (*bundle.PROJECT_FILES, bundle.STUDENT_GUIDE, "solutions/exercises.py"):
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(bundle.ROOT / name, root / name)
    for folder in bundle.RELEASE_FOLDERS:
        shutil.copytree(bundle.ROOT / folder, root / folder, ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copy(solutions_path(), root / "refusal_lesson" / "exercises.py")
    monkeypatch.setattr(bundle, "ROOT", root)
    return root


def test_release_and_autograder_ship_the_generated_stubs_not_a_solved_copy(solved_checkout, tmp_path):
    solved = (solved_checkout / "refusal_lesson" / "exercises.py").read_text(encoding="utf-8")
    assert "check_scores_labels(scores, labels)\n" in solved
    bundle.build_release(tmp_path / "bundle")
    released = (tmp_path / "bundle" / "refusal_lesson" / "exercises.py").read_text(encoding="utf-8")
    zipped = bundle.autograder_files("--seed 1")["refusal_lesson/exercises.py"].decode()
    for shipped in (released, zipped):
        assert shipped == generated_stubs(solved_checkout) != solved
        assert "check_scores_labels(scores, labels)\n" not in shipped

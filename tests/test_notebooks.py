"""The notebooks' one source of truth, and what must never reach a student.

nbval (run by ``make test``) executes the notebooks; these tests check how
they are built: student copies equal to the instructor ones less outputs,
fixed cell ids, and no solution code anywhere a student gets it.
"""

import ast
import json
import re
import shutil

import jupytext
import nbformat
import pytest

from notebook_build import (
    INSTRUCTOR_DIR,
    ROOT,
    SOURCE_DIR,
    SOURCE_FORMAT,
    STUDENT_DIR,
    WIDGET_VIEW,
    drift,
    keep_ignored_outputs,
    notebook_from_source,
    parse_cells,
    sources,
    student_copy,
)
from refusal_lesson.switch import solutions_path

STUDENT_NOTEBOOKS = sorted((ROOT / STUDENT_DIR).glob("*.ipynb"))
NAMES = [path.stem for path in sources()]


def test_there_are_four_notebooks_in_lesson_order():
    assert [path.name for path in STUDENT_NOTEBOOKS] == [f"{name}.ipynb" for name in NAMES]
    assert NAMES[0] == "01-two-ways-to-fail"


def test_the_three_copies_agree():
    assert drift() == []


@pytest.mark.parametrize("name", NAMES)
def test_student_notebook_holds_no_output(name):
    notebook = json.loads((ROOT / STUDENT_DIR / f"{name}.ipynb").read_text(encoding="utf-8"))
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["id"]


@pytest.mark.parametrize("name", NAMES)
def test_committed_notebooks_are_valid_and_diff_friendly(name):
    for folder in (INSTRUCTOR_DIR, STUDENT_DIR):
        path = ROOT / folder / f"{name}.ipynb"
        notebook = nbformat.read(path, as_version=4)
        nbformat.validate(notebook)
        assert "version" not in notebook.metadata["language_info"], "the Python version would churn"
        assert all(not cell.metadata.get("execution") for cell in notebook.cells), "timings would churn"
        # nbformat's own layout, so rewriting an unchanged notebook changes no byte.
        assert path.read_text(encoding="utf-8") == nbformat.writes(notebook) + "\n"


@pytest.mark.parametrize("name", NAMES)
def test_instructor_notebook_ran_without_error(name):
    notebook = nbformat.read(ROOT / INSTRUCTOR_DIR / f"{name}.ipynb", as_version=4)
    outputs = [output for cell in notebook.cells if cell.cell_type == "code" for output in cell.outputs]
    assert outputs
    assert not [output for output in outputs if output.output_type == "error"]
    assert not [output for output in outputs if output.get("name") == "stderr"]


@pytest.mark.parametrize("name", NAMES)
def test_every_plot_has_a_caption_and_headings_do_not_skip_levels(name):
    notebook = nbformat.read(ROOT / STUDENT_DIR / f"{name}.ipynb", as_version=4)
    levels = [
        len(match.group(1))
        for cell in notebook.cells
        if cell.cell_type == "markdown"
        for match in re.finditer(r"^(#+) ", cell.source, flags=re.MULTILINE)
    ]
    assert levels[0] == 1 and levels.count(1) == 1
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:]))
    cells = notebook.cells
    for index, cell in enumerate(cells):
        if cell.cell_type == "code" and "plt.show()" in cell.source:
            neighbours = [cells[i] for i in (index - 1, index + 1) if 0 <= i < len(cells)]
            assert any(
                other.cell_type == "markdown" and "plot" in other.source.lower() for other in neighbours
            ), f"plot cell {cell.id} has no caption"


def _solution_lines():
    """Each solution body's code lines, comments and docstrings dropped."""
    text = solutions_path().read_text(encoding="utf-8")
    lines = text.splitlines()
    bodies = []
    for node in ast.parse(text).body:
        if isinstance(node, ast.FunctionDef):
            start = node.body[1].lineno if ast.get_docstring(node) else node.body[0].lineno
            body = [line.strip() for line in lines[start - 1 : node.end_lineno]]
            bodies.append([line for line in body if line and not line.startswith("#")])
    return bodies


def _normalised(text):
    return [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]


def _holds_run(haystack, run):
    return any(haystack[i : i + len(run)] == run for i in range(len(haystack) - len(run) + 1))


WINDOW = 3


def _leaks(text):
    lines = _normalised(text)
    return [
        body[i : i + WINDOW]
        for body in _solution_lines()
        for i in range(len(body) - WINDOW + 1)
        if _holds_run(lines, body[i : i + WINDOW])
    ]


def test_the_leak_detector_finds_a_pasted_solution():
    pasted = "\n".join("\n".join(body) for body in _solution_lines())
    assert _leaks(pasted)
    assert not _leaks("import numpy as np\nx = 1\n")


def test_no_student_file_holds_solution_code():
    student_files = sorted((ROOT / "refusal_lesson").rglob("*.py")) + STUDENT_NOTEBOOKS + sorted(
        (ROOT / SOURCE_DIR).glob("*.py")
    )
    for path in student_files:
        text = path.read_text(encoding="utf-8")
        if path.suffix == ".ipynb":
            text = "\n".join(cell.source for cell in nbformat.reads(text, as_version=4).cells)
        assert not _leaks(text), path


def test_parse_cells_keeps_kinds_order_and_text():
    text = "# %% [markdown]\n# # Title\n#\n# Body.\n\n# %%\nx = 1\n\n\ny = 2\n\n# %%\n# %matplotlib inline\n"
    assert parse_cells(text) == [
        ("markdown", "# Title\n\nBody."),
        ("code", "x = 1\n\n\ny = 2"),
        ("code", "%matplotlib inline"),
    ]


def test_parse_cells_names_an_empty_cell():
    with pytest.raises(ValueError, match="cell 2 is empty"):
        parse_cells("# %%\nx = 1\n# %%\n\n# %%\ny = 2\n")


@pytest.mark.parametrize("name", NAMES)
def test_sources_are_python_in_jupytext_own_form(name):
    """Linters read the sources, and jupytext rewrites them to the same bytes."""
    text = (ROOT / SOURCE_DIR / f"{name}.py").read_text(encoding="utf-8")
    ast.parse(text)
    assert jupytext.writes(jupytext.reads(text, fmt=SOURCE_FORMAT), fmt=SOURCE_FORMAT) == text


@pytest.mark.parametrize("name", NAMES)
def test_instructor_notebooks_store_no_random_widget_ids(name):
    notebook = nbformat.read(ROOT / INSTRUCTOR_DIR / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            assert WIDGET_VIEW not in output.get("data", {}), cell.id


def test_cell_ids_are_fixed_unique_and_local_to_each_cell():
    text = "# %%\nx = 1\n# %%\nx = 1\n# %%\ny = 2\n"
    first, again = notebook_from_source(text), notebook_from_source(text)
    ids = [cell.id for cell in first.cells]
    assert ids == [cell.id for cell in again.cells]
    assert len(set(ids)) == 3
    edited = notebook_from_source(text.replace("y = 2", "y = 3"))
    assert [cell.id for cell in edited.cells][:2] == ids[:2]
    nbformat.validate(first)


def _make_project(tmp_path):
    (tmp_path / SOURCE_DIR).mkdir(parents=True)
    (tmp_path / SOURCE_DIR / "01-demo.py").write_text("# %% [markdown]\n# # Demo\n# %%\nprint(1)\n")
    for folder in (INSTRUCTOR_DIR, STUDENT_DIR):
        (tmp_path / folder).mkdir()
    executed = notebook_from_source((tmp_path / SOURCE_DIR / "01-demo.py").read_text())
    executed.cells[1].execution_count = 1
    executed.cells[1].outputs = [nbformat.v4.new_output("stream", name="stdout", text="1\n")]
    nbformat.write(executed, tmp_path / INSTRUCTOR_DIR / "01-demo.ipynb")
    nbformat.write(student_copy(executed), tmp_path / STUDENT_DIR / "01-demo.ipynb")
    return tmp_path


def test_drift_is_empty_for_a_consistent_project(tmp_path):
    assert drift(_make_project(tmp_path)) == []


def test_drift_catches_an_output_in_a_student_notebook(tmp_path):
    root = _make_project(tmp_path)
    shutil.copy(root / INSTRUCTOR_DIR / "01-demo.ipynb", root / STUDENT_DIR / "01-demo.ipynb")
    assert ["holds outputs" in problem for problem in drift(root)] == [True]


def test_drift_catches_an_edited_cell(tmp_path):
    root = _make_project(tmp_path)
    path = root / STUDENT_DIR / "01-demo.ipynb"
    notebook = nbformat.read(path, as_version=4)
    notebook.cells[1].source = "print(2)"
    nbformat.write(notebook, path)
    assert ["differs from" in problem for problem in drift(root)] == [True]


def test_drift_catches_a_missing_or_orphan_notebook(tmp_path):
    root = _make_project(tmp_path)
    (root / STUDENT_DIR / "01-demo.ipynb").rename(root / STUDENT_DIR / "02-orphan.ipynb")
    problems = drift(root)
    assert any("is missing" in problem for problem in problems)
    assert any("has no source" in problem for problem in problems)


def test_drift_catches_an_instructor_notebook_that_was_never_run(tmp_path):
    root = _make_project(tmp_path)
    shutil.copy(root / STUDENT_DIR / "01-demo.ipynb", root / INSTRUCTOR_DIR / "01-demo.ipynb")
    assert ["never run" in problem for problem in drift(root)] == [True]


def test_student_copy_leaves_the_instructor_notebook_alone(tmp_path):
    root = _make_project(tmp_path)
    executed = nbformat.read(root / INSTRUCTOR_DIR / "01-demo.ipynb", as_version=4)
    student_copy(executed)
    assert executed.cells[1].outputs and executed.cells[1].execution_count == 1


def test_a_rebuild_keeps_only_unchanged_ignored_outputs():
    text = "# %%\n# NBVAL_IGNORE_OUTPUT\nprint(1)\n# %%\nprint(2)\n"
    committed = notebook_from_source(text)
    for cell in committed.cells:
        cell.outputs = [nbformat.v4.new_output("stream", text="old")]
    fresh = notebook_from_source(text)
    edited = notebook_from_source(text.replace("print(1)", "print(3)"))
    for notebook in (fresh, edited):
        keep_ignored_outputs(notebook, committed)
    assert [cell.outputs for cell in fresh.cells] == [committed.cells[0].outputs, []]
    assert [cell.outputs for cell in edited.cells] == [[], []]


@pytest.mark.parametrize("name", NAMES)
def test_no_test_marker_shows_in_a_student_cell(name):
    notebook = nbformat.read(ROOT / STUDENT_DIR / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        assert "NBVAL_" not in cell.source, cell.id


def test_the_instructor_copy_keeps_the_marker_nbval_needs_and_drift_allows_it(tmp_path):
    root = _make_project(tmp_path)
    source = "# %% [markdown]\n# # Demo\n# %%\n# NBVAL_IGNORE_OUTPUT\nprint(1)\n"
    (root / SOURCE_DIR / "01-demo.py").write_text(source)
    executed = notebook_from_source(source)
    executed.cells[1].execution_count = 1
    nbformat.write(executed, root / INSTRUCTOR_DIR / "01-demo.ipynb")
    nbformat.write(student_copy(executed), root / STUDENT_DIR / "01-demo.ipynb")
    assert executed.cells[1].source.startswith("# NBVAL_IGNORE_OUTPUT\n")
    assert student_copy(executed).cells[1].source == "print(1)"
    assert drift(root) == []

"""Build the lesson's notebooks from their one source.

Each notebook is written once, as a jupytext "percent" script in
``tools/notebooks/`` (cells separated by ``# %%`` lines, markdown cells
marked ``# %% [markdown]``, IPython magics commented out as ``# %magic``),
so that reviews read as code diffs and linters can read the sources. From it:

* the instructor notebook, ``solutions/NAME.ipynb``, is the same cells run
  with ``REFUSAL_LESSON_SOLUTIONS=1``, outputs stored;
* the student notebook, ``notebooks/NAME.ipynb``, is the same cells with no
  output and no execution count, so nothing the solutions computed reaches a
  student, and without nbval's marker lines (``# NBVAL_IGNORE_OUTPUT``),
  which are test plumbing: the student copies run under ``--nbval-lax``,
  which compares no output anyway.

Cell ids come from the cell's own text, so editing one cell changes one id
and the committed files diff cleanly; rebuilding an unchanged source writes
the same bytes. :func:`drift` lists every way the three copies disagree; a
test holds it to an empty list.

This is an instructor's tool, not part of the package students get; it needs
the ``build`` extra (``pip install -e ".[build]"``, part of ``dev``).
"""

import copy
import hashlib
import os
import re
import time
from pathlib import Path

import jupytext
import nbformat
from nbclient import NotebookClient

from refusal_lesson.switch import SOLUTIONS_ENV

ROOT = Path(__file__).resolve().parent.parent
SOURCE_DIR = Path("tools") / "notebooks"
STUDENT_DIR = Path("notebooks")
INSTRUCTOR_DIR = Path("solutions")
SOURCE_FORMAT = "py:percent"

# nbval's marker for a cell whose output is not compared.
IGNORED_OUTPUT = "NBVAL_IGNORE_OUTPUT"
# A line holding only one of nbval's cell markers, as the instructor copy keeps them.
TEST_MARKER_LINE = re.compile(r"^# NBVAL_[A-Z_]+[ \t]*(\n|$)", re.MULTILINE)

# A widget's view names a model by a random id, and the model's state is not
# stored in the notebook, so the view could never be drawn from the file:
# the output keeps its still image instead.
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"

# Only what a reader needs; the Python patch version and the like would
# change the committed files from machine to machine.
NOTEBOOK_METADATA = {
    "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
    "language_info": {"name": "python"},
}


def parse_cells(text):
    """Split a percent script into cells, as jupytext reads it.

    Parameters
    ----------
    text : str
        The script, in jupytext's ``py:percent`` format.

    Returns
    -------
    list of tuple of (str, str)
        ``(cell_type, source)`` pairs, ``cell_type`` being ``"code"`` or
        ``"markdown"``; magics come back uncommented.

    Raises
    ------
    ValueError
        If a cell is empty.

    Examples
    --------
    >>> parse_cells("# %% [markdown]\\n# # Title\\n#\\n# Text.\\n\\n# %%\\n# %matplotlib inline\\nx = 1\\n")
    [('markdown', '# Title\\n\\nText.'), ('code', '%matplotlib inline\\nx = 1')]
    """
    cells = [(cell.cell_type, cell.source) for cell in jupytext.reads(text, fmt=SOURCE_FORMAT).cells]
    for number, (_, source) in enumerate(cells, start=1):
        if not source.strip():
            raise ValueError(f"cell {number} is empty; remove its '# %%' line or give it text.")
    return cells


def _cell_id(source, taken):
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()[:10]
    cell_id, suffix = digest, 1
    while cell_id in taken:
        suffix += 1
        cell_id = f"{digest}-{suffix}"
    taken.add(cell_id)
    return cell_id


def notebook_from_source(text):
    """Turn a percent script into an unexecuted notebook with fixed cell ids.

    Parameters
    ----------
    text : str
        The script, as read by :func:`parse_cells`.

    Returns
    -------
    nbformat.NotebookNode

    Examples
    --------
    >>> notebook = notebook_from_source("# %%\\nprint('hi')\\n")
    >>> notebook.cells[0].source, notebook.cells[0].outputs
    ("print('hi')", [])
    """
    notebook = nbformat.v4.new_notebook(metadata=NOTEBOOK_METADATA)
    taken = set()
    for kind, source in parse_cells(text):
        make = nbformat.v4.new_markdown_cell if kind == "markdown" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source, id=_cell_id(source, taken)))
    return notebook


def without_test_markers(source):
    """A cell's text without nbval's marker lines.

    Examples
    --------
    >>> without_test_markers("# NBVAL_IGNORE_OUTPUT\\nimport time\\n# NBVAL_IGNORE_OUTPUT is nbval's")
    "import time\\n# NBVAL_IGNORE_OUTPUT is nbval's"
    """
    return TEST_MARKER_LINE.sub("", source)


def student_copy(notebook):
    """The same notebook with every output, execution count and test marker removed.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        Usually the executed instructor notebook. It is not modified.

    Returns
    -------
    nbformat.NotebookNode

    Examples
    --------
    >>> executed = nbformat.v4.new_notebook()
    >>> executed.cells.append(nbformat.v4.new_code_cell("1 + 1", execution_count=1))
    >>> student_copy(executed).cells[0].execution_count is None
    True
    """
    clean = copy.deepcopy(notebook)
    for cell in clean.cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            cell.source = without_test_markers(cell.source)
        cell.metadata = {key: value for key, value in cell.metadata.items() if key != "execution"}
    return clean


def execute(notebook, cwd, solutions, timeout=120):
    """Run every cell of a notebook in a fresh kernel.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        Executed in place: outputs and execution counts are filled in, each
        widget's view dropped for its still image (see ``WIDGET_VIEW``).
    cwd : path-like
        The kernel's working directory (the notebook's own folder).
    solutions : bool
        Run with ``REFUSAL_LESSON_SOLUTIONS=1`` (the instructor's side) or
        with the student's exercise file.
    timeout : float, default=120
        Seconds any one cell may take.

    Returns
    -------
    float
        Seconds spent running the cells, the kernel's start excluded.

    Raises
    ------
    nbclient.exceptions.CellExecutionError
        If a cell raises.

    Examples
    --------
    >>> notebook = notebook_from_source("# %%\\nprint(6 * 7)\\n")
    >>> seconds = execute(notebook, cwd=".", solutions=False)  # doctest: +SKIP
    >>> notebook.cells[0].outputs[0].text  # doctest: +SKIP
    '42\\n'
    """
    previous = os.environ.get(SOLUTIONS_ENV)
    os.environ[SOLUTIONS_ENV] = "1" if solutions else "0"
    try:
        client = NotebookClient(
            notebook,
            timeout=timeout,
            kernel_name="python3",
            resources={"metadata": {"path": str(cwd)}},
            record_timing=False,
        )
        with client.setup_kernel():
            start = time.perf_counter()
            for index, cell in enumerate(notebook.cells):
                client.execute_cell(cell, index)
            elapsed = time.perf_counter() - start
    finally:
        if previous is None:
            del os.environ[SOLUTIONS_ENV]
        else:
            os.environ[SOLUTIONS_ENV] = previous
    notebook.metadata = NOTEBOOK_METADATA
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            output.get("data", {}).pop(WIDGET_VIEW, None)
    return elapsed


def sources(root=None):
    """The notebook sources, in lesson order.

    Parameters
    ----------
    root : path-like, optional
        The project folder; the project's own by default.

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> sources()[0].stem
    '01-two-ways-to-fail'
    """
    root = Path(root) if root is not None else ROOT
    return sorted((root / SOURCE_DIR).glob("[0-9][0-9]-*.py"))


def keep_ignored_outputs(notebook, previous):
    """Reuse the stored outputs of cells nbval ignores, such as timings.

    Their outputs change from run to run; keeping the committed ones, while
    the cell's text is unchanged, means a rebuild rewrites no byte of an
    unchanged notebook.

    Parameters
    ----------
    notebook : nbformat.NotebookNode
        A freshly executed notebook, updated in place.
    previous : nbformat.NotebookNode
        The notebook as committed.

    Examples
    --------
    >>> fresh = notebook_from_source("# %%\\n# NBVAL_IGNORE_OUTPUT\\nprint(1)\\n")
    >>> committed = notebook_from_source("# %%\\n# NBVAL_IGNORE_OUTPUT\\nprint(1)\\n")
    >>> committed.cells[0].outputs = [nbformat.v4.new_output("stream", text="2 ms")]
    >>> keep_ignored_outputs(fresh, committed)
    >>> fresh.cells[0].outputs[0].text
    '2 ms'
    """
    stored = {cell.get("id"): cell for cell in previous.cells}
    for cell in notebook.cells:
        old = stored.get(cell.get("id"))
        if old is not None and IGNORED_OUTPUT in cell.source and old.source == cell.source:
            cell.outputs = old.outputs


def build(root=None, names=None, report=print):
    """Execute the instructor notebooks and write both copies of each.

    Parameters
    ----------
    root : path-like, optional
        The project folder; the project's own by default.
    names : iterable of str, optional
        Build only these notebooks (file stems such as
        ``"01-two-ways-to-fail"``); all of them by default.
    report : callable, default=print
        Called with one line per notebook built.

    Returns
    -------
    dict
        Notebook stem -> seconds its cells took to run.

    Examples
    --------
    >>> build(names=["01-two-ways-to-fail"])  # doctest: +SKIP
    01-two-ways-to-fail: 3.1 s
    {'01-two-ways-to-fail': 3.1}
    """
    root = Path(root) if root is not None else ROOT
    wanted = set(names) if names is not None else None
    timings = {}
    for path in sources(root):
        if wanted is not None and path.stem not in wanted:
            continue
        notebook = notebook_from_source(path.read_text(encoding="utf-8"))
        seconds = execute(notebook, cwd=root / INSTRUCTOR_DIR, solutions=True)
        instructor_path = root / INSTRUCTOR_DIR / f"{path.stem}.ipynb"
        if instructor_path.is_file():
            keep_ignored_outputs(notebook, nbformat.read(instructor_path, as_version=4))
        nbformat.write(notebook, instructor_path)
        nbformat.write(student_copy(notebook), root / STUDENT_DIR / f"{path.stem}.ipynb")
        timings[path.stem] = round(seconds, 2)
        report(f"{path.stem}: {seconds:.1f} s")
    return timings


def _cells(notebook):
    return [(cell.cell_type, cell.source, cell.get("id")) for cell in notebook.cells]


def drift(root=None):
    """Every way the sources, instructor and student notebooks disagree.

    Parameters
    ----------
    root : path-like, optional
        The project folder; the project's own by default.

    Returns
    -------
    list of str
        One sentence per problem; empty when the three copies agree and no
        student notebook holds an output.

    Examples
    --------
    >>> problems = drift()
    >>> all(isinstance(problem, str) for problem in problems)
    True
    """
    root = Path(root) if root is not None else ROOT
    problems = []
    for path in sources(root):
        built = notebook_from_source(path.read_text(encoding="utf-8"))
        expected = {INSTRUCTOR_DIR: _cells(built), STUDENT_DIR: _cells(student_copy(built))}
        copies = {}
        for folder in (INSTRUCTOR_DIR, STUDENT_DIR):
            notebook_path = root / folder / f"{path.stem}.ipynb"
            if not notebook_path.is_file():
                problems.append(f"{notebook_path} is missing; run tools/build_notebooks.py.")
                continue
            copies[folder] = nbformat.read(notebook_path, as_version=4)
            if _cells(copies[folder]) != expected[folder]:
                problems.append(f"{notebook_path} differs from {path}; run tools/build_notebooks.py.")
        instructor = copies.get(INSTRUCTOR_DIR)
        if instructor is not None and any(
            cell.cell_type == "code" and cell.execution_count is None for cell in instructor.cells
        ):
            problems.append(f"{root / INSTRUCTOR_DIR / path.name} has cells that were never run.")
        student = copies.get(STUDENT_DIR)
        if student is not None and student != student_copy(student):
            problems.append(f"{root / STUDENT_DIR / path.stem}.ipynb holds outputs; run tools/build_notebooks.py.")
    for folder in (INSTRUCTOR_DIR, STUDENT_DIR):
        for notebook_path in sorted((root / folder).glob("*.ipynb")):
            if not (root / SOURCE_DIR / f"{notebook_path.stem}.py").is_file():
                problems.append(f"{notebook_path} has no source in {SOURCE_DIR}.")
    return problems

"""The lesson as students meet it: ``make lab``, JupyterLab, headless Chromium, Run All.

Two passes, each with one server and one browser for all the notebooks:
the student stubs (every cell runs, none shows an error), then the reference
solutions (the plots render as images).  Both check the accessibility basics
in ``notebook_checks`` and save a screenshot per notebook under
``test-artifacts/screenshots/<pass>/``.  Set ``UPDATE_LESSON_SCREENSHOT=1`` to
refresh the README's picture (``docs/images/lesson-screenshot.png``) from the
solutions pass over the first notebook.
"""

import contextlib
import json
import os
import re
import shutil
from pathlib import Path

import pytest

from labdriver import (
    BROWSER_SKIPPED_KEY,
    SCREENSHOTS_KEY,
    VIEWPORT,
    LabServer,
    group_alive,
    launch_browser,
    processes_with,
    run_notebook,
    screenshot,
)
from notebook_checks import plot_cells, problems

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
ARTIFACTS = ROOT / "test-artifacts"
SCREENSHOTS = ARTIFACTS / "screenshots"
README_SCREENSHOT = ROOT / "docs" / "images" / "lesson-screenshot.png"
SOLUTIONS_ENV = "REFUSAL_LESSON_SOLUTIONS"
# The line of counts under notebook 2's threshold slider.
SLIDER_COUNTS = re.compile(r"^threshold \d\.\d\d: over-refusal rate")
# Every server this module starts, for the last test to check that each one
# stopped cleanly.
STARTED = []


def notebook_json(cells):
    """A minimal nbformat-4 notebook holding ``cells`` as ``(kind, source)`` pairs."""
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)", "language": "python"}},
        "cells": [
            {"cell_type": kind, "id": f"cell-{number}", "metadata": {}, "source": source}
            | ({"outputs": [], "execution_count": None} if kind == "code" else {})
            for number, (kind, source) in enumerate(cells)
        ],
    }


# An image output without matplotlib's import time: a 1x1 PNG.
PLOT = (
    "from IPython.display import Image\n"
    "Image(data=bytes.fromhex('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489'\n"
    "                         '0000000d49444154789c63686868f80f00058402808ccd66260000000049454e44ae426082'))"
)
# A notebook that passes every check, and one that breaks each in a known way:
# the harness must tell them apart, or its passing the lesson would mean nothing.
HARNESS = {
    "good.ipynb": [
        ("markdown", "# A tidy notebook\n\nIt prints and plots."),
        ("code", "print('hello')"),
        ("markdown", "## A plot"),
        ("code", PLOT),
        ("markdown", "**Figure 1.** A single grey dot standing in for a plot."),
        ("markdown", "*The plot (drawn again):* the same dot, standing in for a plot.\n\n### A detail"),
        ("code", PLOT),
        ("code", "print('done')"),
    ],
    "bad.ipynb": [
        ("markdown", "# A messy notebook"),
        ("markdown", "### Skips a level"),
        ("code", PLOT),
        ("markdown", "A paragraph that is no caption."),
        ("code", "from IPython.display import Image\nImage(data=b'not a picture', format='png')"),
        ("markdown", "*The plot:* an image that no browser can decode at all."),
        ("code", "import sys\nprint('careful', file=sys.stderr)"),
        ("code", "1 / 0"),
        ("code", "print('never runs')"),
        ("markdown", "# A second title"),
    ],
}
HARNESS_PROBLEMS = [
    "cell 9 did not run (its prompt shows [ ]:)",
    "cell 7 shows stderr output: careful",
    "cell 8 shows an error: ZeroDivisionError: division by zero",
    "cell 5 has an image that did not load",
    'cell 3 shows a plot with no caption (a paragraph starting "The plot:" in the markdown cell right above or '
    "below it)",
    'cell 2: heading "Skips a level" is h3 right after an h1 (a level is skipped)',
    'cell 10: heading "A second title" is a second h1',
]


@pytest.fixture(scope="module")
def browser_context(request):
    """One Chromium for the module, with one context whose cache every page shares
    (JupyterLab's scripts then load from it, a second or two faster per notebook).

    Without a Chromium every browser test is skipped, with one line on how to
    enable them (``tests/conftest.py`` repeats it in the summary); with
    ``CI=true`` they fail instead."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        try:
            chromium = launch_browser(playwright)
        except pytest.skip.Exception as skip:
            request.config.stash[BROWSER_SKIPPED_KEY] = str(skip)
            raise
        request.config.stash[SCREENSHOTS_KEY] = SCREENSHOTS
        try:
            yield chromium.new_context(viewport=VIEWPORT)
        finally:
            chromium.close()


@contextlib.contextmanager
def lab_serving(tmp_path_factory, name, solutions, extra_notebooks=None):
    """``make lab`` over a scratch copy of notebooks/ (plus ``extra_notebooks``)."""
    root = tmp_path_factory.mktemp(name)
    if NOTEBOOKS:
        shutil.copytree(ROOT / "notebooks", root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    for relative, cells in (extra_notebooks or {}).items():
        (root / relative).parent.mkdir(parents=True, exist_ok=True)
        (root / relative).write_text(json.dumps(notebook_json(cells)), encoding="utf-8")
    first = min(root.glob("*/*.ipynb"), key=lambda path: (path.parent.name != "notebooks", path.as_posix()))
    ARTIFACTS.mkdir(exist_ok=True)
    server = LabServer(
        ROOT, root, first, ARTIFACTS / f"jupyterlab-{name}.log", env={SOLUTIONS_ENV: "1" if solutions else "0"}
    )
    STARTED.append(server)
    try:
        server.wait_until_ready()
        yield server
    finally:
        server.stop()


@pytest.fixture
def page(browser_context):
    tab = browser_context.new_page()
    try:
        yield tab
    finally:
        tab.close()


def run(page, server, path, shot):
    """Run All in ``path`` and return its cells, saving a screenshot to ``shot``.

    The notebook's kernel stays up, idle, until the pass's server stops: shutting
    each down on the way would cost a second or two per notebook.
    """
    try:
        return run_notebook(page, server, path)
    finally:
        screenshot(page, shot)


def stored_plot_cells(notebook):
    """How many code cells of a saved notebook hold an image output."""
    cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
    return sum(
        any(mime.startswith("image/") for output in cell.get("outputs", []) for mime in output.get("data", {}))
        for cell in cells
    )


# Class-scoped, so each pass's server stops before the next one starts.
@pytest.fixture(scope="class")
def student_lab(tmp_path_factory):
    extra = {f"harness/{name}": cells for name, cells in HARNESS.items()}
    with lab_serving(tmp_path_factory, "student", solutions=False, extra_notebooks=extra) as server:
        yield server


@pytest.fixture(scope="class")
def solutions_lab(tmp_path_factory):
    with lab_serving(tmp_path_factory, "solutions", solutions=True) as server:
        yield server


class TestStudentStubs:
    """Run All with the stubs unfinished: every cell runs and none shows an error."""

    def test_harness_tells_a_tidy_notebook_from_a_messy_one(self, student_lab, page):
        good = run(page, student_lab, "harness/good.ipynb", SCREENSHOTS / "harness" / "good.png")
        bad = run(page, student_lab, "harness/bad.ipynb", SCREENSHOTS / "harness" / "bad.png")
        assert problems(good) == []
        assert len(plot_cells(good)) == 2
        assert sorted(problems(bad)) == sorted(HARNESS_PROBLEMS)

    @pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
    def test_notebook_runs_clean(self, student_lab, page, notebook):
        shot = SCREENSHOTS / "student" / f"{notebook.stem}.png"
        found = problems(run(page, student_lab, f"notebooks/{notebook.name}", shot))
        assert found == [], f"{notebook.name} (screenshot: {shot}):\n" + "\n".join(found)


    def test_make_lab_opens_the_first_notebook_with_the_file_browser_at_the_root(self, student_lab, page):
        """Where the work is: the root holds refusal_lesson/ beside notebooks/ (here, beside harness/)."""
        # The page make lab's browser is sent to: the server's default one.
        page.goto(f"{student_lab.base_url}/?token={student_lab.token}")
        page.locator(".lm-TabBar-tabLabel", has_text="01-two-ways-to-fail.ipynb").first.wait_for(timeout=60_000)
        listing = page.locator(".jp-FileBrowser .jp-DirListing-itemText")
        listing.filter(has_text="harness").first.wait_for(timeout=30_000)
        assert {"harness", "notebooks"} <= {name.strip() for name in listing.all_inner_texts()}

    def test_the_threshold_slider_moves_the_counts(self, student_lab, page):
        shot = SCREENSHOTS / "student" / "threshold-slider.png"
        run(page, student_lab, "notebooks/02-moving-the-line.ipynb", shot)
        counts = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output").get_by_text(SLIDER_COUNTS)
        before = counts.inner_text()
        handle = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-OutputArea-output [role=slider]").first
        handle.focus()
        for _ in range(4):
            handle.press("ArrowLeft")
        # Four steps of 0.05 down: the kernel redraws once per step.
        counts.filter(has_text="threshold 0.30:").wait_for(timeout=30_000)
        after = counts.inner_text()
        screenshot(page, shot)
        assert before.startswith("threshold 0.50:") and "(2 of 5 benign refused)" in before
        assert after.startswith("threshold 0.30:") and "(3 of 5 benign refused)" in after, after


class TestReferenceSolutions:
    """Run All with REFUSAL_LESSON_SOLUTIONS=1: the plots render as images."""

    @pytest.mark.parametrize("notebook", NOTEBOOKS, ids=lambda path: path.stem)
    def test_notebook_runs_clean_with_plots(self, solutions_lab, page, notebook):
        shot = SCREENSHOTS / "solutions" / f"{notebook.stem}.png"
        cells = run(page, solutions_lab, f"notebooks/{notebook.name}", shot)
        found = problems(cells)
        assert found == [], f"{notebook.name} (screenshot: {shot}):\n" + "\n".join(found)
        instructor_copy = ROOT / "solutions" / notebook.name
        if instructor_copy.exists():
            assert len(plot_cells(cells)) == stored_plot_cells(instructor_copy), (
                f"{notebook.name} shows plots in {len(plot_cells(cells))} cells, its executed "
                f"instructor copy in {stored_plot_cells(instructor_copy)} (screenshot: {shot})"
            )
        if notebook == NOTEBOOKS[0] and os.environ.get("UPDATE_LESSON_SCREENSHOT") == "1":
            README_SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, README_SCREENSHOT)


def test_every_server_stopped_cleanly_with_its_kernels():
    """Runs last: each pass's server is stopped by now, kernels and make included."""
    if not STARTED:
        pytest.skip("no server was started in this run")
    for server in STARTED:
        assert server.process.returncode is not None
        assert not group_alive(server.process.pid)
        assert processes_with(server.marker) == []
        assert server.stragglers == [], f"SIGTERM left these running: {server.stragglers}"

"""The lesson where students already are: Google Colab and a JupyterHub, simulated.

Both start from a fresh virtual environment that never saw this checkout:
the lesson's dependencies and what Colab preinstalls, a Jupyter kernel and
nbclient, and no ``refusal_lesson``.  One is made per run and shared.

* The hub: a copy of the student bundle in a folder, as nbgitpuller leaves
  it; every notebook runs top to bottom from ``notebooks/``, ``check()``
  included, and imports the package beside it.
* Colab: a kernel with a ``google.colab`` module loaded at start (Colab's
  kernel imports it too) in an empty working folder, and a local git
  repository holding the student bundle on its ``student`` branch in place of
  GitHub.  Notebook 1 runs top to bottom (its first cell twice), then the
  student's file is finished and ``check()`` passes, without a restart.
"""

import json
import os
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest

from refusal_lesson.commands import main
from refusal_lesson.colab import finish_setup, requirements
from refusal_lesson.launch_links import LESSON_FOLDER, PYPROJECT, STUDENT_BRANCH, repository
from notebook_build import parse_cells

ROOT = Path(__file__).resolve().parent.parent
SOLUTIONS = ROOT / "solutions" / "exercises.py"
COLAB_PREINSTALLED = ("numpy", "pandas", "scikit-learn", "matplotlib", "ipywidgets")
KERNEL_TOOLS = ("ipykernel", "nbclient", "nbformat")
FIRST_NOTEBOOK = "01-two-ways-to-fail"
EDIT_LINE = (
    f"Edit {LESSON_FOLDER}/refusal_lesson/exercises.py (Files panel, on the left) and download it before "
    "this session ends: Colab deletes it."
)

# Runs in the fresh environment: each notebook in a new kernel, in its folder.
DRIVER = """
import json, sys
import nbformat
from nbclient import NotebookClient

for source, target, cwd in json.loads(sys.argv[1]):
    notebook = nbformat.read(source, as_version=4)
    NotebookClient(notebook, timeout=120, kernel_name="python3", resources={"metadata": {"path": cwd}}).execute()
    nbformat.write(notebook, target)
"""


def first_code_cell(stem):
    text = (ROOT / "tools" / "notebooks" / f"{stem}.py").read_text(encoding="utf-8")
    return next(source for kind, source in parse_cells(text) if kind == "code")


@pytest.fixture(scope="module")
def bare_python(tmp_path_factory):
    """A fresh environment's Python: what Colab preinstalls and the lesson needs, no refusal_lesson."""
    folder = tmp_path_factory.mktemp("bare-python")
    venv.EnvBuilder(with_pip=True).create(folder)
    python = folder / "bin" / "python"
    wanted = sorted({*COLAB_PREINSTALLED, *requirements(PYPROJECT), *KERNEL_TOOLS})
    installed = subprocess.run(
        [python, "-m", "pip", "install", "--quiet", "--no-compile", *wanted], capture_output=True, text=True, timeout=600, check=False
    )
    assert installed.returncode == 0, installed.stderr[-3000:]
    (folder / "driver.py").write_text(DRIVER, encoding="utf-8")
    found = subprocess.run([python, "-c", "import refusal_lesson"], cwd=folder, capture_output=True, check=False)
    assert found.returncode != 0, "the fresh environment must not see refusal_lesson"
    return python


@pytest.fixture(scope="module")
def bundle(tmp_path_factory):
    target = tmp_path_factory.mktemp("release") / "bundle"
    assert main(["release", str(target)]) == 0
    return target


def run_notebooks(python, runs, env=()):
    """Execute ``(notebook, cwd)`` pairs in fresh kernels of ``python``; return the executed notebooks."""
    jobs = [(str(notebook), str(notebook.with_suffix(".out.ipynb")), str(cwd)) for notebook, cwd in runs]
    environment = {
        key: value
        for key, value in os.environ.items()
        if key not in ("PYTHONPATH", "VIRTUAL_ENV", "REFUSAL_LESSON_SOLUTIONS") and not key.startswith("JUPYTER")
    }
    environment.update(env)
    done = subprocess.run(
        [python, python.parent.parent / "driver.py", json.dumps(jobs)],
        env=environment, capture_output=True, text=True, timeout=300, check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return [nbformat.read(target, as_version=4) for _, target, _ in jobs]


def text_outputs(cell):
    return "".join(output.get("text", "") + output.get("data", {}).get("text/plain", "") for output in cell.outputs)


def code_cell(source):
    return {"cell_type": "code", "metadata": {}, "source": source, "outputs": [], "execution_count": None}


def test_every_notebook_has_the_same_set_up_cell_first():
    stems = sorted(path.stem for path in (ROOT / "tools" / "notebooks").glob("*.py"))
    assert len({first_code_cell(stem) for stem in stems}) == 1
    assert f'"{repository()}"' in first_code_cell(FIRST_NOTEBOOK)
    assert f'"--branch={STUDENT_BRANCH}"' in first_code_cell(FIRST_NOTEBOOK)


def test_the_set_up_cell_does_nothing_where_the_lesson_is_installed():
    """On a laptop (make lab) or Binder: no output, no change to sys.path."""
    probe = f"import sys\nbefore = list(sys.path)\n{first_code_cell(FIRST_NOTEBOOK)}\nprint(sys.path == before)\n"
    done = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT / "notebooks", capture_output=True, text=True, timeout=60, check=True
    )
    assert done.stdout == "True\n"


def test_on_a_hub_every_notebook_runs_from_a_bundle_folder(bare_python, bundle):
    notebooks = sorted((bundle / "notebooks").glob("*.ipynb"))
    probe = bundle / "probe.ipynb"
    first = json.loads(notebooks[0].read_text(encoding="utf-8"))
    first["cells"].append(code_cell("import refusal_lesson\nprint(refusal_lesson.__file__)"))
    probe.write_text(json.dumps(first), encoding="utf-8")
    executed = run_notebooks(bare_python, [(probe, bundle / "notebooks"), *((path, path.parent) for path in notebooks[1:])])
    assert len(executed) == len(notebooks)
    assert text_outputs(executed[0].cells[-1]).strip() == str(bundle / "refusal_lesson" / "__init__.py")
    checks = [text_outputs(cell) for cell in executed[0].cells if 'check("refusal_metrics")' in cell.source]
    assert checks and all("refusal_metrics: not attempted yet" in output for output in checks)


@pytest.fixture
def github_stand_in(bundle, tmp_path):
    """A git repository holding the bundle on its student branch, as `refusal-lesson release` and git push leave it."""
    published = tmp_path / "published"
    shutil.copytree(bundle, published)
    git = ["git", "-c", "user.name=Instructor", "-c", "user.email=instructor@example.org", "-C", str(published)]
    for command in (["init", "--quiet", f"--initial-branch={STUDENT_BRANCH}"], ["add", "--all"],
                    ["commit", "--quiet", "--message", "Student bundle"]):
        subprocess.run([*git, *command], check=True, timeout=60)
    return f"file://{published}"


def colab_kernel_env(tmp_path):
    """A ``google.colab`` module on the path, imported at kernel start as on Colab."""
    stub = tmp_path / "colab-stub" / "google" / "colab"
    stub.mkdir(parents=True)
    (stub.parent / "__init__.py").write_text("", encoding="utf-8")
    (stub / "__init__.py").write_text('"""Stands in for Google Colab\'s own module."""\n', encoding="utf-8")
    startup = tmp_path / "ipython" / "profile_default" / "startup"
    startup.mkdir(parents=True)
    (startup / "00-colab.py").write_text("import google.colab\n", encoding="utf-8")
    return {"PYTHONPATH": str(tmp_path / "colab-stub"), "IPYTHONDIR": str(tmp_path / "ipython")}


def test_on_colab_the_first_cell_fetches_the_lesson_and_check_works(bare_python, bundle, github_stand_in, tmp_path):
    notebook = json.loads((bundle / "notebooks" / f"{FIRST_NOTEBOOK}.ipynb").read_text(encoding="utf-8"))
    set_up = next(index for index, cell in enumerate(notebook["cells"]) if cell["cell_type"] == "code")
    source = "".join(notebook["cells"][set_up]["source"])
    assert repository() in source
    notebook["cells"][set_up]["source"] = source.replace(repository(), github_stand_in)
    # Run twice, as a student will: the second run must not fetch again.
    notebook["cells"].insert(set_up + 1, dict(notebook["cells"][set_up]))
    lesson = tmp_path / "content" / LESSON_FOLDER
    notebook["cells"] += [
        code_cell("import refusal_lesson\nprint(refusal_lesson.__file__)"),
        # The student saves a finished exercises.py over the stub...
        code_cell(f"import shutil\nshutil.copyfile({str(SOLUTIONS)!r}, {str(lesson / 'refusal_lesson' / 'exercises.py')!r})"),
        # ...and, with no restart, the notebook and check() see it.
        code_cell("print(refusal_lesson.refusal_metrics(refusal_lesson.SCORES, refusal_lesson.LABELS, 0.5))"),
        code_cell('from refusal_lesson import check\ncheck("refusal_metrics")'),
    ]
    (tmp_path / "content").mkdir()
    path = tmp_path / "colab.ipynb"
    path.write_text(json.dumps(notebook), encoding="utf-8")

    cells = run_notebooks(bare_python, [(path, tmp_path / "content")], env=colab_kernel_env(tmp_path))[0].cells

    assert text_outputs(cells[set_up]) == text_outputs(cells[set_up + 1]) == EDIT_LINE + "\n"
    assert text_outputs(cells[-4]).strip() == str(lesson / "refusal_lesson" / "__init__.py")
    assert "'precision':" in text_outputs(cells[-2])
    assert "All public checks pass." in text_outputs(cells[-1])
    stub_checks = [text_outputs(cell) for cell in cells[:-4] if 'check("refusal_metrics")' in cell.source]
    assert stub_checks and all("not attempted yet" in output for output in stub_checks)


def test_finish_setup_only_says_which_file_to_edit_when_nothing_is_missing(tmp_path, capsys):
    lesson = tmp_path / LESSON_FOLDER
    lesson.mkdir()
    (lesson / "pyproject.toml").write_text('[project]\ndependencies = ["numpy>=1.0"]\n', encoding="utf-8")
    finish_setup(lesson)
    assert capsys.readouterr().out == EDIT_LINE + "\n"


def test_finish_setup_says_what_pip_could_not_install(tmp_path):
    lesson = tmp_path / LESSON_FOLDER
    lesson.mkdir()
    (lesson / "pyproject.toml").write_text('[project]\ndependencies = ["no-such-distribution-ab12>=1"]\n', encoding="utf-8")
    with pytest.raises(RuntimeError, match=r"^pip could not install no-such-distribution-ab12>=1 \(.+\); run this"):
        finish_setup(lesson)

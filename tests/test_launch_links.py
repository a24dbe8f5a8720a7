"""Every launch link follows the one setting, and opens a notebook that exists.

The setting is ``Repository`` under ``[project.urls]`` in pyproject.toml
(``refusal_lesson.launch_links``); the links are the Binder and Colab badges,
the hub's nbgitpuller link and the publish command in the README and docs/,
and each notebook's Colab badge and clone URL.
"""

import re
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

import nbformat
import pytest
from project import ROOT, project
from test_packaging import requirement_names

from refusal_lesson.launch_links import (
    STUDENT_BRANCH,
    binder_url,
    colab_url,
    hub_url,
    relink,
    repository,
)

DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
SOURCES = sorted((ROOT / "tools" / "notebooks").glob("*.py"))
NOTEBOOKS = sorted(f"notebooks/{path.stem}.ipynb" for path in SOURCES)
BINDER = re.compile(r"https://mybinder\.org/v2/[^\s)\"'>]+")
COLAB = re.compile(r"https://colab\.research\.google\.com/github/[^\s)\"'>]+")
HUB = re.compile(r"https://\S+/git-pull\?\S+")
GIT_REMOTE = re.compile(r"^git (?:push|clone)\b.*?(https://github\.com/\S+)", re.M)
CLONE_IN_CELL = re.compile(r'"(https://github\.com/[^"]+)"')
COLAB_BADGE = "https://colab.research.google.com/assets/colab-badge.svg"


def launch_links(text, url):
    """``(found, expected)`` for every launch link in ``text``, ``expected`` built from the setting ``url``."""
    pairs = []
    for link in BINDER.findall(text):
        pairs.append((link, binder_url(unquote(parse_qs(urlsplit(link).query)["labpath"][0]), url)))
    for link in COLAB.findall(text):
        pairs.append((link, colab_url(link.split(f"/blob/{STUDENT_BRANCH}/", 1)[-1], url)))
    for link in HUB.findall(text):
        hub = link.split("/hub/", 1)[0]
        notebook = parse_qs(urlsplit(link).query)["urlpath"][0].split("/", 3)[-1]
        pairs.append((link, hub_url(hub, notebook, url)))
    for remote in [*GIT_REMOTE.findall(text), *CLONE_IN_CELL.findall(text)]:
        pairs.append((remote, url))
    return pairs


def linked_texts():
    texts = {path.relative_to(ROOT).as_posix(): path.read_text(encoding="utf-8") for path in DOCS + SOURCES}
    for notebook in NOTEBOOKS:
        cells = nbformat.read(ROOT / notebook, as_version=4).cells
        texts[notebook] = "\n".join(cell.source for cell in cells)
    return texts


@pytest.mark.parametrize(("name", "text"), sorted(linked_texts().items()))
def test_every_launch_link_follows_the_setting(name, text):
    pairs = launch_links(text, repository())
    assert pairs, f"{name} holds no launch link"
    assert [found for found, expected in pairs if found != expected] == []


def test_every_link_opens_a_notebook_that_exists():
    opened = {
        unquote(link.split("labpath=")[-1]) if "labpath=" in link else link.split(f"/{STUDENT_BRANCH}/", 1)[-1]
        for text in linked_texts().values()
        for link in BINDER.findall(text) + COLAB.findall(text)
    }
    assert opened and all((ROOT / path).is_file() for path in opened), opened


@pytest.mark.parametrize("doc", ["README.md", "docs/student-guide.md"])
def test_readme_and_student_guide_have_a_colab_badge_per_notebook(doc):
    text = (ROOT / doc).read_text(encoding="utf-8")
    for notebook in NOTEBOOKS:
        assert f"({COLAB_BADGE})]({colab_url(notebook, repository())})" in text, notebook


@pytest.mark.parametrize("notebook", NOTEBOOKS)
def test_each_notebook_opens_with_its_own_colab_badge(notebook):
    first = nbformat.read(ROOT / notebook, as_version=4).cells[0]
    assert first.cell_type == "markdown"
    assert f"({COLAB_BADGE})]({colab_url(notebook, repository())})" in first.source


def test_the_setting_is_the_projects_repository_url():
    assert repository() == project()["urls"]["Repository"]


def test_relinking_points_every_launch_link_at_a_fork():
    fork = "https://github.com/some-course/refusal-lesson-fork"
    for name, text in linked_texts().items():
        pairs = launch_links(relink(text, repository(), fork), fork)
        assert [found for found, expected in pairs if found != expected] == [], name


def test_relinking_leaves_other_repositories_alone():
    text = "https://github.com/refusal-lesson/refusal-lesson-extras and https://github.com/other/refusal-lesson"
    assert relink(text, "https://github.com/refusal-lesson/refusal-lesson", "https://github.com/me/fork") == text


def test_hub_image_recipe_lists_the_lessons_requirements():
    """The instructor guide's list for a hub image: the dependencies and JupyterLab, never the lesson."""
    guide = (ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8")
    hub = guide[guide.index("**JupyterHub.**") :]
    block = re.search(r"```text\n(.*?)```", hub, re.S).group(1)
    listed = {line.strip() for line in block.splitlines() if line.strip()}
    wanted = {*project()["dependencies"], *project()["optional-dependencies"]["lab"], "nbgitpuller"}
    assert listed == {spec.replace(" ", "") for spec in requirement_names(wanted).values()}
    assert "refusal-lesson" not in listed and not any(line.startswith((".", "-e")) for line in listed)


def test_clone_url_in_cell_is_found():
    """The checks above read the clone URL out of each notebook's first code cell."""
    cell = Path(SOURCES[0]).read_text(encoding="utf-8")
    assert CLONE_IN_CELL.findall(cell) == [repository()]

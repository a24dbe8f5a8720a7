"""The Binder badge builds the lesson's own environment and opens notebooks that exist.

repo2docker (what Binder runs) reads its configuration from ``binder/``, else
``.binder/``, else the repository root; with an ``environment.yml`` there it
builds that conda environment.  A pip requirement that points into the
repository (``-e .``) makes it copy the repository before installing, so the
package is installed from the checkout itself.
"""

import re
from urllib.parse import parse_qs, unquote, urlsplit

import pytest
from project import ROOT, project, tomllib

BINDER_URL = re.compile(r"https://mybinder\.org/v2/[^\s)\"'>]+")


def binder_config_dir():
    return next((ROOT / name for name in ("binder", ".binder") if (ROOT / name).is_dir()), ROOT)


def pip_requirements(environment_yml):
    """The lines of the ``pip:`` list in a conda environment file."""
    lines = environment_yml.read_text(encoding="utf-8").splitlines()
    start = next(index for index, line in enumerate(lines) if line.strip() == "- pip:") + 1
    items = []
    for line in lines[start:]:
        if not re.match(r"^\s{4,}- ", line):
            break
        items.append(line.strip()[2:].split("#")[0].strip())
    return items



def binder_urls():
    docs = [ROOT / "README.md", *(ROOT / "docs").rglob("*.md")]
    return sorted({url for doc in docs for url in BINDER_URL.findall(doc.read_text(encoding="utf-8"))})


def opened_paths(url):
    """The repository files a Binder URL opens (labpath, urlpath or filepath)."""
    query = parse_qs(urlsplit(url).query)
    paths = [unquote(value) for key in ("labpath", "filepath") for value in query.get(key, [])]
    paths += [re.sub(r"^/?(lab|tree|notebooks)/(tree/)?", "", unquote(value)) for value in query.get("urlpath", [])]
    return paths


def test_binder_builds_from_an_environment_file():
    assert (binder_config_dir() / "environment.yml").is_file()


def test_binder_environment_installs_this_package():
    environment_yml = binder_config_dir() / "environment.yml"
    local = []
    for requirement in pip_requirements(environment_yml):
        target = requirement.removeprefix("-e").strip()
        if target.startswith("."):
            local.append((environment_yml.parent / target).resolve())
    assert local, f"{environment_yml.name} installs no package from the repository"
    names = {
        tomllib.loads((path / "pyproject.toml").read_text(encoding="utf-8"))["project"]["name"] for path in local
    }
    assert project()["name"] == "refusal-lesson"
    assert "refusal-lesson" in names


def test_readme_has_a_binder_badge():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert re.search(r"\[!\[[^\]]*\]\(https://mybinder\.org/badge_logo\.svg\)\]\(https://mybinder\.org/v2/", readme)


@pytest.mark.parametrize("url", binder_urls())
def test_binder_url_opens_notebooks_of_this_repository(url):
    owner_repo = urlsplit(project()["urls"]["Repository"]).path.strip("/")
    assert urlsplit(url).path.startswith(f"/v2/gh/{owner_repo}/"), url
    paths = opened_paths(url)
    assert paths, f"{url} opens no file"
    for path in paths:
        assert path.endswith(".ipynb") and (ROOT / path).is_file(), f"{url} opens {path}, which does not exist"


def test_readme_badge_opens_the_first_notebook():
    first = re.search(r"^FIRST_NOTEBOOK := (\S+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), re.M).group(1)
    readme_urls = BINDER_URL.findall((ROOT / "README.md").read_text(encoding="utf-8"))
    assert first in opened_paths(readme_urls[0])

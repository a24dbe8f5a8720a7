"""Where students get the lesson, and the links that open it there.

One setting names the place: ``Repository`` under ``[project.urls]`` in
``pyproject.toml``, a GitHub repository.  Its ``student`` branch holds the
student bundle (what ``refusal-lesson release`` writes) and nothing else, and
every route opens that branch:

* Binder builds it and opens a notebook in JupyterLab;
* Colab opens a notebook from it, and the notebook's first cell clones it;
* a JupyterHub pulls it into each student's home folder with nbgitpuller.

The docs and notebooks hold these links as plain text, so that they read well
on GitHub; ``tests/test_launch_links.py`` holds every one of them to the
functions here, and ``tools/set_repository.py`` rewrites them all when the
setting changes.
"""

import re
from pathlib import Path
from urllib.parse import quote

STUDENT_BRANCH = "student"
# The folder the bundle lands in on Colab (under /content) and on a hub (in
# the student's home), whatever the repository is called.
LESSON_FOLDER = "refusal-lesson"
GITHUB_REPOSITORY = re.compile(r"https://github\.com/(?P<path>[\w.-]+/[\w.-]+?)(?:\.git)?/?")
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def repository_path(url):
    """``OWNER/NAME`` of a GitHub repository URL.

    Raises
    ------
    ValueError
        If ``url`` is not ``https://github.com/OWNER/NAME``.

    Examples
    --------
    >>> repository_path("https://github.com/refusal-lesson/refusal-lesson")
    'refusal-lesson/refusal-lesson'
    >>> repository_path("github.com/me")
    Traceback (most recent call last):
    ...
    ValueError: 'github.com/me' is not a GitHub repository URL; write it as https://github.com/OWNER/NAME.
    """
    match = GITHUB_REPOSITORY.fullmatch(str(url).strip())
    if match is None:
        raise ValueError(f"{url!r} is not a GitHub repository URL; write it as https://github.com/OWNER/NAME.")
    return match["path"]


def repository(pyproject=PYPROJECT):
    """The setting: the GitHub repository whose ``student`` branch students get.

    Parameters
    ----------
    pyproject : path-like, optional
        The checkout's ``pyproject.toml``.

    Returns
    -------
    str
        ``https://github.com/OWNER/NAME``.

    Examples
    --------
    >>> repository().startswith("https://github.com/")
    True
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10; tomli comes with the test tools
        import tomli as tomllib

    try:
        url = tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]["urls"]["Repository"]
    except KeyError:
        raise ValueError(
            f"{pyproject} has no Repository under [project.urls]; add the GitHub URL students get the lesson from."
        ) from None
    return f"https://github.com/{repository_path(url)}"


def binder_url(notebook, url):
    """The Binder link that opens ``notebook`` (a path in the bundle) from the student branch.

    Examples
    --------
    >>> binder_url("notebooks/01-two-ways-to-fail.ipynb", "https://github.com/me/lesson")
    'https://mybinder.org/v2/gh/me/lesson/student?labpath=notebooks%2F01-two-ways-to-fail.ipynb'
    """
    return f"https://mybinder.org/v2/gh/{repository_path(url)}/{STUDENT_BRANCH}?labpath={quote(notebook, safe='')}"


def colab_url(notebook, url):
    """The Colab link that opens ``notebook`` from the student branch.

    Examples
    --------
    >>> colab_url("notebooks/01-two-ways-to-fail.ipynb", "https://github.com/me/lesson")
    'https://colab.research.google.com/github/me/lesson/blob/student/notebooks/01-two-ways-to-fail.ipynb'
    """
    return f"https://colab.research.google.com/github/{repository_path(url)}/blob/{STUDENT_BRANCH}/{notebook}"


def hub_url(hub, notebook, url):
    """The nbgitpuller link that pulls the student branch into a hub user's home and opens ``notebook``.

    Examples
    --------
    >>> hub_url("https://HUB", "notebooks/01-two-ways-to-fail.ipynb", "https://github.com/me/lesson")
    'https://HUB/hub/user-redirect/git-pull?repo=https://github.com/me/lesson&branch=student&targetPath=refusal-lesson&urlpath=lab/tree/refusal-lesson/notebooks/01-two-ways-to-fail.ipynb'
    """
    return (
        f"{hub}/hub/user-redirect/git-pull?repo=https://github.com/{repository_path(url)}"
        f"&branch={STUDENT_BRANCH}&targetPath={LESSON_FOLDER}&urlpath=lab/tree/{LESSON_FOLDER}/{notebook}"
    )


def relink(text, old, new):
    """``text`` with every link to the repository ``old`` pointed at ``new`` instead.

    Parameters
    ----------
    text : str
    old, new : str
        GitHub repository URLs.

    Examples
    --------
    >>> relink("[b](https://mybinder.org/v2/gh/a/b/student?labpath=x), https://github.com/a/bc",
    ...        "https://github.com/a/b", "https://github.com/me/lesson")
    '[b](https://mybinder.org/v2/gh/me/lesson/student?labpath=x), https://github.com/a/bc'
    """
    pattern = rf"(github\.com/|/v2/gh/|\.com/github/){re.escape(repository_path(old))}(?![\w.-])"
    return re.sub(pattern, lambda link: link[1] + repository_path(new), text)

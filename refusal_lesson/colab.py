"""The end of each notebook's first cell on Google Colab, once the lesson is fetched.

The cell itself clones the student bundle and puts it on ``sys.path`` (this
module cannot do that: it arrives with the clone).  What is left is here:
install the few requirements Colab may lack (it comes with NumPy, pandas,
scikit-learn, matplotlib and ipywidgets, so usually none) and tell the
student which file to edit, and that Colab deletes it when the session ends.
"""

import importlib
import importlib.metadata
import subprocess
import sys
from pathlib import Path


def requirements(pyproject):
    """The ``[project]`` dependencies of a ``pyproject.toml``.

    Examples
    --------
    >>> from refusal_lesson.launch_links import PYPROJECT
    >>> any(requirement.startswith("numpy") for requirement in requirements(PYPROJECT))
    True
    """
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10; Colab runs a newer one
        import tomli as tomllib

    return tomllib.loads(Path(pyproject).read_text(encoding="utf-8"))["project"]["dependencies"]


def missing_requirements(wanted):
    """The requirements in ``wanted`` that this Python does not meet.

    A requirement is met when its distribution is installed at a version its
    specifier allows; one whose environment marker is false is never missing.

    Examples
    --------
    >>> missing_requirements(["numpy>=1.0", "numpy>=999", "no-such-distribution", "numpy<1; python_version < '3'"])
    ['numpy>=999', 'no-such-distribution']
    """
    from packaging.requirements import Requirement

    missing = []
    for text in wanted:
        requirement = Requirement(text)
        if requirement.marker is not None and not requirement.marker.evaluate():
            continue
        try:
            installed = importlib.metadata.version(requirement.name)
        except importlib.metadata.PackageNotFoundError:
            missing.append(text)
            continue
        if not requirement.specifier.contains(installed, prereleases=True):
            missing.append(text)
    return missing


def _imported_already(wanted):
    """Whether a module of one of these distributions is loaded (a new version needs a restart)."""
    from packaging.requirements import Requirement

    names = {Requirement(text).name.lower().replace("_", "-") for text in wanted}
    providers = importlib.metadata.packages_distributions()
    return any(
        module.split(".")[0] in sys.modules
        for module, distributions in providers.items()
        if names & {distribution.lower().replace("_", "-") for distribution in distributions}
    )


def finish_setup(lesson):
    """Install what this session lacks, then say in one line which file to edit.

    Parameters
    ----------
    lesson : path-like
        The fetched student bundle, in Colab's working folder.

    Raises
    ------
    RuntimeError
        If pip cannot install a missing requirement; the message says why.
    """
    lesson = Path(lesson)
    missing = missing_requirements(requirements(lesson / "pyproject.toml"))
    if missing:
        restart = _imported_already(missing)
        print(f"Installing {', '.join(missing)} (once a session).")
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "--quiet", *missing], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            reason = (done.stderr.strip().splitlines() or ["no message"])[-1]
            raise RuntimeError(f"pip could not install {', '.join(missing)} ({reason}); run this cell again.")
        importlib.invalidate_caches()
        if restart:
            print("Now choose Runtime > Restart session, then run this cell again.")
            return
    print(
        f"Edit {lesson.name}/refusal_lesson/exercises.py (Files panel, on the left) and download it before "
        "this session ends: Colab deletes it."
    )

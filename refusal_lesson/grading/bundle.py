"""Build what leaves the instructor's hands: a Gradescope autograder and the student bundle.

Both are built from the source checkout, by allow-list, so nothing lands in
them by accident:

* the autograder zip holds the package (hidden checks included), its
  ``pyproject.toml`` and README, and Gradescope's ``setup.sh`` and
  ``run_autograder``; never ``solutions/``.  ``setup.sh`` installs only the
  package's core dependencies (no JupyterLab: see SPEC section 6);
* the student bundle holds the notebooks, the package without what only an
  instructor runs (the hidden checks, the commands that build bundles, and
  their templates), the set-up files and the licenses; never ``solutions/``.  Its
  README is the student guide and its Makefile has only the student's
  commands, so nothing in it points at what the bundle leaves out.

Both carry ``refusal_lesson/exercises.py`` as generated from the solutions
(:mod:`.stubs`), never the working copy's file, which an instructor may
have solved to try the lesson.
"""

import io
import posixpath
import re
import shutil
import stat
import zipfile
from pathlib import Path

from .files import write_file
from .stubs import SOLUTIONS, STUBS, generated_stubs

PACKAGE = Path(__file__).resolve().parent.parent
ROOT = PACKAGE.parent
HIDDEN = Path("refusal_lesson") / "grading" / "hidden.py"
# What only an instructor runs stays out of the student bundle: the hidden
# checks, the commands that build what leaves the instructor's hands, and
# what those ship. The student's CLI then offers evaluate and grade alone.
INSTRUCTOR_ONLY = (
    HIDDEN,
    *(Path("refusal_lesson") / "commands" / f"{name}.py" for name in ("autograder", "release", "prairielearn")),
    *(Path("refusal_lesson") / "grading" / f"{name}.py" for name in ("bundle", "gradescope", "prairielearn", "stubs")),
    Path("refusal_lesson") / "templates",
)
SKIPPED_PARTS = {"__pycache__", ".ipynb_checkpoints"}
# The licenses travel with the code and the content (CC BY asks for its notice),
# and pyproject.toml's license-files must be there for pip to build the package.
PROJECT_FILES = ("pyproject.toml", "README.md", "LICENSE", "LICENSE-CONTENT.md")
STUDENT_GUIDE = "docs/student-guide.md"
# README.md and Makefile are written for the bundle (student_pages), not copied.
RELEASE_FILES = ("pyproject.toml", "LICENSE", "LICENSE-CONTENT.md", "environment.yml", "CITATION.cff", "answers.md")
RELEASE_FOLDERS = ("notebooks", "refusal_lesson")
LICENSE_HEADING = "## License and citation"
# A Markdown link or image target that is neither a URL nor an anchor.
RELATIVE_LINK = re.compile(r"(\]\()(?![a-z][a-z0-9+.-]*:|#)([^)\s]+)")

# Files shipped as they are, kept as files under refusal_lesson/templates/:
# student/Makefile is the repository's Makefile without what needs tests/,
# solutions/ or Chromium (tests/test_release.py compares the two files'
# `make -n` output, so a change to one that the other lacks fails a test);
# gradescope/setup.sh and run_autograder take their root from AUTOGRADER_ROOT
# (Gradescope's /autograder when unset), so tests/test_grading_platforms.py
# can run them in a scratch folder laid out the same way.
TEMPLATES = PACKAGE / "templates"
# Where run_autograder takes the grading options baked into the zip.
OPTIONS_SLOT = "@OPTIONS@"


def template(name):
    """The bytes of the template file ``name``, a path under ``refusal_lesson/templates/``.

    Examples
    --------
    >>> template("gradescope/setup.sh").startswith(b"#!/usr/bin/env bash")
    True
    """
    return (TEMPLATES / name).read_bytes()


def _source_files(folder):
    """Files under ``folder`` (relative to the checkout), caches left out."""
    for path in sorted((ROOT / folder).rglob("*")):
        relative = path.relative_to(ROOT)
        if path.is_file() and not SKIPPED_PARTS & set(relative.parts) and not relative.name.endswith(".pyc"):
            yield relative


def _require_checkout(names=PROJECT_FILES):
    missing = [name for name in names if not (ROOT / name).is_file()]
    if missing:
        raise ValueError(
            f"{ROOT} has no {', '.join(missing)}; build from a source checkout of refusal-lesson "
            "(git clone, then pip install -e .)."
        )


def package_files():
    """``{path: bytes}`` of the package as a grader ships it: hidden checks in, solutions never.

    ``refusal_lesson/exercises.py`` is the stub generated from the solutions.

    Examples
    --------
    >>> files = package_files()
    >>> "refusal_lesson/grading/hidden.py" in files, any("solutions" in name for name in files)
    (True, False)
    """
    _require_checkout((*PROJECT_FILES, SOLUTIONS.as_posix()))
    files = {relative.as_posix(): (ROOT / relative).read_bytes() for relative in _source_files("refusal_lesson")}
    files[STUBS.as_posix()] = generated_stubs(ROOT).encode()
    return files


def autograder_files(options):
    """``{path in the zip: bytes}`` for the Gradescope autograder.

    Parameters
    ----------
    options : str
        Extra ``refusal-lesson grade`` options baked into ``run_autograder``.

    Examples
    --------
    >>> files = autograder_files("--seed 1")
    >>> "setup.sh" in files and not any(name.startswith("solutions/") for name in files)
    True
    """
    files = {name: (ROOT / name).read_bytes() for name in PROJECT_FILES}
    files.update(package_files())
    files["setup.sh"] = template("gradescope/setup.sh")
    files["run_autograder"] = template("gradescope/run_autograder").replace(OPTIONS_SLOT.encode(), options.encode())
    return files


def build_autograder(out_zip, options):
    """Write the Gradescope autograder zip to ``out_zip``; return its file count."""
    files = autograder_files(options)
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, data in sorted(files.items()):
            info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
            executable = name in ("setup.sh", "run_autograder")
            info.external_attr = (0o755 if executable else 0o644) << 16 | stat.S_IFREG << 16
            info.compress_type = zipfile.ZIP_DEFLATED
            bundle.writestr(info, data)
    # A zip is a few hundred kilobytes: built in memory, it replaces an old
    # one in one step, and a failure leaves neither half a zip nor a temporary.
    # The instructor names the folder, so a symlink to it (macOS's /tmp) is fine.
    out_zip = Path(out_zip)
    write_file(out_zip.parent.resolve() / out_zip.name, archive.getvalue())
    return len(files)


def require_empty(outdir):
    """``outdir`` as a Path, if it is new or an empty folder; nothing made before is ever overwritten.

    Raises
    ------
    ValueError
        If ``outdir`` is a file or a folder that holds anything.
    """
    outdir = Path(outdir)
    if outdir.exists() and (not outdir.is_dir() or any(outdir.iterdir())):
        raise ValueError(f"{outdir} is not an empty folder; choose a new or empty one (nothing was written).")
    return outdir


def release_files():
    """The checkout's paths copied into the student bundle, what only instructors run left out.

    Examples
    --------
    >>> paths = release_files()
    >>> HIDDEN in paths, any(path.parts[0] == "solutions" for path in paths)
    (False, False)
    """
    paths = [Path(name) for name in RELEASE_FILES if (ROOT / name).is_file()]
    for folder in RELEASE_FOLDERS:
        if (ROOT / folder).is_dir():
            paths += [path for path in _source_files(folder) if not _instructor_only(path)]
    return paths


def _instructor_only(path):
    return any(path == kept or kept in path.parents for kept in INSTRUCTOR_ONLY)


def _section(markdown, heading):
    """The section of ``markdown`` that starts at ``heading``, up to the next one."""
    start = markdown.find(f"\n{heading}\n") + 1
    if not start:
        raise ValueError(f"README.md has no '{heading}' section; restore it, since the student bundle copies it.")
    end = markdown.find("\n## ", start + len(heading))
    return markdown[start:] if end == -1 else markdown[start : end + 1]


def rebase_links(markdown, folder):
    """``markdown`` with its relative links, written from ``folder``, made relative to the top folder.

    Examples
    --------
    >>> rebase_links("[card](../refusal_lesson/data/DATA_CARD.md), [top](#top), [web](https://x.org/a)", "docs")
    '[card](refusal_lesson/data/DATA_CARD.md), [top](#top), [web](https://x.org/a)'
    """
    return RELATIVE_LINK.sub(lambda link: link[1] + posixpath.normpath(posixpath.join(folder, link[2])), markdown)


def student_readme():
    """The bundle's README.md: the student guide, then the README's licenses.

    The guide's links are rewritten from ``docs/`` to the bundle's top folder.

    Examples
    --------
    >>> readme = student_readme()
    >>> readme.startswith("# refusal-lesson\\n"), "make check" in readme, "solutions/" in readme
    (True, True, False)
    """
    guide = (ROOT / STUDENT_GUIDE).read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    body = rebase_links(guide.split("\n", 1)[1], posixpath.dirname(STUDENT_GUIDE))
    return f"{readme.splitlines()[0]}\n{body.rstrip()}\n\n{_section(readme, LICENSE_HEADING).rstrip()}\n"


def student_pages():
    """``{path: text}`` of the files written for the bundle rather than copied.

    Examples
    --------
    >>> sorted(student_pages())
    ['Makefile', 'README.md']
    """
    _require_checkout((*PROJECT_FILES, STUDENT_GUIDE))
    return {"README.md": student_readme(), "Makefile": template("student/Makefile").decode("utf-8")}


def build_release(outdir):
    """Copy the student bundle into ``outdir``, which must be new or empty.

    Returns
    -------
    int
        How many files were written.

    Raises
    ------
    ValueError
        If ``outdir`` exists and holds anything, or is a file.
    """
    _require_checkout((*PROJECT_FILES, SOLUTIONS.as_posix()))
    outdir = require_empty(outdir)
    pages = {**student_pages(), STUBS.as_posix(): generated_stubs(ROOT)}
    paths = [path for path in release_files() if path != STUBS]
    for relative in paths:
        target = outdir / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(ROOT / relative, target)
    for name, text in pages.items():
        (outdir / name).write_text(text, encoding="utf-8")
    return len(paths) + len(pages)

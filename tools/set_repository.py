"""Point the lesson's launch links at another GitHub repository, then rebuild the notebooks.

Usage: .venv/bin/python tools/set_repository.py https://github.com/OWNER/NAME

Rewrites the one setting (``Repository`` in pyproject.toml) and every link
that follows it: the Binder and Colab badges and the hub link in the README
and docs/, and the Colab badge and clone URL in each notebook's source.
CITATION.cff and LICENSE-CONTENT.md keep the original, which they credit.
See refusal_lesson/launch_links.py.
"""

import sys

from refusal_lesson.launch_links import relink, repository, repository_path
from notebook_build import ROOT, build


def linked_files(root):
    """The files that hold the setting or a link that follows it."""
    return [
        root / "pyproject.toml",
        root / "README.md",
        *sorted((root / "docs").glob("*.md")),
        *sorted((root / "tools" / "notebooks").glob("*.py")),
    ]


def main(arguments):
    if len(arguments) != 1:
        print(__doc__.splitlines()[2], file=sys.stderr)
        return 2
    try:
        new = f"https://github.com/{repository_path(arguments[0])}"
    except ValueError as error:
        print(error, file=sys.stderr)
        return 2
    root = ROOT
    old = repository(root / "pyproject.toml")
    changed = 0
    for path in linked_files(root):
        text = path.read_text(encoding="utf-8")
        if relink(text, old, new) != text:
            path.write_text(relink(text, old, new), encoding="utf-8")
            changed += 1
    print(f"Pointed {changed} files at {new}; rebuilding the notebooks.")
    build(root)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

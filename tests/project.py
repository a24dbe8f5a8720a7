"""The repository's own files, read once for the tests that check them."""

import sys
from pathlib import Path

if sys.version_info >= (3, 11):
    import tomllib
else:  # Python 3.10, which the package supports, has no tomllib yet.
    import tomli as tomllib

ROOT = Path(__file__).resolve().parent.parent


def project():
    """The ``[project]`` table of pyproject.toml."""
    return tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]

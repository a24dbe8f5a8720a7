"""The linter and the dead-code finder pass over the whole repository.

The rules and the folders read are in pyproject.toml ([tool.ruff] and
[tool.vulture]); tools/vulture_whitelist.py names what only a framework uses.
"""

import subprocess
import sys

from project import ROOT


def run(*command):
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_vulture_finds_no_unused_code():
    result = run("vulture")
    assert result.returncode == 0, result.stdout + result.stderr

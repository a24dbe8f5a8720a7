"""The linter and the dead-code finder pass over the whole repository.

ruff's rules are in pyproject.toml ([tool.ruff]). ruff cannot see a
function, class or constant that nothing uses; vulture does, over the
package, the tools, the notebook sources and the benchmarks. The tests are
left out on purpose, so code that only a test calls (as ``Sandbox.run`` and
``oracle.rounded`` were) counts as dead. tools/vulture_whitelist.py names
what only a framework uses, and the few functions kept for instructors that
only the tests call.
"""

import subprocess
import sys

from project import ROOT

# Read by vulture as one program; solutions/exercises.py stands in for the
# student file the notebooks call.
VULTURE_PATHS = ("refusal_lesson", "solutions/exercises.py", "tools", "benchmarks", "conftest.py")


def run(*command):
    return subprocess.run([sys.executable, "-m", *command], cwd=ROOT, capture_output=True, text=True)


def test_ruff_finds_nothing():
    result = run("ruff", "check", "--no-cache", "--output-format", "concise", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_vulture_finds_no_unused_code():
    result = run("vulture", "--min-confidence", "60", *VULTURE_PATHS)
    assert result.returncode == 0, result.stdout + result.stderr

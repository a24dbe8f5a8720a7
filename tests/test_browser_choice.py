"""Which browser the browser tests drive, and what happens when there is none.

``make test`` must pass on any machine with Python 3 and make: without a
Chromium the browser tests are skipped with one line saying how to enable
them, except under ``CI=true``, where they are required.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from labdriver import ENABLE_BROWSER_TESTS, no_browser, pick_browser

ROOT = Path(__file__).resolve().parent.parent


def executable(path, mode=0o755):
    path.write_text("#!/bin/sh\n", encoding="utf-8")
    path.chmod(mode)
    return str(path)


def test_debian_chromium_comes_before_playwrights(tmp_path):
    debian, playwright = executable(tmp_path / "chromium"), executable(tmp_path / "chrome")
    assert pick_browser([debian, playwright]) == debian
    assert pick_browser([str(tmp_path / "missing"), playwright]) == playwright


def test_a_file_that_cannot_run_is_no_browser(tmp_path):
    assert pick_browser([executable(tmp_path / "chromium", mode=0o644), None]) is None


@pytest.mark.parametrize("environ", [{}, {"CI": "false"}])
def test_without_a_browser_the_tests_skip_with_how_to_enable_them(environ):
    with pytest.raises(pytest.skip.Exception, match="apt-get install chromium.*playwright install chromium"):
        no_browser(environ)


@pytest.mark.parametrize("value", ["true", "TRUE", "1"])
def test_ci_requires_the_browser_tests(value):
    with pytest.raises(pytest.fail.Exception, match="CI requires"):
        no_browser({"CI": value})


def run_browser_module_without_a_browser(tmp_path, ci):
    """The browser module as `make test` runs it, on a machine with no Chromium at all."""
    (tmp_path / "no_chromium.py").write_text(
        f"import labdriver\nlabdriver.DEBIAN_CHROMIUM = {str(tmp_path / 'no-chromium')!r}\n", encoding="utf-8"
    )
    environment = {key: value for key, value in os.environ.items() if key != "CI"}
    environment.update(
        PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(tmp_path)]),
        # Playwright looks for its own browser here: an empty folder.
        PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "no-playwright-browsers"),
        **({"CI": "true"} if ci else {}),
    )
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no_chromium", "-k", "harness or stopped_cleanly",
         "tests/test_lesson_in_browser.py"],
        cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120, check=False,
    )


def test_the_browser_module_skips_with_one_line_without_a_browser(tmp_path):
    done = run_browser_module_without_a_browser(tmp_path, ci=False)
    assert done.returncode == 0, done.stdout + done.stderr
    assert f"browser tests skipped: no Chromium found; {ENABLE_BROWSER_TESTS}" in done.stdout.splitlines()
    assert " passed" not in done.stdout.splitlines()[-1] and "skipped" in done.stdout.splitlines()[-1]


def test_the_browser_module_fails_in_ci_without_a_browser(tmp_path):
    done = run_browser_module_without_a_browser(tmp_path, ci=True)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "which CI requires" in done.stdout

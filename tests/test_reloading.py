"""A saved edit reaches the notebook, and its crash shows the line that failed.

The test plays the student: a fresh IPython shell loads the notebooks'
extension, imports ``refusal_metrics``, then the stub is edited to divide by
zero on a known line and saved. The next call must be the new code, and the
traceback must point its arrow at that line (IPython's deduper reloader
pointed at the docstring instead: ipython/ipython#15359).
"""

import os
import re
import shutil
import subprocess
import sys
import textwrap

from project import ROOT

CRASH = "return 1 / 0  # the line the traceback must show"

SESSION = textwrap.dedent(
    """
    import os
    from pathlib import Path

    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance(colors="nocolor")
    shell.run_cell("%load_ext refusal_lesson.reloading")
    shell.run_cell("from refusal_lesson import refusal_metrics")
    path = Path("refusal_lesson/exercises.py")
    text = path.read_text(encoding="utf-8")
    start = text.index("raise NotImplementedError", text.index("def refusal_metrics"))
    end = text.index("\\n\\n", start)
    path.write_text(text[:start] + {crash!r} + text[end:], encoding="utf-8")
    # Saved "later", so the reloader sees a new modification time.
    stat = path.stat()
    os.utime(path, (stat.st_atime + 10, stat.st_mtime + 10))
    print("LINE", text[:start].count("\\n") + 1)
    shell.run_cell("refusal_metrics([0.5], ['refuse'], 0.5)")
    """
).format(crash=CRASH)


def test_an_edit_is_reloaded_and_its_crash_names_the_failing_line(tmp_path):
    shutil.copytree(ROOT / "refusal_lesson", tmp_path / "refusal_lesson", ignore=shutil.ignore_patterns("__pycache__"))
    # The copy comes first on the path, ahead of the editable install.
    environment = {**os.environ, "PYTHONPATH": str(tmp_path), "REFUSAL_LESSON_SOLUTIONS": "0"}
    result = subprocess.run(
        [sys.executable, "-c", SESSION], cwd=tmp_path, env=environment, capture_output=True, text=True, timeout=120
    )
    output = result.stdout
    line = int(output.split("LINE ")[1].split()[0])
    assert "ZeroDivisionError" in output, output
    assert f"File {tmp_path / 'refusal_lesson' / 'exercises.py'}:{line}," in output, output
    # IPython marks the failing line of each frame with an arrow, "---> 71".
    arrows = [text.split(">", 1)[1].split() for text in output.splitlines() if re.match(r"^-+> ", text)]
    assert arrows[-1] == [str(line), *CRASH.split()], output

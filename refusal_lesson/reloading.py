"""Pick up the student's saved edits, with tracebacks that name the failing line.

The notebooks load this as an IPython extension, ``%load_ext
refusal_lesson.reloading``. It turns on IPython's ``autoreload`` for
``refusal_lesson.exercises`` only (mode 1, ``%aimport``), so a saved edit
to ``exercises.py`` is used by the next cell without a kernel restart.

IPython 9 added a second reloader, the "deduper", which patches only the
functions that changed. After it patches a function, a traceback through
that function shows the wrong lines (the file's docstring instead of the
failing statement: ipython/ipython#15359). A student's first crash after an
edit is exactly when the right line matters, so the extension asks for the
classic reloader (``--full``) wherever IPython has the deduper; older
IPython has only the classic one.
"""

import importlib.util

EXERCISES = "refusal_lesson.exercises"


def autoreload_mode():
    """The ``%autoreload`` arguments: explicit mode, classic reloader.

    Returns
    -------
    str

    Examples
    --------
    >>> autoreload_mode() in ("1", "1 --full")
    True
    """
    has_deduper = importlib.util.find_spec("IPython.extensions.deduperreload") is not None
    return "1 --full" if has_deduper else "1"


def load_ipython_extension(shell):
    """Turn on autoreload for the exercises file in ``shell`` (IPython calls this).

    Parameters
    ----------
    shell : IPython.core.interactiveshell.InteractiveShell
    """
    shell.run_line_magic("load_ext", "autoreload")
    shell.run_line_magic("autoreload", autoreload_mode())
    shell.run_line_magic("aimport", EXERCISES)

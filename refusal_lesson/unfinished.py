"""Let a notebook run past an exercise the student has not written yet.

A fresh copy of the lesson must "Run All" without a traceback, yet some
cells use the student's own functions.  Such a cell wraps that use in
:func:`needs_exercise`: while the exercise is still the untouched stub, the
cell prints one friendly line instead of a traceback and the notebook goes
on.  Any other error, including one from the student's unfinished attempt,
still shows in full, because that is the feedback the student needs.
"""

import contextlib


@contextlib.contextmanager
def needs_exercise(name):
    """Skip the rest of a block, with one friendly line, while ``name`` is a stub.

    Parameters
    ----------
    name : str
        The exercise the block needs, as named in
        ``refusal_lesson/exercises.py`` (used in the message).

    Yields
    ------
    None

    Notes
    -----
    Only ``NotImplementedError`` is caught: that is what the stubs raise.
    Variables assigned inside the block before the stub was called keep
    their values; later ones are not set, so the cells after it should not
    rely on them.

    Examples
    --------
    >>> def stub():
    ...     raise NotImplementedError("not written yet")
    >>> with needs_exercise("refusal_metrics"):
    ...     stub()
    ...     print("never printed")
    This cell needs refusal_metrics, which is not written yet: write it in refusal_lesson/exercises.py, then run this cell again.
    >>> with needs_exercise("refusal_metrics"):
    ...     print("done")
    done
    """
    try:
        yield
    except NotImplementedError:
        print(
            f"This cell needs {name}, which is not written yet: "
            "write it in refusal_lesson/exercises.py, then run this cell again."
        )

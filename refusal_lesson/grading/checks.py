"""Which checks a grading run makes: the public ones, then the hidden ones where this copy has them."""

import os
import stat

from .definitions import graded_names, public_checks

SEED_FILE_BYTES = 64


def read_seed_file(path):
    """The hidden checks' seed, read from ``path``, a file no one but its owner may read.

    The seed is the one secret of the hidden checks: on a command line it
    shows in the process list, which a submission graded at the ``uid``
    level can read, so the autograder keeps it in a file of mode 0600.

    Raises
    ------
    ValueError
        If the file is missing, readable by others, or holds anything but a whole number.

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.NamedTemporaryFile("w", suffix=".seed") as handle:
    ...     _ = handle.write("42\\n"); handle.flush()
    ...     read_seed_file(handle.name)
    42
    """
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError as error:
        raise ValueError(f"--seed-file {path}: {error.strerror.lower()}; give a file that holds the seed.") from None
    with os.fdopen(fd, "rb") as stream:
        mode = os.fstat(stream.fileno()).st_mode
        text = stream.read(SEED_FILE_BYTES).decode("ascii", errors="replace").strip()
    if not stat.S_ISREG(mode) or mode & 0o077:
        raise ValueError(
            f"--seed-file {path} may be read by other users, and so by the submissions it grades; "
            f"run chmod 600 {path} first."
        )
    if not text.isdigit():
        raise ValueError(f"--seed-file {path} should hold one whole number, the seed; write only that number in it.")
    return int(text)


def grading_checks(seed=None, public_only=False):
    """The public checks, then the hidden ones when this copy has them.

    Returns
    -------
    checks : tuple of Check
    note : str or None
        Says so when the hidden checks are missing (a student bundle).

    Examples
    --------
    >>> checks, note = grading_checks(public_only=True)
    >>> note is None and all(not check.hidden for check in checks)
    True
    """
    checks = tuple(check for name in graded_names() for check in public_checks(name))
    if public_only:
        return checks, None
    try:
        from . import hidden
    except ImportError:
        return checks, "This copy of refusal-lesson has no hidden checks (a student bundle): public checks only."
    return checks + hidden.hidden_checks(hidden.DEFAULT_SEED if seed is None else seed), None

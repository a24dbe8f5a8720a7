"""Which checks a grading run makes: the public ones, then the hidden ones where this copy has them."""

from .definitions import graded_names, public_checks


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

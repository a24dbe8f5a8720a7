"""Input checks shared by the exercises, the sweep and the command line.

Every public function of the lesson calls these first, so a bad input gets the
same one-sentence ``ValueError`` wherever it enters.  Only NumPy is imported
here: the grader's child process stays lean when a submission reuses them.
"""

import math
import numbers

import numpy as np

REFUSE = "refuse"
ANSWER = "answer"


def _as_sequence(values, name):
    """Return ``values`` as a 1-D NumPy array, refusing strings and scalars."""
    if isinstance(values, (str, bytes)):
        raise ValueError(f"{name} must be a sequence, not a single string {values!r}.")
    if hasattr(values, "to_numpy"):
        values = values.to_numpy()
    try:
        array = np.asarray(values)
    except ValueError as error:
        raise ValueError(f"{name} must be a one-dimensional sequence ({error}).") from None
    if array.ndim != 1:
        raise ValueError(
            f"{name} must be a one-dimensional sequence; got an array of shape {array.shape}."
        )
    return array


def _item(values, position):
    """The caller's own element at ``position``, for error messages."""
    if hasattr(values, "iloc"):
        return values.iloc[position]
    return values[position]


def _is_real(value):
    return isinstance(value, (numbers.Real, np.bool_)) and not isinstance(value, (str, bytes))


def check_numbers(values, name="scores"):
    """Validate a sequence of real numbers and return it as a float array.

    Parameters
    ----------
    values : list, tuple, numpy.ndarray or pandas.Series
        One real number per element. Infinite values are allowed; NaN is not.
    name : str, default="scores"
        The argument's name, used in error messages.

    Returns
    -------
    numpy.ndarray of float64
        A 1-D array. The caller's object is never modified.

    Raises
    ------
    ValueError
        If ``values`` is not one-dimensional, holds something that is not a
        real number, or holds NaN. The message names the first bad position.

    Examples
    --------
    >>> check_numbers([0.2, 1, 0.75])
    array([0.2 , 1.  , 0.75])
    >>> check_numbers([0.2, "high"])
    Traceback (most recent call last):
    ...
    ValueError: scores[1] is 'high', which is not a number; every value in scores must be a real number.
    """
    array = _as_sequence(values, name)
    if array.dtype.kind not in "biuf":
        for position in range(len(array)):
            item = _item(values, position)
            if not _is_real(item):
                raise ValueError(
                    f"{name}[{position}] is {item!r}, which is not a number; "
                    f"every value in {name} must be a real number."
                )
    numbers_ = array.astype(np.float64, copy=False)
    missing = np.flatnonzero(np.isnan(numbers_))
    if missing.size:
        raise ValueError(
            f"{name}[{missing[0]}] is NaN; every value in {name} must be a real number "
            "(drop or fill the missing ones first)."
        )
    return numbers_


def check_labels(labels):
    """Validate labels and return a boolean array, True where the prompt is harmful.

    Parameters
    ----------
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        Each exactly ``"refuse"`` (harmful: the app should refuse) or
        ``"answer"`` (benign: the app should answer).

    Returns
    -------
    numpy.ndarray of bool
        ``True`` for ``"refuse"``.

    Raises
    ------
    ValueError
        If any label is not one of the two allowed strings; the message names
        the first offending value and its position.

    Examples
    --------
    >>> check_labels(["refuse", "answer"])
    array([ True, False])
    >>> check_labels(["refuse", "Refuse"])
    Traceback (most recent call last):
    ...
    ValueError: labels[1] is 'Refuse'; every label must be exactly 'refuse' or 'answer'.
    """
    array = _as_sequence(labels, "labels")
    if array.dtype.kind != "U":
        array = array.astype(object)
    harmful = np.asarray(array == REFUSE, dtype=bool)
    allowed = harmful | np.asarray(array == ANSWER, dtype=bool)
    if not allowed.all():
        position = int(np.argmin(allowed))
        raise ValueError(
            f"labels[{position}] is {_item(labels, position)!r}; "
            f"every label must be exactly {REFUSE!r} or {ANSWER!r}."
        )
    return harmful


def check_scores_labels(scores, labels):
    """Validate paired scores and labels.

    Parameters
    ----------
    scores : list, tuple, numpy.ndarray or pandas.Series
        One real risk score per prompt.
    labels : list, tuple, numpy.ndarray or pandas.Series of str
        One label per prompt, ``"refuse"`` or ``"answer"``.

    Returns
    -------
    scores : numpy.ndarray of float64
    harmful : numpy.ndarray of bool
        ``True`` where the label is ``"refuse"``.

    Raises
    ------
    ValueError
        If the lengths differ, or :func:`check_numbers` or
        :func:`check_labels` rejects its argument.

    Examples
    --------
    >>> scores, harmful = check_scores_labels([0.9, 0.1], ["refuse", "answer"])
    >>> harmful
    array([ True, False])
    >>> check_scores_labels([0.9, 0.1], ["refuse"])
    Traceback (most recent call last):
    ...
    ValueError: scores and labels must have the same length; got 2 scores and 1 labels.
    """
    score_array = check_numbers(scores, "scores")
    harmful = check_labels(labels)
    if len(score_array) != len(harmful):
        raise ValueError(
            "scores and labels must have the same length; "
            f"got {len(score_array)} scores and {len(harmful)} labels."
        )
    return score_array, harmful


def check_threshold(threshold, name="threshold"):
    """Validate one threshold and return it as a Python float.

    Parameters
    ----------
    threshold : real number
        The line: a prompt is refused when its score is greater than or
        equal to it. Infinite values are allowed; NaN is not.
    name : str, default="threshold"
        The argument's name, used in error messages.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``threshold`` is not a real number, or is NaN.

    Examples
    --------
    >>> check_threshold(0.5)
    0.5
    >>> check_threshold(float("nan"))
    Traceback (most recent call last):
    ...
    ValueError: threshold is NaN; pass a real number such as 0.5.
    """
    if not _is_real(threshold):
        raise ValueError(f"{name} is {threshold!r}, which is not a number; pass a real number such as 0.5.")
    value = float(threshold)
    if math.isnan(value):
        raise ValueError(f"{name} is NaN; pass a real number such as 0.5.")
    return value


def check_candidates(candidates):
    """Validate candidate thresholds and return them as a float array.

    Parameters
    ----------
    candidates : list, tuple, numpy.ndarray or pandas.Series
        At least one real number; any order, repeats allowed.

    Returns
    -------
    numpy.ndarray of float64

    Raises
    ------
    ValueError
        If there are no candidates, or one is not a real number or is NaN.

    Examples
    --------
    >>> check_candidates([0.5, 0.3, 0.5])
    array([0.5, 0.3, 0.5])
    >>> check_candidates([])
    Traceback (most recent call last):
    ...
    ValueError: candidates is empty; pass at least one threshold to try.
    """
    values = check_numbers(candidates, "candidates")
    if values.size == 0:
        raise ValueError("candidates is empty; pass at least one threshold to try.")
    return values


def _first_non_string(values, array, name):
    """Raise for the first element of ``values`` that is not a ``str``, naming it and its position."""
    # A list mixing strings and numbers becomes an array of strings, so only
    # the caller's own array can vouch for its elements by its dtype.
    if isinstance(values, np.ndarray) and array.dtype.kind == "U":
        return
    for position in range(len(array)):
        item = _item(values, position)
        if not isinstance(item, str):
            shown = "NaN" if isinstance(item, float) and math.isnan(item) else repr(item)
            raise ValueError(
                f"{name}[{position}] is {shown}, which is not a string; every label must be a string "
                "such as '2_full_refusal' (fill or drop the missing ones first)."
            )


def check_judges(judge_a, judge_b):
    """Validate two judges' labels for the same responses.

    Parameters
    ----------
    judge_a, judge_b : list, tuple, numpy.ndarray or pandas.Series of str
        One label per response, in the same order; any strings.

    Returns
    -------
    judge_a, judge_b : numpy.ndarray
        1-D arrays of the labels. The caller's objects are never modified.

    Raises
    ------
    ValueError
        If either is not one-dimensional, the lengths differ, there are no
        responses, or a label is not a string (None, NaN, a number); the
        message names the first bad label and its position.

    Examples
    --------
    >>> a, b = check_judges(["2_full_refusal", "1_full_compliance"], ("2_full_refusal", "2_full_refusal"))
    >>> len(a), len(b)
    (2, 2)
    >>> check_judges(["2_full_refusal"], ["2_full_refusal", "1_full_compliance"])
    Traceback (most recent call last):
    ...
    ValueError: judge_a and judge_b must label the same responses; got 1 labels from judge_a and 2 from judge_b.
    >>> check_judges(["2_full_refusal", None], ["2_full_refusal", "1_full_compliance"])
    Traceback (most recent call last):
    ...
    ValueError: judge_a[1] is None, which is not a string; every label must be a string such as '2_full_refusal' (fill or drop the missing ones first).
    """
    first, second = _as_sequence(judge_a, "judge_a"), _as_sequence(judge_b, "judge_b")
    if len(first) != len(second):
        raise ValueError(
            "judge_a and judge_b must label the same responses; "
            f"got {len(first)} labels from judge_a and {len(second)} from judge_b."
        )
    if len(first) == 0:
        raise ValueError("judge_a and judge_b are empty; pass at least one response's labels from each judge.")
    _first_non_string(judge_a, first, "judge_a")
    _first_non_string(judge_b, second, "judge_b")
    return first, second


def check_share(value, name):
    """Validate a share of something, strictly between 0 and 1, and return it as a float.

    Parameters
    ----------
    value : real number
        The share, such as the part of traffic that is harmful or an
        interval's confidence level.
    name : str
        The argument's name, used in error messages.

    Returns
    -------
    float
        The share, as a Python float.

    Raises
    ------
    ValueError
        If ``value`` is not a real number strictly between 0 and 1.

    Examples
    --------
    >>> check_share(0.01, "prevalence")
    0.01
    >>> check_share(5, "prevalence")
    Traceback (most recent call last):
    ...
    ValueError: prevalence is 5, which is not a share; pass a number strictly between 0 and 1, such as 0.05 for 5%.
    """
    if not _is_real(value) or not 0.0 < float(value) < 1.0:
        raise ValueError(
            f"{name} is {value!r}, which is not a share; pass a number strictly between 0 and 1, such as 0.05 for 5%."
        )
    return float(value)


def check_cost(value, name):
    """Validate what one error costs, a finite number of zero or more, and return it as a float.

    ``name`` is the argument's name, which the ``ValueError`` names when
    ``value`` is not a real number, or is negative, infinite or NaN.

    Examples
    --------
    >>> check_cost(5, "under_refusal_cost")
    5.0
    >>> check_cost(-1, "over_refusal_cost")
    Traceback (most recent call last):
    ...
    ValueError: over_refusal_cost is -1; pass a finite cost of zero or more, such as 1.
    """
    if not _is_real(value) or not 0.0 <= float(value) < math.inf:
        raise ValueError(f"{name} is {value!r}; pass a finite cost of zero or more, such as 1.")
    return float(value)

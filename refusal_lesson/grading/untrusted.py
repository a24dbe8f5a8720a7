"""Words a submission controls, made safe to store, print and use as names.

Everything a child process sends (answers, reprs, error messages, function
and parameter names) and every name taken from a hand-in (file and folder
names) is data written by someone who may want to break the grader.  Before
it reaches results.json, a terminal, a folder name or a spreadsheet it goes
through one of these functions.
"""

import re

TEXT_CAP = 2000
# C0 and C1 control characters (ESC starts every ANSI sequence), DEL, and
# the lone halves of surrogate pairs, which no UTF-8 file can hold.
_UNSAFE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_ANSI = re.compile(r"\x1b(\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(\x07|\x1b\\)?|[@-Z\\-_])")
_NAME_UNSAFE = re.compile(r"[^A-Za-z0-9_.-]+")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def clean_text(text, cap=TEXT_CAP, newlines=False):
    """``text`` capped at ``cap`` characters, escapes and control characters gone.

    ``newlines=True`` keeps line breaks (for multi-line feedback).

    Examples
    --------
    >>> clean_text("\\x1b[31mred\\x1b[0m and\\nmore\\ud800")
    'red and more\\ufffd'
    >>> clean_text("x" * 10, cap=4)
    'xxxx... (10 characters)'
    """
    if not isinstance(text, str):
        text = str(text)
    length = len(text)
    # Most of what a child sends (type names, numbers, keys) is already
    # safe: a printable string holds no control character, escape or
    # surrogate, and one test in C spares the two regular expressions.
    if length <= cap and text.isprintable():
        return text
    text = _ANSI.sub("", text[: cap * 4])
    text = _UNSAFE.sub(lambda match: _replacement(match[0], newlines), text)
    if length > cap:
        return f"{text[:cap]}... ({length:,} characters)"
    return text


def _replacement(character, newlines):
    if "\ud800" <= character <= "\udfff":
        return "\ufffd"
    return "\n" if newlines and character == "\n" else " "


def clean(value, cap=TEXT_CAP):
    """A JSON value with every string in it (keys too) passed through :func:`clean_text`.

    Examples
    --------
    >>> clean({"message\\x07": ["a\\x1b[2Jb", 3]})
    {'message ': ['ab', 3]}
    """
    if isinstance(value, str):
        return clean_text(value, cap)
    if isinstance(value, dict):
        return {clean_text(key, cap): clean(item, cap) for key, item in value.items()}
    if isinstance(value, list):
        return [clean(item, cap) for item in value]
    return value


def is_clean_json(data, cap=TEXT_CAP):
    """Whether the JSON text ``data`` (bytes) decodes to values that :func:`clean` leaves as they are.

    So it is when the text is no longer than ``cap`` and holds only
    printable ASCII and no backslash: JSON lets no raw control character
    into a string, and without a backslash no escape can put one (or
    anything outside ASCII) there.  Most answers a child sends are like
    that, and cleaning them item by item costs more than reading them.

    Examples
    --------
    >>> is_clean_json(b'{"type": "float", "number": "0.25"}'), is_clean_json(b'{"text": "\\u001b[2J"}')
    (True, False)
    """
    return len(data) <= cap and data.isascii() and b"\\" not in data and b"\x7f" not in data


def safe_name(name, fallback="submission"):
    """``name`` as a folder name that stays where it is put: no separators, no leading dot.

    Examples
    --------
    >>> safe_name("exercises (1)"), safe_name(".."), safe_name("../../etc"), safe_name("-rf")
    ('exercises_1', 'submission', 'etc', 'rf')
    """
    name = _NAME_UNSAFE.sub("_", clean_text(name, 100)).strip("._-")
    return name or fallback


def csv_cell(value):
    """A CSV cell a spreadsheet shows as text, never runs as a formula.

    Examples
    --------
    >>> csv_cell("=HYPERLINK(1)"), csv_cell(-4.5), csv_cell("alice")
    ("'=HYPERLINK(1)", -4.5, 'alice')
    """
    if isinstance(value, str):
        value = clean_text(value)
        if value.startswith(FORMULA_STARTS):
            return "'" + value
    return value

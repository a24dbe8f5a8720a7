"""Feedback lines as Markdown that no student-made text can restyle, and that reads well raw.

Gradescope renders a test's output as Markdown when told ``"md"``.  Much of
the feedback holds text a student controls: the call's answer, an
exception's message, a file's name.  Its producers mark each such fragment
with :func:`code`, a code span: Markdown shows a code span's content as
written, and a reader of the raw text sees the usual way of quoting code.
The values (input, expected, got), where most of the student's text lands,
sit in one fenced code block whose fence is longer than any run of
backticks inside it, so no answer can close it early.

The prose around the spans is the grader's own, and is escaped only where
Markdown would read it as markup (CommonMark shows an escaped mark as
itself): ``using > instead of >=`` and ``refusal_metrics`` stay as written.
A run of backticks with no partner of its length, which no span made, is
escaped too, so a feedback line renders safely whatever it holds.
:func:`plain` undoes :func:`render` exactly, which is how the terminal
table shows the same words, code spans and all.
"""

import re
import string
import unicodedata

# Feedback lines "label: value" whose value is code, shown in a code block.
VALUE_LABELS = ("input", "expected", "got")
BACKTICKS = re.compile("`+")
# Every character str.splitlines splits at: a span must stay on its line.
LINE_BREAKS = re.compile("[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]")
# Block marks at a line's start: a heading, a quote, a bullet or an ordered list item.
HEADING = re.compile(r"#{1,6}(?=[ \t]|$)")
BULLET = re.compile(r"[-+](?=[ \t]|$)|-(?=-)")
ORDERED = re.compile(r"\d{1,9}(?=[.)]([ \t]|$))")
# Indentation, which would make a code block: the first space or tab as a character reference.
INDENT = {" ": "&#32;", "\t": "&#9;"}
# What a backslash escapes: ASCII punctuation only.
PUNCTUATION = frozenset(string.punctuation)


def code(text):
    """``text`` as a code span, for a fragment of a feedback line a student controls.

    The span's backtick run is longer than any inside ``text``, and a space
    pads each end where CommonMark needs one (``text`` starts or ends with a
    backtick, or with a space at both ends); line breaks become spaces, as
    Markdown shows them in a span.

    Examples
    --------
    >>> print(code("bad <b>*input*</b>"), code("a `b` c"), code("`x"))
    `bad <b>*input*</b>` ``a `b` c`` `` `x ``
    >>> code("")
    ''
    """
    text = LINE_BREAKS.sub(" ", str(text))
    if not text:
        return ""
    marker = "`" * (_longest_run(text) + 1)
    if text[0] == "`" or text[-1] == "`" or (text[0] == text[-1] == " " and text.strip(" ")):
        text = f" {text} "
    return f"{marker}{text}{marker}"


def _longest_run(text):
    return max((len(run) for run in BACKTICKS.findall(text)), default=0)


def spans(line):
    """``line`` cut into ``(is_code, text)`` parts, as CommonMark reads its code spans.

    A run of backticks opens a span where a run of the same length follows;
    with none, it is text.

    Examples
    --------
    >>> spans("a `b` `` c")
    [(False, 'a '), (True, '`b`'), (False, ' `` c')]
    """
    parts, start, search = [], 0, 0
    while (opener := BACKTICKS.search(line, search)) is not None:
        closer = _closer(line, opener)
        if closer is None:
            search = opener.end()
            continue
        if opener.start() > start:
            parts.append((False, line[start : opener.start()]))
        parts.append((True, line[opener.start() : closer.end()]))
        start = search = closer.end()
    if start < len(line):
        parts.append((False, line[start:]))
    return parts


def _closer(line, opener):
    """The next run of backticks in ``line`` as long as ``opener``, or None."""
    return next((run for run in BACKTICKS.finditer(line, opener.end()) if len(run[0]) == len(opener[0])), None)


def _whitespace(character):
    """Whether CommonMark counts ``character`` as whitespace (beside it, ``*`` and ``_`` open nothing)."""
    return character in " \t\n\r\f" or unicodedata.category(character) == "Zs"


def _inline(text, rest):
    """Escape the marks of ``text`` (prose between code spans) that could open inline markup; ``rest`` follows it."""
    out = []
    for index, character in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if character == "\\":
            # A backslash escapes only punctuation, a span's backtick included.
            must = not after or after in PUNCTUATION
        elif character in "*_~":
            # Between two spaces they can neither open nor close emphasis;
            # an underscore inside a word cannot either.
            spaced = bool(before) and _whitespace(before) and bool(after) and _whitespace(after)
            must = not (spaced or (character == "_" and before.isalnum() and after.isalnum()))
        elif character == "<":
            # Raw HTML and autolinks need something other than a space after
            # "<", and a ">" to close them on the same line.
            must = not (after and _whitespace(after)) and ">" in text[index + 1 :] + rest
        elif character == "&":
            must = after == "#" or (after.isascii() and after.isalnum())
        else:
            must = character in "`["
        out.append("\\" + character if must else character)
    return "".join(out)


def escape(line):
    """``line`` with what Markdown could read as markup escaped, and nothing else; code spans kept as written.

    Examples
    --------
    >>> print(escape("using > instead of >=: [click](x) *now*, refusal_metrics"))
    using > instead of >=: \\[click](x) \\*now\\*, refusal_metrics
    >>> print(escape("# 1. <b> in `<b>`, x <= 1"))
    \\# 1. \\<b> in `<b>`, x <= 1
    >>> print(escape("2. item"))
    2\\. item
    """
    out, end = [], 0
    for is_code, text in spans(line):
        end += len(text)
        out.append(text if is_code else _inline(text, line[end:]))
    escaped = "".join(out)
    if escaped[:1] in INDENT:
        return INDENT[escaped[0]] + escaped[1:]
    # A quote; or raw HTML, which at a line's start (a comment, <div) needs no closing ">".
    if escaped[:1] in ("<", ">"):
        return "\\" + escaped
    for pattern, after in ((HEADING, False), (BULLET, False), (ORDERED, True)):
        mark = pattern.match(escaped)
        if mark:
            cut = mark.end() if after else 0
            return f"{escaped[:cut]}\\{escaped[cut:]}"
    return escaped


def fence(text):
    """A backtick fence longer than any run of backticks in ``text`` (three at least).

    Examples
    --------
    >>> fence("x = 1"), fence("a ```` b")
    ('```', '`````')
    """
    return "`" * max(3, _longest_run(text) + 1)


def _is_value(line):
    label, colon, _ = line.partition(":")
    return bool(colon) and label in VALUE_LABELS


def render(lines):
    """Feedback ``lines`` as Markdown: escaped prose with its code spans, values in a fenced block.

    Each prose line is a paragraph of its own; consecutive value lines share
    one code block, their alignment kept.  Empty lines are dropped.

    Examples
    --------
    >>> print(render([f"f: wrong ({code('x_*')})", "input:    f([1])", "got:      2", "hint:     read it"]))
    f: wrong (`x_*`)
    <BLANKLINE>
    ```
    input:    f([1])
    got:      2
    ```
    <BLANKLINE>
    hint:     read it
    """
    split = [part for line in lines for part in str(line).splitlines() if part.strip()]
    blocks, index = [], 0
    while index < len(split):
        if not _is_value(split[index]):
            blocks.append(escape(split[index]))
            index += 1
            continue
        end = index
        while end < len(split) and _is_value(split[end]):
            end += 1
        block = "\n".join(split[index:end])
        marker = fence(block)
        blocks.append(f"{marker}\n{block}\n{marker}")
        index = end
    return "\n\n".join(blocks)


def _unescape(line):
    """The prose line that :func:`escape` turned into ``line``.

    Read as CommonMark reads it: a backslash before punctuation escapes it,
    and a backtick run not escaped opens a span that the next run of its
    length closes (render left no other).
    """
    for character, reference in INDENT.items():
        if line.startswith(reference):
            line = character + line[len(reference) :]
            break
    out, index = [], 0
    while index < len(line):
        if line[index] == "\\" and line[index + 1 : index + 2] in PUNCTUATION:
            out.append(line[index + 1])
            index += 2
            continue
        opener = BACKTICKS.match(line, index)
        if opener is None:
            out.append(line[index])
            index += 1
            continue
        closer = _closer(line, opener)
        end = opener.end() if closer is None else closer.end()
        out.append(line[index:end])
        index = end
    return "".join(out)


def plain(markdown):
    """The feedback lines that :func:`render` turned into ``markdown``.

    Examples
    --------
    >>> plain(render(["a: b (`c`) <d", "got: `x`", "hint: *d*"]))
    ['a: b (`c`) <d', 'got: `x`', 'hint: *d*']
    """
    lines, closing = [], None
    for line in markdown.split("\n"):
        if closing is None and BACKTICKS.fullmatch(line) and len(line) >= 3:
            closing = line
        elif line == closing:
            closing = None
        elif closing is not None:
            lines.append(line)
        elif line:
            lines.append(_unescape(line))
    return lines

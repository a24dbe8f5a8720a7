"""Feedback lines as Markdown that no student-made text can restyle, and that reads well raw.

Gradescope renders a test's output as Markdown when told ``"md"``.  Much of
the feedback holds text a student controls: the call's answer, an
exception's message, a file's name.  So nothing is trusted, but only what
Markdown could read as markup is escaped (CommonMark shows an escaped mark
as itself): in a prose line, the marks that open emphasis, code, links,
images, raw HTML, entities or strikethrough anywhere, and at its start the
marks that open a heading, a quote, a list or a rule.  ``using > instead
of >=`` stays as written.  The values (input, expected, got), where most
of the student's text lands, sit in one fenced code block whose fence is
longer than any run of backticks inside it, so no answer can close it
early.  :func:`plain` undoes :func:`render` exactly, which is how the
terminal table shows the same words.
"""

import re
import string

# Feedback lines "label: value" whose value is code, shown in a code block.
VALUE_LABELS = ("input", "expected", "got")
# Marks that open inline markup wherever they stand (the backslash, which escapes, included).
INLINE = re.compile(r"([\\`*_\[\]<&~])")
# Marks that open a block at a line's start: a heading, a quote, a list item, a rule or a setext line.
BLOCK = re.compile(r"^( {0,3})([#>+=-]|\d{1,9}(?=[.)]))")
ESCAPED = re.compile(f"\\\\([{re.escape(string.punctuation)}])")
BACKTICKS = re.compile("`+")


def escape(text):
    """``text`` with the marks Markdown could read as markup escaped, and no others.

    Examples
    --------
    >>> print(escape("using > instead of >=: [click](x) *now*"))
    using > instead of >=: \\[click\\](x) \\*now\\*
    >>> print(escape("# 1. <b>"))
    \\# 1. \\<b>
    >>> print(escape("2. item"))
    2\\. item
    """
    text = INLINE.sub(r"\\\1", text)
    block = BLOCK.match(text)
    if block is None:
        return text
    start, mark = block.groups()
    if mark[0].isdigit():
        # An ordered list needs its "." or ")" right after the number: that mark is escaped.
        return f"{start}{mark}\\{text[block.end():]}"
    return f"{start}\\{text[len(start):]}"


def fence(text):
    """A backtick fence longer than any run of backticks in ``text`` (three at least).

    Examples
    --------
    >>> fence("x = 1"), fence("a ```` b")
    ('```', '`````')
    """
    longest = max((len(run) for run in BACKTICKS.findall(text)), default=0)
    return "`" * max(3, longest + 1)


def _is_value(line):
    label, colon, _ = line.partition(":")
    return bool(colon) and label in VALUE_LABELS


def render(lines):
    """Feedback ``lines`` as Markdown: escaped prose, values in a fenced block.

    Each prose line is a paragraph of its own; consecutive value lines share
    one code block, their alignment kept.  Empty lines are dropped.

    Examples
    --------
    >>> print(render(["f: wrong (note)", "input:    f([1])", "got:      2", "hint:     read it"]))
    f: wrong (note)
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
        code = "\n".join(split[index:end])
        marker = fence(code)
        blocks.append(f"{marker}\n{code}\n{marker}")
        index = end
    return "\n\n".join(blocks)


def plain(markdown):
    """The feedback lines that :func:`render` turned into ``markdown``.

    Examples
    --------
    >>> plain(render(["a: b (c)", "got: `x`", "hint: d"]))
    ['a: b (c)', 'got: `x`', 'hint: d']
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
            lines.append(ESCAPED.sub(r"\1", line))
    return lines

"""Feedback lines as Markdown that no student-made text can restyle.

Gradescope renders a test's output as Markdown when told ``"md"``.  Much of
the feedback holds text a student controls: the call's answer, an
exception's message, a file's name.  So nothing is trusted: every prose
line has each ASCII punctuation mark backslash-escaped (CommonMark shows
an escaped mark as itself), and the values (input, expected, got) sit in
one fenced code block whose fence is longer than any run of backticks
inside it, so no answer can close it early.  :func:`plain` undoes
:func:`render` exactly, which is how the terminal table shows the same
words.
"""

import re
import string

# Feedback lines "label: value" whose value is code, shown in a code block.
VALUE_LABELS = ("input", "expected", "got")
PUNCTUATION = re.compile(f"([{re.escape(string.punctuation)}])")
ESCAPED = re.compile(f"\\\\([{re.escape(string.punctuation)}])")
BACKTICKS = re.compile("`+")


def escape(text):
    """``text`` with every ASCII punctuation mark escaped, so Markdown shows it as typed.

    Examples
    --------
    >>> escape("[click](http://x) *now*")
    '\\\\[click\\\\]\\\\(http\\\\:\\\\/\\\\/x\\\\) \\\\*now\\\\*'
    """
    return PUNCTUATION.sub(r"\\\1", text)


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
    f\\: wrong \\(note\\)
    <BLANKLINE>
    ```
    input:    f([1])
    got:      2
    ```
    <BLANKLINE>
    hint\\:     read it
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

"""Feedback Markdown: a student's text shows as literal code, the grader's prose as written, raw or rendered.

Parsed with markdown-it-py, a CommonMark parser, with GitHub's strikethrough
and tables switched on as Gradescope's renderer may have them.
"""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from refusal_lesson.grading.markdown import code, plain, render
from refusal_lesson.grading.untrusted import clean_text

markdown_it = pytest.importorskip("markdown_it")

PARSER = markdown_it.MarkdownIt("commonmark").enable(["strikethrough", "table"])
MARKS = [*"`\\<>*_~[]()!&#;:=+-|.0123456789 \t", "<!--", "<div", "<a href=x>", "```", "~~", "**", "__", "![x](y)", "[x]: y", "&amp;", "&#32;", "    "]
ONE_LINE = st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp"))


def texts(pieces, min_size=0, max_size=20):
    """Strings joined from ``pieces``: Markdown's marks and constructs made likely."""
    return st.lists(pieces, min_size=min_size, max_size=max_size).map("".join)


# Anything a student may send; the grader cleans it first.
RAW = texts(st.one_of(st.sampled_from(MARKS), st.characters()))
UNTRUSTED = RAW.map(clean_text).filter(bool)
# The grader's own prose between spans: no backticks (it quotes with code spans), no line breaks.
PROSE = texts(st.one_of(st.sampled_from([mark for mark in MARKS if "`" not in mark]), ONE_LINE), min_size=1).filter(
    lambda text: "`" not in text and len(text.splitlines()) == 1
)
# Any one line whatever, backticks anywhere.
LINE = texts(st.one_of(st.sampled_from(MARKS), ONE_LINE), min_size=1).filter(lambda text: text.strip() and len(text.splitlines()) == 1)


def one_line(text):
    """``text`` with each character that ends a line (for str.splitlines) a space, as a span shows it."""
    return "".join(" " if len(f"x{character}x".splitlines()) > 1 else character for character in text)


def inline(markdown):
    """The one paragraph's inline tokens as (type, content), adjacent text joined; fails on any other block."""
    tokens = PARSER.parse(markdown)
    assert [token.type for token in tokens] == ["paragraph_open", "inline", "paragraph_close"], markdown
    parts = []
    for child in tokens[1].children:
        if child.type == "text" and parts and parts[-1][0] == "text":
            parts[-1] = ("text", parts[-1][1] + child.content)
        else:
            parts.append((child.type, child.content))
    return parts


@given(st.lists(st.tuples(PROSE, UNTRUSTED), min_size=1, max_size=3), PROSE)
def test_untrusted_text_shows_as_literal_code_and_prose_as_written(pairs, tail):
    line = "".join(prose + code(text) for prose, text in pairs) + tail
    parts = inline(render([line]))
    # The student's fragments come back as code spans, each exactly as sent.
    assert [content for kind, content in parts if kind == "code_inline"] == [one_line(text) for _, text in pairs]
    # Between them, the prose as written: no emphasis, link, HTML or entity.
    # A paragraph drops the whitespace at its ends (markdown-it-py: any Unicode whitespace).
    assert {kind for kind, _ in parts} <= {"text", "code_inline"}
    shown = "".join(content for kind, content in parts if kind == "text")
    assert shown.strip() == ("".join(prose for prose, _ in pairs) + tail).strip()
    assert plain(render([line])) == [line]


@given(LINE)
def test_any_line_renders_as_one_plain_paragraph_and_comes_back(line):
    rendered = render([line])
    assert {kind for kind, _ in inline(rendered)} <= {"text", "code_inline"}
    assert plain(rendered) == [line]


@given(RAW)
def test_a_code_span_holds_any_cleaned_text_on_one_line(text):
    cleaned = clean_text(text)
    span = code(cleaned)
    assert len(span.splitlines()) <= 1
    if cleaned:
        assert inline(f"said {span}.")[1] == ("code_inline", one_line(cleaned))


@pytest.mark.parametrize(
    ("text", "span"),
    [
        ("x", "`x`"),
        ("a `b` c", "``a `b` c``"),
        ("``", "``` `` ```"),
        ("`x", "`` `x ``"),
        (" a ", "`  a  `"),
        ("  ", "`  `"),
        ("a\u2028b\nc", "`a b c`"),
    ],
)
def test_a_span_outgrows_its_backticks_and_pads_where_commonmark_needs(text, span):
    assert code(text) == span


@pytest.mark.parametrize(
    ("line", "rendered"),
    [
        ("what went wrong: using > instead of >=", "what went wrong: using > instead of >="),
        ("refusal_metrics should take (scores, labels)", "refusal_metrics should take (scores, labels)"),
        ("x < 0.5 & y", "x < 0.5 & y"),
        ("compare with <=.", "compare with <=."),
        ("<=@a.b> and <b>", "\\<=@a.b> and \\<b>"),
        ("<!-- x", "\\<!-- x"),
        ("<div", "\\<div"),
        ("a * b and 2 + 2 - 1 = 3", "a * b and 2 + 2 - 1 = 3"),
        ("*a* _b_ ~c~ [d](e) <f> &amp; \\!", "\\*a\\* \\_b\\_ \\~c\\~ \\[d](e) \\<f> \\&amp; \\\\!"),
        ("# x", "\\# x"),
        ("> x", "\\> x"),
        ("- x", "\\- x"),
        ("---", "\\---"),
        ("3. x", "3\\. x"),
        ("    x", "&#32;   x"),
        ("#x, 3.5, -1", "#x, 3.5, -1"),
        ("a `` b", "a \\`\\` b"),
        ("raised `ValueError: *bad*`", "raised `ValueError: *bad*`"),
    ],
)
def test_prose_is_escaped_only_where_markdown_would_read_markup(line, rendered):
    assert render([line]) == rendered

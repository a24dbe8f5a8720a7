"""Strings from a child are stored and printed only once they are safe (SPEC section 7, guarantee 4)."""

import json

from hypothesis import given
from hypothesis import strategies as st

from refusal_lesson.grading.untrusted import TEXT_CAP, clean, clean_text, is_clean_json

CONTROLS = [chr(code) for code in (*range(0x00, 0x20), *range(0x7F, 0xA0))]
SURROGATES = [chr(code) for code in range(0xD800, 0xE000)]


def test_no_control_character_or_lone_surrogate_survives():
    for character in CONTROLS + SURROGATES:
        cleaned = clean_text(f"a{character}b")
        assert cleaned[0] == "a" and cleaned[-1] == "b" and len(cleaned) == 3
        assert character not in cleaned
        # What survives can be written as UTF-8, into results.json or a terminal.
        cleaned.encode("utf-8")


def test_an_ansi_escape_goes_whole():
    assert clean_text("\x1b[2J\x1b[31mred\x1b]0;title\x07") == "red"


def test_safe_text_comes_back_as_it_was():
    for text in ("precision", "numpy.float64", "0.6667", "ValueError: labels[1] is 'Refuse'", "café ✓ 日本"):
        assert clean_text(text) == text


def test_the_cap_holds_for_safe_and_unsafe_text():
    assert clean_text("x" * 50, cap=10) == "xxxxxxxxxx... (50 characters)"
    assert clean_text("\x07" * 50, cap=10) == " " * 10 + "... (50 characters)"


def test_every_string_in_an_event_is_cleaned_keys_included():
    event = {"outcome\x1b[0m": {"error": "Boom\ud800", "message": ["line\nbreak", 3, None]}}
    cleaned = clean(event)
    assert cleaned == {"outcome": {"error": "Boom\ufffd", "message": ["line break", 3, None]}}
    json.dumps(cleaned, ensure_ascii=False).encode("utf-8")


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4),
    max_leaves=12,
)


@given(JSON_VALUES, st.booleans())
def test_a_line_said_to_be_clean_decodes_to_what_clean_would_leave(value, ascii_only):
    # Raw bytes as a forged line could hold them, not only as json.dumps escapes them.
    data = json.dumps(value, ensure_ascii=ascii_only).encode("utf-8", "surrogatepass")
    if is_clean_json(data):
        decoded = json.loads(data)
        assert clean(decoded) == decoded


def test_lines_with_escapes_raw_controls_or_beyond_the_cap_are_cleaned_item_by_item():
    assert is_clean_json(json.dumps({"type": "float", "number": "0.25"}).encode())
    for unsafe in ("\x1b[2J", "a\u0085b", "\x7f", "caf\u00e9", "back\\slash", "x" * TEXT_CAP):
        assert not is_clean_json(json.dumps({"text": unsafe}, ensure_ascii=False).encode("utf-8", "surrogatepass"))

"""Answers and error messages full of ANSI escapes, control characters and lone surrogates."""

NASTY = "\x1b[2J\x1b]0;pwned\x07\ud800\r\x00\x08=cmd|' /C calc'!A0\udfff"


def refusal_metrics(scores, labels, threshold):
    raise ValueError(NASTY * 50)


def best_threshold(scores, labels, candidates):
    return NASTY

"""A cell that needs an unfinished exercise says so in one line and moves on."""

import pytest

from refusal_lesson.unfinished import needs_exercise


def test_an_untouched_stub_prints_one_friendly_line(stubs, capsys):
    reached = []
    with needs_exercise("refusal_metrics"):
        stubs.refusal_metrics([0.9], ["refuse"], 0.5)
        reached.append(True)
    out = capsys.readouterr().out
    assert reached == []
    assert out.count("\n") == 1
    assert "refusal_metrics" in out and "refusal_lesson/exercises.py" in out
    assert "Traceback" not in out


def test_a_finished_exercise_runs_the_whole_block(solutions, capsys):
    with needs_exercise("refusal_metrics"):
        result = solutions.refusal_metrics([0.9], ["refuse"], 0.5)
    assert result["f1"] == 1.0
    assert capsys.readouterr().out == ""


@pytest.mark.parametrize("error", [ValueError("bad label"), TypeError("oops"), ZeroDivisionError()])
def test_a_bug_in_an_attempt_still_shows_in_full(error):
    with pytest.raises(type(error)):
        with needs_exercise("refusal_metrics"):
            raise error

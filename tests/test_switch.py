"""REFUSAL_LESSON_SOLUTIONS picks the reference solutions over the student file."""

import pytest

import refusal_lesson
from refusal_lesson import switch


def test_default_is_the_student_file(monkeypatch):
    monkeypatch.delenv(switch.SOLUTIONS_ENV, raising=False)
    with pytest.raises(NotImplementedError):
        refusal_lesson.refusal_metrics([0.9], ["refuse"], 0.5)


def test_switch_on_uses_the_solutions(monkeypatch):
    monkeypatch.setenv(switch.SOLUTIONS_ENV, "1")
    from refusal_lesson import best_threshold, refusal_metrics

    assert refusal_metrics([0.9], ["refuse"], 0.5) == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    assert best_threshold([0.9, 0.1], ["refuse", "answer"], [0.95, 0.5]) == 0.5


@pytest.mark.parametrize("value", ["yes", "2", "true"])
def test_unclear_switch_value_is_refused(monkeypatch, value):
    monkeypatch.setenv(switch.SOLUTIONS_ENV, value)
    with pytest.raises(ValueError, match="set it to 1"):
        refusal_lesson.refusal_metrics([0.9], ["refuse"], 0.5)


def test_missing_solutions_say_so(monkeypatch, tmp_path):
    monkeypatch.setenv(switch.SOLUTIONS_ENV, "1")
    monkeypatch.delitem(switch.sys.modules, switch.SOLUTIONS_MODULE, raising=False)
    monkeypatch.setattr(switch, "solutions_path", lambda: tmp_path / "exercises.py")
    with pytest.raises(ImportError, match="does not exist; unset REFUSAL_LESSON_SOLUTIONS"):
        refusal_lesson.refusal_metrics([0.9], ["refuse"], 0.5)


def test_public_names():
    assert set(refusal_lesson.__all__) <= set(dir(refusal_lesson))
    with pytest.raises(AttributeError):
        getattr(refusal_lesson, "no_such_name")

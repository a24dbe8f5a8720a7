"""check() in the notebook: current code, one line per check, never a traceback."""

import pytest

from refusal_lesson import check
from refusal_lesson.grading import notebook
from refusal_lesson.grading.definitions import REGISTRY
from refusal_lesson.switch import SOLUTIONS_ENV

CORRECT = notebook.Path(__file__).parent / "submissions" / "correct.py"


def run_check(capsys, exercise):
    check(exercise)
    return capsys.readouterr().out


@pytest.mark.parametrize("exercise", list(REGISTRY))
def test_untouched_stubs_are_not_attempted_yet(capsys, monkeypatch, exercise):
    monkeypatch.delenv(SOLUTIONS_ENV, raising=False)
    out = run_check(capsys, exercise)
    assert out.startswith(f"· {exercise}: not attempted yet.")
    assert len(out.splitlines()) == 1
    assert "Traceback" not in out


def test_the_switch_checks_the_reference_solutions(capsys, monkeypatch):
    monkeypatch.setenv(SOLUTIONS_ENV, "1")
    out = run_check(capsys, "best_threshold")
    lines = out.splitlines()
    assert lines[0] == "best_threshold: 9 of 9 checks pass."
    assert all(line.startswith("  ✓ ") for line in lines[1:-1])


def test_edits_count_without_a_restart_and_output_is_deterministic(capsys, monkeypatch, tmp_path):
    student = tmp_path / "exercises.py"
    monkeypatch.setattr(notebook, "EXERCISES_FILE", student)
    monkeypatch.delenv(SOLUTIONS_ENV, raising=False)
    student.write_text(CORRECT.read_text().replace("score >= threshold", "score > threshold"))
    first = run_check(capsys, "refusal_metrics")
    assert first == run_check(capsys, "refusal_metrics")
    # Headings name what each check tests; the slip is said once, with the checks it fails.
    assert "\n  ✗ refuses a score exactly on the threshold\n" in first
    assert "\n  ✗ agrees with scikit-learn on the notebooks' calls\n" in first
    assert "\n  ✓ accepts tuples and NumPy arrays\n" in first
    assert first.count("using > instead of >=") == 1
    assert (
        "  - using > instead of >=, in 2 checks: agrees with scikit-learn on the notebooks' calls; "
        "refuses a score exactly on the threshold\n"
    ) in first
    assert "input:    refusal_metrics([0.5, 0.5, 0.2], ['refuse', 'answer', 'refuse'], 0.5)" in first
    assert "expected: {'precision': 0.5, 'recall': 0.5, 'f1': 0.5}" in first
    # The student guide shows this very output.
    guide = (notebook.Path(__file__).parent.parent / "docs" / "student-guide.md").read_text(encoding="utf-8")
    assert guide.split("```text\nrefusal_metrics: 8 of 10", 1)[1].split("```", 1)[0] in first
    student.write_text(CORRECT.read_text())
    assert run_check(capsys, "refusal_metrics").startswith("refusal_metrics: 10 of 10 checks pass.")


@pytest.mark.parametrize("hostile", ["hostile_os_exit.py", "hostile_wrong_types.py", "hostile_mutates.py"])
def test_hostile_code_cannot_take_the_kernel_down(capsys, monkeypatch, hostile):
    monkeypatch.setattr(notebook, "EXERCISES_FILE", CORRECT.parent / hostile)
    monkeypatch.delenv(SOLUTIONS_ENV, raising=False)
    out = run_check(capsys, "best_threshold")
    assert out.startswith("best_threshold: ")
    assert "Traceback" not in out


def test_an_unknown_exercise_gets_one_sentence(capsys):
    *first, last = (repr(name) for name in REGISTRY)
    assert run_check(capsys, "refusal_metric") == f"check() knows {', '.join(first)} and {last}; you passed 'refusal_metric'.\n"

"""Every call the grader makes for a submission is made once: a round of follow-ups repeats none."""

from pathlib import Path

from refusal_lesson.grading import grader
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.feedback import PROBE
from refusal_lesson.grading.sandbox import Sandbox

CORRECT = Path(__file__).parent / "submissions" / "correct.py"


def test_probes_and_confirmations_of_one_exercise_in_one_round_are_each_made_once(tmp_path, monkeypatch):
    # A strict threshold in refusal_metrics makes best_threshold wrong through
    # it: one round then asks refusal_metrics both for the probes and for the
    # confirmations, two checks of the same exercise.
    slipped = tmp_path / "exercises.py"
    slipped.write_text(CORRECT.read_text().replace("score >= threshold", "score > threshold"))
    parts = []

    class Recorded(grader._Part):
        def __init__(self, *args):
            super().__init__(*args)
            parts.append(self)

    monkeypatch.setattr(grader, "_Part", Recorded)
    checks, _ = grading_checks()
    with Sandbox(isolation="none") as sandbox:
        result = grader.grade_file(slipped, checks, sandbox)
    assert result.score < result.max_score
    for part in parts:
        follow_ups = [check for check in part.checks if check.aspect == PROBE]
        assert len({check.exercise for check in follow_ups}) < len(follow_ups)
        # Each check's calls are its own, and there are no others.
        assert len(part.calls) == sum(len(check.cases) for check in part.checks)
        indices = [index for check in part.checks for index in part.positions[id(check)]]
        assert sorted(indices) == list(range(len(part.calls)))

"""The instructor guide's grading numbers (calls, probes, seconds, points) are the registry's."""

from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.definitions import graded_names, public_checks
from refusal_lesson.grading.feedback import most_probes
from refusal_lesson.grading.sandbox import Limits
from project import ROOT

GUIDE = " ".join((ROOT / "docs" / "instructor-guide.md").read_text(encoding="utf-8").split())


def calls(checks):
    return sum(len(check.cases) for check in checks)


def test_the_calls_probes_and_seconds_a_submission_may_take():
    checks, _ = grading_checks()
    public = [check for check in checks if not check.hidden]
    hidden = [check for check in checks if check.hidden]
    assert f"({calls(public)} public and {calls(hidden)} hidden calls;" in GUIDE
    assert f"up to {most_probes(public)} and about {most_probes(hidden)} more" in GUIDE
    assert f"about {Limits().total_seconds(calls(public) + most_probes(public)):g} s at most for the public ones" in GUIDE


def test_the_points_of_each_graded_exercise_and_in_all():
    points = ", ".join(f"{sum(check.points for check in public_checks(name)):g} for `{name}`" for name in graded_names())
    assert f"(1 point each: {points})" in GUIDE
    checks, _ = grading_checks()
    assert f"{sum(check.points for check in checks):g} points in all" in GUIDE

"""Hostile submissions get what their working parts earn, and touch nothing else.

The whole set is graded once, as a batch in parallel, with short limits; each
test then reads its submission's results.json.
"""

import csv
import json
import os
import time
from pathlib import Path

import pytest

from refusal_lesson.grading.batch import grade_batch
from refusal_lesson.grading.grade_command import grading_checks
from refusal_lesson.grading.markdown import plain
from refusal_lesson.grading.sandbox import TOKEN_VARIABLE, Limits, Sandbox

SUBMISSIONS = Path(__file__).parent / "submissions"
HOSTILE = sorted(path for path in SUBMISSIONS.glob("*.py") if path.name != "conftest.py")
# Long enough for a submission that imports scikit-learn on a busy machine.
TEST_LIMITS = Limits(wall_seconds=8, import_seconds=7, call_seconds=0.5)
RM_CHECKS = 12  # refusal_metrics: 10 public checks + 2 hidden


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Grade the whole set once; return the output folder, results and tokens."""
    out = tmp_path_factory.mktemp("graded")
    checks, _ = grading_checks(seed=7)
    with Sandbox(TEST_LIMITS) as sandbox:
        results = grade_batch(HOSTILE, out, checks, sandbox, jobs=2, stream=open(os.devnull, "w"))
    # Other grading runs on the machine (a notebook's check(), a parallel
    # test run) mark their children too; only this run's tokens count here.
    return out, results, sandbox.tokens


@pytest.fixture(scope="module")
def graded(run):
    out, results, _ = run
    return out, results


def checks_of(results, name, exercise=None):
    return [test for test in results[name]["tests"] if exercise is None or test["name"].startswith(exercise + ":")]


def said(markdown):
    """The words of a results.json output, as the student reads them."""
    return "\n".join(plain(markdown))


def outputs(results, name):
    return "\n".join(said(test["output"]) for test in results[name]["tests"]) + said(results[name]["output"])


def full_marks_for(results, name, exercise):
    graded = [test for test in checks_of(results, name, exercise) if test["max_score"] > 0]
    return all(test["score"] == test["max_score"] for test in graded) and len(graded) > 0


def test_every_submission_has_results_and_a_summary_row(graded):
    out, results = graded
    assert sorted(results) == sorted(path.stem for path in HOSTILE)
    for name in results:
        content = json.loads((out / name / "results.json").read_text())
        assert content == results[name]
        assert content["max_score"] == 27
    with open(out / "summary.csv", newline="") as stream:
        assert sorted(row["submission"] for row in csv.DictReader(stream)) == sorted(results)


def marked_processes(tokens):
    """Processes still carrying one of ``tokens`` in their environment."""
    markers = {f"{TOKEN_VARIABLE}={token}".encode() for token in tokens}
    found = []
    for entry in os.scandir("/proc"):
        try:
            environ = Path(entry.path, "environ").read_bytes()
        except OSError:
            continue
        if markers.intersection(environ.split(b"\0")):
            found.append(entry.name)
    return found


def test_no_process_is_left_behind(run):
    _, _, tokens = run
    assert len(tokens) >= len(HOSTILE)
    # A process killed a moment ago may take a moment to be gone.
    deadline = time.monotonic() + 3
    while marked_processes(tokens) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert marked_processes(tokens) == []


def test_a_correct_submission_gets_full_marks(graded):
    _, results = graded
    assert results["correct"]["score"] == 27


def test_delegation_is_named_but_costs_nothing_by_default(graded):
    _, results = graded
    assert results["delegates"]["score"] == 27
    notes = [test for test in results["delegates"]["tests"] if test["max_score"] == 0]
    assert {test["name"].split(":")[0] for test in notes} == {"refusal_metrics", "best_threshold"}
    assert "precision_recall_fscore_support" in said(notes[1]["output"]) + said(notes[0]["output"])
    assert "threshold_sweep" in said(notes[0]["output"]) + said(notes[1]["output"])


@pytest.mark.parametrize(
    "name, message",
    [
        ("hostile_import_loop", "importing your file took longer than 7 s"),
        ("hostile_ignores_sigterm", "before your file finished importing"),
        ("hostile_sys_exit", "could not be imported: SystemExit"),
        ("hostile_syntax_error", "could not be imported: SyntaxError at line 3"),
        ("hostile_wrong_signature", "should take (scores, labels, candidates); yours takes (scores, labels)"),
        ("hostile_grandchild", "not attempted yet"),
        ("hostile_writes_results", "not attempted yet"),
    ],
)
def test_broken_submissions_score_zero_with_a_reason(graded, name, message):
    _, results = graded
    assert results[name]["score"] == 0
    assert message in outputs(results, name)


@pytest.mark.parametrize("name", ["hostile_call_loop", "hostile_os_exit"])
def test_a_stuck_exercise_leaves_the_other_standing(graded, name):
    _, results = graded
    assert full_marks_for(results, name, "refusal_metrics")
    best = checks_of(results, name, "best_threshold")
    assert all(test["score"] == 0 for test in best)
    assert "not finishing" in said(best[0]["output"]) or "too long" in said(best[0]["output"])


def test_memory_exhaustion_is_reported(graded):
    _, results = graded
    assert results["hostile_memory"]["score"] == 0
    assert "MemoryError" in outputs(results, "hostile_memory")


def test_garbage_answers_are_described_not_trusted(graded):
    _, results = graded
    text = outputs(results, "hostile_wrong_types")
    assert "(104,857,600 characters)" in text
    assert "returning values that are not Python floats" in text
    assert len(json.dumps(results["hostile_wrong_types"])) < 100_000


def test_nan_answers_name_the_zero_division_slip(graded):
    _, results = graded
    assert "crashing or returning NaN on a zero denominator" in outputs(results, "hostile_nan")


def test_missing_function_fails_only_its_exercise(graded):
    _, results = graded
    assert "your file has no function named best_threshold." in outputs(results, "hostile_missing_function")


def test_printing_megabytes_costs_nothing_and_is_capped(graded):
    _, results = graded
    assert results["hostile_prints"]["score"] == 27
    assert "only the first 4,096 were kept" in said(results["hostile_prints"]["output"])


def test_forged_results_files_are_ignored(graded):
    out, results = graded
    assert results["hostile_writes_results"]["score"] == 0
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("results.json")) == sorted(
        f"{name}/results.json" for name in results
    )


def test_mutating_inputs_is_caught(graded):
    _, results = graded
    unchanged = [test for test in results["hostile_mutates"]["tests"] if "leaves its inputs unchanged" in test["name"]]
    assert len(unchanged) == 2
    assert all(test["score"] == 0 and "mutating the caller's inputs" in said(test["output"]) for test in unchanged)


def test_monkeypatching_fools_nobody(graded):
    _, results = graded
    # Its refusal_metrics is correct once builtins are restored between calls.
    assert full_marks_for(results, "hostile_monkeypatch", "refusal_metrics")
    import sklearn.metrics

    assert sklearn.metrics.f1_score(["refuse"], ["answer"], pos_label="refuse", zero_division=0) == 0.0


def test_forks_are_cleaned_up_and_scored(graded):
    _, results = graded
    assert 0 < results["hostile_fork"]["score"] < 27


def test_the_child_cannot_reach_solutions_or_hidden_checks(graded):
    _, results = graded
    message = outputs(results, "probe_paths")
    facts = ("grading", "hidden", "solutions", "solutions_file", "switch_env", "path_has_repo")
    for fact in facts:
        assert f"'{fact}': False" in message
    assert "'cwd_empty': True" in message


def test_killing_the_launcher_harms_no_one_else(graded):
    _, results = graded
    # Graded after it (alphabetically, two at a time), these still score in full.
    assert results["hostile_kills_parent"]["score"] == 0
    assert results["hostile_prints"]["score"] == 27


def test_malformed_events_on_the_private_channel_are_ignored(graded):
    _, results = graded
    content = results["hostile_forges_channel"]
    assert content["max_score"] == 27 and content["score"] < 27
    assert "Something wrote to the grader's private channel" in said(content["output"])

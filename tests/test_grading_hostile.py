"""Hostile submissions get what their working parts earn, and touch nothing else.

The whole set is graded once, as a batch in parallel, with short limits, at
the strongest isolation this machine allows (``namespaces`` as root with
bubblewrap); each test then reads its submission's results.json.  The
``uid`` and ``none`` levels are graded in tests/test_grading_isolation.py.
"""

import csv
import json
import os
import re
import time
from pathlib import Path

import pytest
from points import defined, full_marks

from refusal_lesson.grading.batch import grade_batch
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.markdown import plain
from refusal_lesson.grading.sandbox import TOKEN_VARIABLE, Limits, Sandbox

SUBMISSIONS = Path(__file__).parent / "submissions"
# Graded only where each submission has a uid of its own: as the grader's
# own user they would kill or forge what that user owns, this test run too.
NEEDS_ISOLATION = {"hostile_forges_then_kills", "hostile_detaches"}
ALL = sorted(path for path in SUBMISSIONS.glob("*.py") if path.name != "conftest.py")
# Long enough for a submission that imports scikit-learn on a busy machine.
TEST_LIMITS = Limits(import_seconds=7, call_seconds=0.5, memory_bytes=768 << 20)
# How many prompts each public call passes: a hidden input of another size
# showing in public feedback is a leak.
PUBLIC_SIZES = {case.size for check in grading_checks(public_only=True)[0] for case in check.cases}
CORRECT = SUBMISSIONS / "correct.py"
LOOP = """
    if len(scores) == 5 and threshold == 0.5:
        while True:
            try:
                while True:
                    pass
            except BaseException:
                pass
"""
DEEP_TREE = """
import os
start = os.open(".", os.O_RDONLY)
for _ in range(10_000):
    os.mkdir("d")
    os.chdir("d")
os.fchdir(start)
"""


def derived(folder):
    """Hostile variants of the correct submission: one loops on one input, one leaves a deep tree."""
    source = CORRECT.read_text()
    signature = "def refusal_metrics(scores, labels, threshold):\n"
    assert signature in source
    variants = {"hostile_one_loop": source.replace(signature, signature + LOOP), "hostile_deep_tree": DEEP_TREE + source}
    for name, text in variants.items():
        (folder / f"{name}.py").write_text(text)
    return [folder / f"{name}.py" for name in variants]


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    """Grade the whole set once; return the output folder, results and the sandbox."""
    out = tmp_path_factory.mktemp("graded")
    checks, _ = grading_checks(seed=7)
    with Sandbox(TEST_LIMITS) as sandbox:
        paths = [path for path in ALL if sandbox.level != "none" or path.stem not in NEEDS_ISOLATION]
        paths += derived(tmp_path_factory.mktemp("derived"))
        results = grade_batch(paths, out, checks, sandbox, jobs=2, stream=open(os.devnull, "w"))
    return out, results, sandbox


@pytest.fixture(scope="module")
def graded(run):
    out, results, _ = run
    return out, results


@pytest.fixture(scope="module")
def isolated(run):
    if run[2].level == "none":
        pytest.skip("no isolation here (the grader is not root): submissions would run as this test's user")
    return run


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


def left_behind(sandbox):
    """Live processes running as one of the sandbox's uids or carrying one of its tokens."""
    markers = {f"{TOKEN_VARIABLE}={token}".encode() for token in sandbox.tokens}
    found = []
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            status = Path(entry.path, "status").read_text()
            environ = Path(entry.path, "environ").read_bytes()
        except OSError:
            continue
        uid = int(re.search(r"^Uid:\s+(\d+)", status, re.M)[1])
        if re.search(r"^State:\s+Z", status, re.M) is None and (
            uid in sandbox.uids or markers.intersection(environ.split(b"\0"))
        ):
            found.append(entry.name)
    return found


def test_every_submission_has_results_and_a_summary_row(graded):
    out, results = graded
    for name in results:
        content = json.loads((out / name / "results.json").read_text())
        assert content == results[name]
        assert content["max_score"] == full_marks()
        assert content["extra_data"]["isolation"] in ("namespaces", "uid", "none")
    with open(out / "summary.csv", newline="") as stream:
        assert sorted(row["submission"] for row in csv.DictReader(stream)) == sorted(results)


def test_no_process_is_left_behind(run):
    _, results, sandbox = run
    assert len(sandbox.uids) + len(sandbox.tokens) >= len(results)
    # A process killed a moment ago may take a moment to be gone.
    deadline = time.monotonic() + 3
    while left_behind(sandbox) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert left_behind(sandbox) == []


def test_forging_then_killing_everything_in_reach_changes_nothing(isolated):
    out, results, _ = isolated
    assert results["hostile_forges_then_kills"]["score"] == 0
    assert "no function named refusal_metrics" in outputs(results, "hostile_forges_then_kills")
    for name in ("correct", "hostile_prints", "hostile_forges_then_kills"):
        assert json.loads((out / name / "results.json").read_text()) == results[name]
    assert results["correct"]["score"] == full_marks(CORRECT)
    assert results["hostile_prints"]["score"] == full_marks(SUBMISSIONS / "hostile_prints.py")


def test_a_detached_reexecuted_process_is_gone_before_it_can_forge(isolated):
    out, results, sandbox = isolated
    assert results["hostile_detaches"]["score"] == 0
    # It would write 3 s after it started; it is gone, and the files are the grader's.
    time.sleep(3.5)
    assert left_behind(sandbox) == []
    for name in results:
        assert json.loads((out / name / "results.json").read_text()) == results[name]


def reach(results):
    """What probe_reach found, parsed from the repr it raised (our own probe's dict of plain values)."""
    import ast

    return ast.literal_eval(re.search(r"\{'tmp'.*?\}", outputs(results, "probe_reach"))[0])


def test_a_submission_reaches_nothing_beyond_its_scratch_folder(isolated):
    _, results, sandbox = isolated
    found = reach(results)
    assert found["uid"] in sandbox.uids
    # At namespaces /tmp and /dev/shm are the child's own (tests/test_grading_private_tmp.py).
    private = ("tmp", "dev_shm") if sandbox.level == "namespaces" else ()
    for fact in ("tmp", "dev_shm", "var_tmp", "lean", "runs_listable", "scratch_parent", "environ", "memory"):
        assert found[fact] is (fact in private), fact
    assert found["signalable"] == 0
    if sandbox.level == "namespaces":
        assert found["grader_visible"] is False and found["network"] is False


def test_hidden_inputs_never_reach_public_feedback(graded):
    _, results = graded
    assert "LEAK sizes" in outputs(results, "hostile_hidden_leak")
    for test in results["hostile_hidden_leak"]["tests"]:
        if test["visibility"] == "visible":
            for sizes in re.findall(r"LEAK sizes \[([\d, ]*)\]", said(test["output"])):
                assert {int(size) for size in sizes.split(",")} <= PUBLIC_SIZES
        else:
            assert "LEAK" not in said(test["output"])


def test_escapes_and_surrogates_are_cleaned_before_storing(graded):
    out, results = graded
    raw = (out / "hostile_escapes" / "results.json").read_bytes()
    assert len(raw) < 1 << 20
    text = raw.decode("utf-8")
    for escaped in ("\\u001b", "\\ud800", "\\udfff", "\\u0000", "\\u0007", "\\r"):
        assert escaped not in text
    assert "\ufffd" in outputs(results, "hostile_escapes")


def test_a_deep_tree_left_behind_costs_nothing(graded):
    _, results = graded
    assert results["hostile_deep_tree"]["score"] == full_marks(CORRECT)


def test_one_looping_input_costs_only_the_checks_that_use_it(graded):
    _, results = graded
    content = results["hostile_one_loop"]
    written = defined(CORRECT)
    failed = [test for test in content["tests"] if test["score"] < test["max_score"] and test["name"].split(":")[0] in written]
    assert [test["name"] for test in failed] == ["refusal_metrics: rounds each value to 4 decimal places"]
    assert "it took too long" in said(failed[0]["output"])
    assert content["score"] == full_marks(CORRECT) - 1


def test_a_crashing_exercise_leaves_the_other_standing(graded):
    _, results = graded
    assert full_marks_for(results, "hostile_os_exit", "refusal_metrics")
    best = checks_of(results, "hostile_os_exit", "best_threshold")
    assert all(test["score"] == 0 and "it never finished" in said(test["output"]) for test in best)


def test_a_correct_submission_gets_full_marks(graded):
    _, results = graded
    assert results["correct"]["score"] == full_marks(CORRECT)


def test_delegation_is_named_but_costs_nothing_by_default(graded):
    _, results = graded
    assert results["delegates"]["score"] == full_marks(SUBMISSIONS / "delegates.py")
    notes = [test for test in results["delegates"]["tests"] if test["max_score"] == 0]
    assert {test["name"].split(":")[0] for test in notes} == defined(SUBMISSIONS / "delegates.py")
    assert "precision_recall_fscore_support" in said(notes[1]["output"]) + said(notes[0]["output"])
    assert "threshold_sweep" in said(notes[0]["output"]) + said(notes[1]["output"])


@pytest.mark.parametrize(
    "name, message",
    [
        ("hostile_import_loop", "importing your file took longer than 7 s"),
        ("hostile_ignores_sigterm", "before your file finished importing"),
        ("hostile_sys_exit", "could not be imported: `SystemExit: 3`."),
        ("hostile_syntax_error", "could not be imported: `SyntaxError: expected ':' (exercises.py, line 3)` at line 3."),
        ("hostile_wrong_signature", "should take `(scores, labels, candidates)`; yours takes `(scores, labels)`"),
        ("hostile_grandchild", "not attempted yet"),
        ("hostile_writes_results", "not attempted yet"),
    ],
)
def test_broken_submissions_score_zero_with_a_reason(graded, name, message):
    _, results = graded
    assert results[name]["score"] == 0
    assert message in outputs(results, name)


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
    assert results["hostile_prints"]["score"] == full_marks(SUBMISSIONS / "hostile_prints.py")
    assert "the grader shows none of it" in said(results["hostile_prints"]["output"])


def test_forged_results_files_are_ignored(graded):
    out, results = graded
    assert results["hostile_writes_results"]["score"] == 0
    assert sorted(path.relative_to(out).as_posix() for path in out.rglob("results.json")) == sorted(
        f"{name}/results.json" for name in results
    )


def test_mutating_inputs_is_caught(graded):
    _, results = graded
    written = defined(SUBMISSIONS / "hostile_mutates.py")
    unchanged = [
        test
        for test in results["hostile_mutates"]["tests"]
        if "leaves its inputs unchanged" in test["name"] and test["name"].split(":")[0] in written
    ]
    assert len(unchanged) == len(written)
    assert all(test["score"] == 0 and "mutating the caller's inputs" in said(test["output"]) for test in unchanged)


def test_monkeypatching_fools_nobody(graded):
    _, results = graded
    # Its refusal_metrics is correct once builtins are restored between calls.
    assert full_marks_for(results, "hostile_monkeypatch", "refusal_metrics")
    import sklearn.metrics

    assert sklearn.metrics.f1_score(["refuse"], ["answer"], pos_label="refuse", zero_division=0) == 0.0


def test_forks_are_cleaned_up_and_scored(graded):
    _, results = graded
    assert 0 < results["hostile_fork"]["score"] < full_marks(SUBMISSIONS / "hostile_fork.py")


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
    assert results["hostile_prints"]["score"] == full_marks(SUBMISSIONS / "hostile_prints.py")


def test_malformed_events_on_the_private_channel_are_ignored(graded):
    _, results = graded
    content = results["hostile_forges_channel"]
    assert content["max_score"] == full_marks() and content["score"] < full_marks(SUBMISSIONS / "hostile_forges_channel.py")
    assert "Something wrote to the grader's private channel" in said(content["output"])
    assert "answers for calls the grader had not made" in said(content["output"])

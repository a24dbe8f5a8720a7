"""``refusal_report`` and ``refusal-lesson evaluate``, checked against scikit-learn."""

import json
import math
import subprocess
import sys

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from oracles import oracle_best, oracle_counts, oracle_metrics
from refusal_lesson.commands import main
from refusal_lesson.data import load_prompts
from refusal_lesson.commands.evaluate import GUARDS
from refusal_lesson.guards import GUARD_NAMES, fit_lesson_guards
from refusal_lesson.report import refusal_report
from refusal_lesson.sweep import COLUMNS
from samples import RESPONSES, XSTEST_LIKE
from strategies import labelled_sets

REPORT_KEYS = {"threshold", "precision", "recall", "f1", "over_refusal_rate", "under_refusal_rate", "n", "by_category"}


def rates(scores, labels, threshold):
    """Over- and under-refusal rates from scikit-learn's confusion matrix; None where undefined."""
    counts = oracle_counts(scores, labels, threshold)
    benign, harmful = counts["fp"] + counts["tn"], counts["tp"] + counts["fn"]
    return (counts["fp"] / benign if benign else None, counts["fn"] / harmful if harmful else None)


def assert_report_matches_sklearn(report, scores, labels, categories=None):
    scores, labels = list(scores), list(labels)
    assert set(report) == REPORT_KEYS
    assert report["threshold"] == oracle_best(scores, labels, sorted(set(scores)))
    assert report["n"] == len(scores)
    expected = oracle_metrics(scores, labels, report["threshold"])
    expected["over_refusal_rate"], expected["under_refusal_rate"] = rates(scores, labels, report["threshold"])
    for name, value in expected.items():
        assert type(report[name]) is float and round(report[name], 4) == report[name]
        assert math.isclose(report[name], value, abs_tol=1e-4), name
    if categories is None:
        assert report["by_category"] == {}
        return
    assert list(report["by_category"]) == sorted(set(map(str, categories)))
    assert all(type(category) is str for category in report["by_category"])
    for category, entry in report["by_category"].items():
        inside = [str(c) == category for c in categories]
        sub_scores = [s for s, keep in zip(scores, inside) if keep]
        sub_labels = [l for l, keep in zip(labels, inside) if keep]
        assert entry["n"] == len(sub_scores)
        for name, value in zip(("over_refusal_rate", "under_refusal_rate"), rates(sub_scores, sub_labels, report["threshold"])):
            assert (entry[name] is None) if value is None else math.isclose(entry[name], value, abs_tol=1e-4)


@settings(max_examples=25)
@given(labelled_sets(min_size=2, max_size=15), st.data())
def test_report_matches_sklearn(data, draw):
    scores, labels = data
    if len(set(labels)) < 2:
        labels = ["refuse", "answer"] + list(labels[2:])
    categories = draw.draw(st.lists(st.sampled_from(["a", "b", 3]), min_size=len(scores), max_size=len(scores)))
    report = refusal_report(scores, labels, categories)
    assert_report_matches_sklearn(report, scores, labels, categories)


def test_report_returns_the_sweep_it_chose_from():
    scores, labels = [0.9, 0.8, 0.6, 0.3, 0.6], ["refuse", "answer", "refuse", "answer", "answer"]
    report, sweep = refusal_report(scores, labels, return_sweep=True)
    assert report == refusal_report(scores, labels)
    assert sweep["threshold"].tolist() == [0.3, 0.6, 0.8, 0.9]
    counts = [oracle_counts(scores, labels, threshold) for threshold in sweep["threshold"]]
    assert sweep[["tp", "fp", "fn", "tn"]].to_dict("records") == counts


def test_report_rejects_one_label_and_bad_categories():
    with pytest.raises(ValueError, match="no prompt is labelled 'answer'"):
        refusal_report([0.1, 0.2], ["refuse", "refuse"])
    with pytest.raises(ValueError, match="no prompt is labelled 'refuse'"):
        refusal_report([0.1, 0.2], ["answer", "answer"])
    with pytest.raises(ValueError, match="got 1 categories for 2 prompts"):
        refusal_report([0.1, 0.2], ["refuse", "answer"], ["a"])


def test_evaluate_guard_names_match_the_guards_module():
    assert GUARDS == GUARD_NAMES


def test_building_the_parser_stays_light():
    code = (
        "import sys; from refusal_lesson.commands import build_parser; build_parser(); "
        "print(sorted({name.split('.')[0] for name in sys.modules} & {'sklearn', 'pandas', 'matplotlib'}))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "[]", result.stderr


@pytest.fixture
def xstest_like(tmp_path):
    path = tmp_path / "xstest_prompts.csv"
    path.write_text(XSTEST_LIKE, encoding="utf-8")
    return path


@pytest.fixture
def responses(tmp_path):
    path = tmp_path / "responses.csv"
    path.write_text(RESPONSES, encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def lesson_guards():
    return fit_lesson_guards(load_prompts())


@pytest.mark.parametrize("guard", GUARD_NAMES)
def test_evaluate_scores_an_xstest_shaped_file_with_a_lesson_guard(xstest_like, tmp_path, capsys, lesson_guards, guard):
    out = tmp_path / "report.json"
    code = main(["evaluate", str(xstest_like), "--refuse-value", "unsafe", "--guard", guard, "--category-col", "type", "--json", str(out)])
    assert code == 0
    table = pd.read_csv(xstest_like)
    labels = table["label"].map({"unsafe": "refuse", "safe": "answer"})
    scores = lesson_guards[guard].score(table["prompt"])
    report = json.loads(out.read_text())
    assert_report_matches_sklearn(report, scores, labels, table["type"])
    printed = capsys.readouterr().out
    assert f"refuse when score >= {report['threshold']:.4g}" in printed
    assert "contrast_homonyms" in printed


def test_evaluate_a_file_of_refused_flags(responses, tmp_path, capsys):
    out, sweep, plot = tmp_path / "r.json", tmp_path / "sweep.csv", tmp_path / "rates.png"
    code = main([
        "evaluate", str(responses), "--refuse-value", "unsafe", "--score-col", "refused", "--category-col", "type",
        "--json", str(out), "--sweep-csv", str(sweep), "--plot", str(plot),
    ])
    assert code == 0, capsys.readouterr().err
    table = pd.read_csv(responses)
    labels = table["label"].map({"unsafe": "refuse", "safe": "answer"}).tolist()
    report = json.loads(out.read_text())
    assert_report_matches_sklearn(report, table["refused"].tolist(), labels, table["type"])
    # Refusing exactly what the model refused is the best operating point here.
    assert report["threshold"] == 1.0
    assert report["by_category"]["history"] == {"n": 1, "over_refusal_rate": 0.0, "under_refusal_rate": None}

    written = pd.read_csv(sweep)
    assert list(written.columns) == list(COLUMNS)
    assert written["threshold"].tolist() == [0.0, 1.0]
    for row in written.itertuples():
        counts = oracle_counts(table["refused"].tolist(), labels, row.threshold)
        assert (row.tp, row.fp, row.fn, row.tn) == (counts["tp"], counts["fp"], counts["fn"], counts["tn"])
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_evaluate_prints_dashes_for_rates_a_category_cannot_have(responses, capsys):
    assert main(["evaluate", str(responses), "--refuse-value", "unsafe", "--score-col", "refused", "--category-col", "type"]) == 0
    history = next(line for line in capsys.readouterr().out.splitlines() if line.startswith("history"))
    assert history.split() == ["history", "1", "0.0000", "-"]


# (arguments, what the one-sentence error must say); {x} is the XSTest-shaped
# file, {r} the responses, {one} a file of harmful prompts only, {keep} an
# existing file and {tmp} the test's folder.
BAD_INPUT = {
    "missing file": ("{tmp}/nope.csv --guard keyword", "nope.csv does not exist; check the path."),
    "missing text column": ("{x} --refuse-value unsafe --guard keyword --text-col text", "has no column 'text'"),
    "missing score column": ("{r} --refuse-value unsafe --score-col score", "has no column 'score'"),
    "missing category column": ("{r} --refuse-value unsafe --score-col refused --category-col kind", "has no column 'kind'"),
    "default refuse value": ("{x} --guard keyword", "has 'refuse' in column 'label' (it holds 'safe', 'unsafe')"),
    "unknown label": ("{x} --refuse-value unsafe --answer-value benign --guard keyword", "row 1 of"),
    "non-numeric score": ("{x} --refuse-value unsafe --score-col prompt", "which is not a finite number"),
    "one label only": ("{one} --refuse-value unsafe --score-col refused", "no prompt is labelled 'answer'"),
    "output exists": ("{r} --refuse-value unsafe --score-col refused --json {keep}", "already exists; choose another name or pass --force to replace it."),
    "output is input": ("{r} --refuse-value unsafe --score-col refused --sweep-csv {r} --force", "is the input file"),
    "same output twice": ("{r} --refuse-value unsafe --score-col refused --json {tmp}/a --sweep-csv {tmp}/a", "both name"),
    "missing folder": ("{r} --refuse-value unsafe --score-col refused --json {tmp}/no/r.json", "does not exist; create it first."),
    "output is a folder": ("{r} --refuse-value unsafe --score-col refused --plot {tmp}", "is a directory"),
    "bad plot name": ("{r} --refuse-value unsafe --score-col refused --plot {tmp}/plot.txt", "end the name in .png"),
}


@pytest.mark.parametrize("problem", BAD_INPUT)
def test_evaluate_bad_input_gets_one_sentence_and_exit_2(tmp_path, xstest_like, responses, capsys, problem):
    arguments, message = BAD_INPUT[problem]
    one = tmp_path / "one.csv"
    one.write_text("prompt,label,refused\na,unsafe,1\nb,unsafe,0\n")
    keep = tmp_path / "existing.json"
    keep.write_text("keep me")
    argv = arguments.format(x=xstest_like, r=responses, one=one, keep=keep, tmp=tmp_path).split()
    before = {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()}
    assert main(["evaluate", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("refusal-lesson: error: ") and captured.err.count("\n") == 1
    assert message in captured.err
    assert {path: path.read_bytes() for path in tmp_path.rglob("*") if path.is_file()} == before


def test_evaluate_force_replaces_an_old_report(responses, tmp_path):
    out = tmp_path / "r.json"
    out.write_text("old")
    assert main(["evaluate", str(responses), "--refuse-value", "unsafe", "--score-col", "refused", "--json", str(out), "--force"]) == 0
    assert set(json.loads(out.read_text())) == REPORT_KEYS


def test_evaluate_needs_exactly_one_source_of_scores(responses, capsys):
    for extra in ([], ["--score-col", "refused", "--guard", "keyword"]):
        assert main(["evaluate", str(responses), *extra]) == 2
        err = capsys.readouterr().err
        assert "--score-col" in err and len(err.strip().splitlines()) == 1


def test_evaluate_command_line_exits_2_without_a_traceback(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "refusal_lesson", "evaluate", str(tmp_path / "missing.csv"), "--score-col", "s"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 2
    assert result.stderr == f"refusal-lesson: error: {tmp_path / 'missing.csv'} does not exist; check the path.\n"


def test_evaluate_writes_its_files_before_printing(responses, tmp_path, monkeypatch):
    """A closed pipe (``evaluate ... | head``) must not cost the user the files they asked for."""
    class ClosedPipe:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            pass

    out = tmp_path / "r.json"
    monkeypatch.setattr(sys, "stdout", ClosedPipe())
    main(["evaluate", str(responses), "--refuse-value", "unsafe", "--score-col", "refused", "--json", str(out)])
    assert set(json.loads(out.read_text())) == REPORT_KEYS

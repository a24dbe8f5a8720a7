"""What a student reading only the notebooks meets: short prose, terms defined
before use, tidy outputs, and every reflection question collected in answers.md."""

import re

import nbformat
import pytest

from notebook_build import INSTRUCTOR_DIR, ROOT, STUDENT_DIR, parse_cells, sources

NAMES = [path.stem for path in sources()]
# learntools' markdown cells average about 50 words; a little slack.
MEAN_WORDS = 55
# Each term, and how its uses are spotted in the prose (case-insensitive).
TERMS = {
    "over-refusal rate": r"over[-_]refusal[ _]rate",
    "under-refusal rate": r"under[-_]refusal[ _]rate",
    "precision": r"\bprecision\b",
    "recall": r"\brecall\b",
    "F1": r"\bf1\b",
    "confusion matrix": r"confusion[ _]matrix",
    "positive class": r"positive class",
    "average precision": r"average precision|\bAP\b",
    "contrast pairs": r"contrast pairs?",
    "out of fold": r"out[ _]of[ _]fold",
    "matched recall": r"matched recall",
    "XSTest": r"xstest",
    "F-beta": r"f-?beta|\bF0\.5\b|\bF2\b",
    "cost matrix": r"cost matrix",
    "bootstrap": r"bootstrap",
    "raw agreement": r"raw agreement",
    "Cohen's kappa": r"kappa",
}


def lesson_cells():
    """``(notebook, index, kind, source)`` for every cell, in lesson order."""
    return [
        (path.stem, index, kind, source)
        for path in sources()
        for index, (kind, source) in enumerate(parse_cells(path.read_text(encoding="utf-8")))
    ]


@pytest.mark.parametrize("name", NAMES)
def test_markdown_cells_are_short(name):
    cells = parse_cells((ROOT / "tools" / "notebooks" / f"{name}.py").read_text(encoding="utf-8"))
    words = [len(source.split()) for kind, source in cells if kind == "markdown"]
    assert sum(words) / len(words) <= MEAN_WORDS, words


@pytest.mark.parametrize("term", TERMS)
def test_every_term_is_defined_in_bold_where_a_student_first_meets_it(term):
    pattern = re.compile(TERMS[term], re.IGNORECASE)
    first = next((cell for cell in lesson_cells() if cell[2] == "markdown" and pattern.search(cell[3])), None)
    assert first is not None, f"{term} is never used"
    name, index, kind, source = first
    bold = " ".join(" ".join(text.split()) for text in re.findall(r"\*\*(.+?)\*\*", source, flags=re.S))
    assert pattern.search(bold), f"{term} is first used in {name} cell {index + 1}, undefined"


def test_the_f1_question_comes_before_the_check_it_is_about():
    cells = parse_cells((ROOT / "tools" / "notebooks" / "02-moving-the-line.py").read_text(encoding="utf-8"))
    question = next(i for i, (_, source) in enumerate(cells) if "which threshold a `>`" in source)
    check = next(i for i, (_, source) in enumerate(cells) if 'check("best_threshold")' in source)
    assert question < check


def outputs_text(name):
    notebook = nbformat.read(ROOT / INSTRUCTOR_DIR / f"{name}.ipynb", as_version=4)
    for cell in notebook.cells:
        for output in cell.get("outputs", []):
            yield output.get("text", "") + output.get("data", {}).get("text/plain", "")


@pytest.mark.parametrize("name", NAMES)
def test_no_output_is_a_raw_series_or_a_float_count(name):
    for text in outputs_text(name):
        assert "dtype:" not in text, text
        lines = text.splitlines()
        header = lines[0].split() if lines else []
        if "tp" in header and "fp" in header:
            for line in lines[1:]:
                values = line.split()[-len(header):]
                counts = [values[header.index(column)] for column in ("tp", "fp", "fn", "tn") if column in header]
                assert all(re.fullmatch(r"\d+", count) for count in counts), line


def questions(source):
    """The numbered questions under a "To think about" heading, whitespace normalised."""
    section = source.split("## To think about", 1)[1]
    items = re.findall(r"^\d+\. (.+?)(?=^\d+\. |^\s*$|\Z)", section, flags=re.M | re.S)
    return [" ".join(item.split()) for item in items]


def test_answers_template_holds_every_question_and_the_operating_point_paragraph():
    answers = " ".join((ROOT / "answers.md").read_text(encoding="utf-8").split())
    asked = [
        question
        for path in sources()
        for kind, source in parse_cells(path.read_text(encoding="utf-8"))
        if kind == "markdown" and "## To think about" in source
        for question in questions(source)
    ]
    assert len(asked) == 3 * len(NAMES)
    for question in asked:
        assert question in answers, question
    assert "### Your operating point" in answers and "MY_PAIRS" in answers


def test_the_student_bundle_carries_the_answers_template():
    from refusal_lesson.grading import bundle

    assert "answers.md" in {path.as_posix() for path in bundle.release_files()}


def test_student_notebooks_point_at_the_answers_file():
    for name in NAMES:
        text = (ROOT / STUDENT_DIR / f"{name}.ipynb").read_text(encoding="utf-8")
        assert "answers.md" in text, name

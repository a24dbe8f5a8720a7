"""The class roster in, a gradebook out: scores keyed by student, not by file.

A roster is a CSV file with a header row naming three columns (any order,
any case, other columns ignored):

``submission``
    the submission's name as ``grade --out`` shows it in ``summary.csv``
    (``alice`` for ``alice.py``, ``alice.zip`` or a folder ``alice/``; the
    file name itself is accepted too);
``student_id``
    what the gradebook keys students by;
``email``
    the student's email.

:func:`write_gradebook` writes ``gradebook.csv`` (``student_id``,
``email``, ``score``, ``max_score``: one row per roster student, 0 for a
student with no submission) and ``unmatched.csv`` (``submission``,
``score``, ``max_score``: the graded submissions no roster row names).
Every text cell is guarded against spreadsheet formulas
(:func:`.untrusted.csv_cell`).
"""

import csv
import io
import os
from pathlib import Path

from .files import open_folder, write_atomic
from .untrusted import csv_cell

COLUMNS = ("submission", "student_id", "email")
GRADEBOOK = "gradebook.csv"
UNMATCHED = "unmatched.csv"


def _key(submission):
    """A roster's submission cell as the name ``grade --out`` uses."""
    name = submission.strip()
    return name[:-len(Path(name).suffix)] if Path(name).suffix.lower() in (".py", ".zip") else name


def read_roster(path):
    """``{submission name: (student_id, email)}`` from the roster CSV at ``path``.

    Raises
    ------
    ValueError
        With one sentence naming the file, the row and the fix, if the file
        cannot be read, lacks a column, or names a submission or a student twice.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> roster = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = roster.write_text("Email,Submission,Student_ID\\nann@uni.edu,ann.py,s1\\n")
    >>> read_roster(roster)
    {'ann': ('s1', 'ann@uni.edu')}
    """
    try:
        with open(path, newline="", encoding="utf-8-sig") as stream:
            rows = list(csv.reader(stream))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValueError(f"cannot read the roster {path} ({error}); give a UTF-8 CSV file.") from None
    header = [cell.strip().lower() for cell in rows[0]] if rows else []
    missing = [column for column in COLUMNS if column not in header]
    if missing:
        raise ValueError(
            f"the roster {path} has no {', '.join(missing)} column; its header row must name "
            f"{', '.join(COLUMNS)}."
        )
    where = [header.index(column) for column in COLUMNS]
    roster, students = {}, set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [row[index].strip() if index < len(row) else "" for index in where]
        submission, student, email = _key(cells[0]), cells[1], cells[2]
        if not submission or not student:
            raise ValueError(f"row {number} of the roster {path} has no submission or no student_id; fill it in.")
        if submission in roster:
            raise ValueError(f"the roster {path} names submission {submission!r} twice (row {number}); keep one.")
        if student in students:
            raise ValueError(f"the roster {path} names student {student!r} twice (row {number}); keep one row per student.")
        roster[submission] = (student, email)
        students.add(student)
    return roster


def _write_csv(folder, name, header, rows):
    """Replace ``name`` in the folder ``folder`` (a descriptor) by ``rows`` under ``header``, every cell made safe."""
    stream = io.StringIO(newline="")
    writer = csv.writer(stream)
    writer.writerow(header)
    writer.writerows([csv_cell(cell) for cell in row] for row in rows)
    write_atomic(folder, name, stream.getvalue().encode("utf-8"), mode=0o644)


def write_gradebook(out, roster, results, max_score):
    """Write ``out/gradebook.csv`` and ``out/unmatched.csv``; return how many of each.

    Parameters
    ----------
    out : str or pathlib.Path
        The batch's folder.
    roster : dict
        From :func:`read_roster`.
    results : dict
        ``{submission name: results.json content}``, as ``grade_batch`` returns.
    max_score : float
        The assignment's points, given to students with no submission.

    Returns
    -------
    students, unmatched : int
    """
    rows = []
    for submission, (student, email) in sorted(roster.items(), key=lambda item: item[1]):
        content = results.get(submission)
        score, worth = (content["score"], content["max_score"]) if content else (0.0, max_score)
        rows.append((student, email, score, worth))
    extra = [(name, results[name]["score"], results[name]["max_score"]) for name in sorted(results) if name not in roster]
    # Written as the batch writes its results: never through a symlink.
    folder = open_folder(os.path.abspath(out))
    try:
        _write_csv(folder, GRADEBOOK, ("student_id", "email", "score", "max_score"), rows)
        _write_csv(folder, UNMATCHED, ("submission", "score", "max_score"), extra)
    finally:
        os.close(folder)
    return len(rows), len(extra)

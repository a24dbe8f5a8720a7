"""The class roster in, a gradebook out: scores keyed by student, not by file.

A roster is a CSV file with a header row naming three columns (any order,
any case, other columns ignored):

``submission``
    what the student uploaded, as it was named (``Bob Smith (1).py``, a
    folder ``alice/``, Moodle's ``Bob Smith_12345_assignsubmission_file_``,
    Canvas's ``smithbob_4021_990134_exercises.py``) or as ``summary.csv``
    shows it (``Bob_Smith_1``): both are cleaned by the one function that
    names the results folders (:func:`.submission.upload_name`);
``student_id``
    what the gradebook keys students by (for Canvas, its numeric user ID);
``email``
    the student's email (Moodle's import finds students by it).

Canvas's import also reads ``name``, ``section``, ``sis_user_id`` and
``sis_login_id``, taken when the roster has them.

:func:`write_gradebook` writes one row per roster student, in one of three
layouts (:data:`GRADEBOOKS`), a blank score (or 0) for a student with no
submission, and ``unmatched.csv`` (``submission``, ``score``,
``max_score``): the graded submissions no roster row names.  Every text
cell is guarded against spreadsheet formulas (:func:`.untrusted.csv_cell`).

The layouts follow each platform's importer:

``canvas``
    ``Student``, ``ID``, ``SIS User ID``, ``SIS Login ID``, ``Section``, then
    a column named after the assignment, as Canvas's gradebook export
    heads them.  Canvas's importer
    (``app/models/gradebook_importer.rb``) requires ``Student`` and ``ID``
    first and ``Section`` last of the student columns; it finds a student
    by ``ID``, then by SIS user or login ID, then by name, and an
    assignment by ``Title (id)`` or by title, creating one otherwise.
``moodle``
    ``Email address`` and ``Assignment: NAME (Real)``.  Moodle's CSV import
    (``grade/import/grade_import_form.php``) preselects the column whose
    header reads "Email address" to identify users by email, and maps a
    ``... (Real)`` column to the grade item of that name ("Assignment: NAME"
    for an assignment activity); it stops at the first row whose user it
    cannot find, so every row needs an email.
``plain``
    ``student_id``, ``email``, ``score``, ``max_score``.
"""

import csv
import io
import os
from collections import namedtuple
from pathlib import PurePosixPath

from .files import open_folder, write_atomic
from .submission import UPLOAD_SUFFIXES, upload_name, uploaded_as
from .untrusted import csv_cell

COLUMNS = ("submission", "student_id", "email")
# Read when present, for Canvas's student columns.
OPTIONAL_COLUMNS = ("name", "section", "sis_user_id", "sis_login_id")
GRADEBOOKS = {"plain": "gradebook.csv", "canvas": "gradebook-canvas.csv", "moodle": "gradebook-moodle.csv"}
UNMATCHED = "unmatched.csv"
# How Moodle's own export heads an assignment activity's grade column (an
# English-language site): its import maps that header back to the grade item.
MOODLE_GRADE = "Assignment: {} (Real)"

Student = namedtuple("Student", (*COLUMNS, *OPTIONAL_COLUMNS))


def read_roster(path, gradebook_format="plain"):
    """The students of the roster CSV at ``path``, in file order.

    Parameters
    ----------
    path : str or pathlib.Path
    gradebook_format : {"plain", "canvas", "moodle"}
        Moodle's import needs every student's email, so with ``"moodle"`` a
        row without one is refused.

    Returns
    -------
    list of Student

    Raises
    ------
    ValueError
        With one sentence naming the file, the row and the fix, if the file
        cannot be read, lacks a column, names a submission or a student
        twice, or leaves out what the gradebook format needs.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> roster = pathlib.Path(tempfile.mkdtemp()) / "roster.csv"
    >>> _ = roster.write_text("Email,Submission,Student_ID,Section\\nann@uni.edu,ann.py,s1,A\\n")
    >>> read_roster(roster)
    [Student(submission='ann.py', student_id='s1', email='ann@uni.edu', name='', section='A', sis_user_id='', sis_login_id='')]
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
    where = [header.index(column) if column in header else None for column in Student._fields]
    students, submissions, ids = [], set(), set()
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        student = Student(*(row[index].strip() if index is not None and index < len(row) else "" for index in where))
        if not student.submission or not student.student_id:
            raise ValueError(f"row {number} of the roster {path} has no submission or no student_id; fill it in.")
        if student.submission in submissions:
            raise ValueError(f"the roster {path} names submission {student.submission!r} twice (row {number}); keep one.")
        if student.student_id in ids:
            raise ValueError(
                f"the roster {path} names student {student.student_id!r} twice (row {number}); keep one row per student."
            )
        if gradebook_format == "moodle" and not student.email:
            raise ValueError(
                f"row {number} of the roster {path} has no email, which Moodle's import finds students by; fill it in."
            )
        students.append(student)
        submissions.add(student.submission)
        ids.add(student.student_id)
    return students


def _upload_names(names):
    """``{name an upload had, or that name without .py/.zip/.ipynb: its folder}``, names two uploads share left out."""
    found, shared = {}, set()
    for folder, path in names.items():
        upload = uploaded_as(path)
        suffix = PurePosixPath(upload).suffix
        stem = upload[: -len(suffix)] if suffix.lower() in UPLOAD_SUFFIXES else upload
        for name in {upload, stem}:
            if found.setdefault(name, folder) != folder:
                shared.add(name)
    return {name: folder for name, folder in found.items() if name not in shared}


def match_roster(roster, names):
    """``{roster submission cell: results folder, or None}``.

    A cell matches the upload of that exact name (with or without its
    ``.py``, ``.zip`` or ``.ipynb``), else the folder its cleaned name
    (:func:`.submission.upload_name`) gives.

    Raises
    ------
    ValueError
        If two rows name the same upload.

    Parameters
    ----------
    roster : list of Student
    names : dict
        ``{results folder: path}``, as :func:`.batch.plan` gives.

    Examples
    --------
    >>> from refusal_lesson.grading.batch import plan
    >>> names = plan(["class/Bob Smith (1).py", "class/bob smith.py", "class/bob_smith.py"])
    >>> cells = ["Bob_Smith_1", "bob smith", "bob_smith.py", "cat"]
    >>> found = match_roster([Student(cell, str(n), "", "", "", "", "") for n, cell in enumerate(cells)], names)
    >>> [names[found[cell]] if found[cell] else None for cell in cells]
    ['class/Bob Smith (1).py', 'class/bob smith.py', 'class/bob_smith.py', None]
    """
    uploads = _upload_names(names)
    found, taken = {}, {}
    for student in roster:
        cleaned = upload_name(student.submission)
        folder = uploads.get(student.submission) or (cleaned if cleaned in names else None)
        if folder is not None and taken.setdefault(folder, student.submission) != student.submission:
            raise ValueError(
                f"the roster's rows {taken[folder]!r} and {student.submission!r} both name the upload graded "
                f"into {folder}; keep the row of the student who sent it."
            )
        found[student.submission] = folder
    return found


def _write_csv(folder, name, rows):
    """Replace ``name`` in the folder ``folder`` (a descriptor) by ``rows``, every cell made safe."""
    stream = io.StringIO(newline="")
    csv.writer(stream).writerows([csv_cell(cell) for cell in row] for row in rows)
    write_atomic(folder, name, stream.getvalue().encode("utf-8"), mode=0o644)


def gradebook_rows(gradebook_format, scores, max_score, assignment):
    """The gradebook's rows, header first, in the layout ``gradebook_format`` names.

    Parameters
    ----------
    gradebook_format : {"plain", "canvas", "moodle"}
    scores : list of (Student, score)
        ``score`` is a number, or ``""`` for a blank.
    max_score : float
    assignment : str
        The assignment's name in the LMS (Canvas and Moodle).

    Examples
    --------
    >>> ann = Student("ann.py", "4021", "ann@uni.edu", "Lee, Ann", "A", "", "")
    >>> gradebook_rows("canvas", [(ann, 27.0)], 27.0, "Lab 3")
    [('Student', 'ID', 'SIS User ID', 'SIS Login ID', 'Section', 'Lab 3'), ('Lee, Ann', '4021', '', '', 'A', 27.0)]
    >>> gradebook_rows("moodle", [(ann, "")], 27.0, "Lab 3")
    [('Email address', 'Assignment: Lab 3 (Real)'), ('ann@uni.edu', '')]
    """
    if gradebook_format == "canvas":
        header = ("Student", "ID", "SIS User ID", "SIS Login ID", "Section", assignment)
        return [header] + [
            (s.name, s.student_id, s.sis_user_id, s.sis_login_id, s.section, score) for s, score in scores
        ]
    if gradebook_format == "moodle":
        return [("Email address", MOODLE_GRADE.format(assignment))] + [(s.email, score) for s, score in scores]
    return [("student_id", "email", "score", "max_score")] + [
        (s.student_id, s.email, score, max_score) for s, score in scores
    ]


def write_gradebook(out, roster, results, names, max_score, gradebook_format="plain", missing="blank", assignment="refusal-lesson"):
    """Write the gradebook and ``out/unmatched.csv``; return the gradebook's name and the counts.

    Parameters
    ----------
    out : str or pathlib.Path
        The batch's folder.
    roster : list of Student
        From :func:`read_roster`.
    results : dict
        ``{results folder: results.json content}``, as ``grade_batch`` returns.
    names : dict
        ``{results folder: path}``, as :func:`.batch.plan` gives.
    max_score : float
        The assignment's points.
    gradebook_format : {"plain", "canvas", "moodle"}
    missing : {"blank", "0"}
        The score of a student with no graded submission.
    assignment : str
        The assignment's name in the LMS.

    Returns
    -------
    gradebook : str
        The file written in ``out`` (:data:`GRADEBOOKS`).
    students, without, unmatched : int
        Roster students, those with no graded submission, and the graded
        submissions no roster row names.
    """
    found = match_roster(roster, names)
    scores = []
    for student in roster:
        content = results.get(found[student.submission])
        scores.append((student, content["score"] if content else ("" if missing == "blank" else 0.0)))
    matched = set(found.values())
    extra = [(name, results[name]["score"], results[name]["max_score"]) for name in sorted(results) if name not in matched]
    gradebook = GRADEBOOKS[gradebook_format]
    # Written as the batch writes its results: never through a symlink.
    folder = open_folder(os.path.abspath(out))
    try:
        _write_csv(folder, gradebook, gradebook_rows(gradebook_format, scores, max_score, assignment))
        _write_csv(folder, UNMATCHED, [("submission", "score", "max_score"), *extra])
    finally:
        os.close(folder)
    without = sum(1 for student in roster if found[student.submission] not in results)
    return gradebook, len(roster), without, len(extra)

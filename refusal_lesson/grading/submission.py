"""Find the exercise file in what a student handed in.

A submission is a student's ``exercises.py``, a folder holding
``refusal_lesson/exercises.py`` (or ``exercises.py`` at its top, as
Gradescope stores an upload), or a ``.zip`` of either.  A file the browser
renamed (``exercises (1).py``) or the student did (``my_exercises.py``) is
taken when it is the folder's or the zip's only ``.py`` (or, in a folder,
its only ``.zip``).  Only the one file is read out of a zip, with a size
cap, so a zip bomb or a path like ``../../etc`` never touches the disk.
"""

import re
import zipfile
from pathlib import Path, PurePosixPath

from .files import find_files
from .markdown import code
from .source import MAX_SOURCE_BYTES
from .untrusted import safe_name

FILE_NAME = "exercises.py"
# What in a folder could be the exercise file, when no file is called exercises.py.
FOLDER_SUFFIXES = (".py", ".zip")
# What a platform or an operating system adds to a folder or a zip.
IGNORED_PARTS = ("__MACOSX", "__pycache__")
# What a browser or an LMS names a second download of exercises.py.
PLAIN_STEM = re.compile(r"exercises( ?\(\d+\)|-\d+)?")
# What an upload's name ends in when the ending says only what kind of file it is.
UPLOAD_SUFFIXES = (".py", ".zip", ".ipynb")
# How an LMS names what it downloads, and which part names the student.
# Moodle (mod/assign/locallib.php, download_submissions): the full name
# (its underscores made spaces), the participant's number, then
# "_assignsubmission_file_" as a folder, or followed by the file's name.
# Canvas (lib/content_zipper.rb): the sortable name lower-cased without
# punctuation, "_LATE" for a late one, the user id, the file's id, then its
# name; "anon_" and an anonymous id instead when students are anonymous.
MOODLE_NAME = re.compile(r"(?P<student>.+?_\d+)_assignsubmission_[a-z]+_.*", re.DOTALL)
LMS_NAMES = (
    MOODLE_NAME,
    re.compile(r"(?:LATE_)?(?P<student>anon_[A-Za-z0-9]+)_\d+_.+", re.DOTALL),
    re.compile(r"(?P<name>\w*?)(?:_LATE)?_(?P<id>\d+)_\d+_.+", re.DOTALL),
)


class SubmissionError(ValueError):
    """The submission holds no usable exercise file; the message says why."""


def _preferred(paths):
    """``refusal_lesson/exercises.py`` over a bare ``exercises.py``, shallowest first."""
    ranked = sorted(paths, key=lambda path: (path.parent.name != "refusal_lesson", len(path.parts), str(path)))
    return ranked[0] if ranked else None


def _candidates(paths, suffixes):
    """The paths that could be the exercise file: ``exercises.py`` if any, else any of ``suffixes``."""
    usable = [
        path for path in paths
        if ".." not in path.parts and not any(part.startswith(".") or part in IGNORED_PARTS for part in path.parts)
    ]
    named = [path for path in usable if path.name == FILE_NAME]
    return named or [path for path in usable if path.suffix.lower() in suffixes]


def _only(candidates, where, kinds, action):
    """The one candidate; else one sentence saying what was found and what to do."""
    if len(candidates) == 1 or (candidates and candidates[0].name == FILE_NAME):
        return _preferred(candidates)
    if not candidates:
        raise SubmissionError(f"{code(where)} holds no {FILE_NAME} and no other {kinds} file; {action} refusal_lesson/{FILE_NAME}.")
    shown = ", ".join(code(name) for name in sorted(path.as_posix() for path in candidates)[:5])
    raise SubmissionError(
        f"{code(where)} holds no {FILE_NAME} but {len(candidates)} other files that could be it ({shown}); "
        f"{action} only refusal_lesson/{FILE_NAME}."
    )


def _from_folder(folder, scratch):
    files = [path.relative_to(folder) for path in find_files(folder, lambda name: name.lower().endswith(FOLDER_SUFFIXES))]
    found = folder / _only(_candidates(files, FOLDER_SUFFIXES), folder, ".py or .zip", "submit")
    return _from_zip(found, scratch) if found.suffix.lower() == ".zip" else found


def _from_zip(archive, scratch):
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = {PurePosixPath(info.filename): info for info in bundle.infolist() if not info.is_dir()}
            found = _only(_candidates(members, (".py",)), archive, ".py", "zip")
            info = members[found]
            if info.file_size > MAX_SOURCE_BYTES:
                raise SubmissionError(f"{code(archive)}: {code(found)} is larger than {MAX_SOURCE_BYTES // 1024} KB.")
            with bundle.open(info) as stream:
                data = stream.read(MAX_SOURCE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise SubmissionError(f"{code(archive)} is not a readable zip file ({code(error)}).") from None
    target = Path(scratch) / FILE_NAME
    target.write_bytes(data[:MAX_SOURCE_BYTES + 1])
    return target


def exercise_file(path, scratch):
    """The exercise file inside a submission.

    Parameters
    ----------
    path : str or pathlib.Path
        A ``.py`` file, a folder or a ``.zip``.
    scratch : str or pathlib.Path
        A folder to unpack a zip's exercise file into.

    Returns
    -------
    pathlib.Path

    Raises
    ------
    SubmissionError
        If there is no such file, or no exercise file inside it.

    Examples
    --------
    >>> exercise_file("no-such-file.py", ".")
    Traceback (most recent call last):
    ...
    refusal_lesson.grading.submission.SubmissionError: `no-such-file.py` does not exist; check the path.
    """
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{code(path)} does not exist; check the path.")
    if path.is_dir():
        return _from_folder(path, scratch)
    if path.suffix.lower() == ".zip":
        return _from_zip(path, scratch)
    if path.suffix != ".py":
        raise SubmissionError(f"{code(path)} is not a .py file, a folder or a .zip; submit your {FILE_NAME}.")
    return path


def upload_name(name):
    """The results folder an upload called ``name`` gets, and the one a roster naming it means.

    An LMS download name keeps only what names the student (Moodle's full
    name and participant number, Canvas's name and user id); otherwise
    ``.py``, ``.zip`` or ``.ipynb`` is dropped.  What is left keeps letters,
    digits, ``.``, ``_`` and ``-`` only (:func:`.untrusted.safe_name`).

    Examples
    --------
    >>> upload_name("Bob Smith (1).py"), upload_name("alice.ipynb"), upload_name("carol")
    ('Bob_Smith_1', 'alice', 'carol')
    >>> upload_name("Bob Smith_12345_assignsubmission_file_"), upload_name("Bob Smith_12345_assignsubmission_file_lab.py")
    ('Bob_Smith_12345', 'Bob_Smith_12345')
    >>> upload_name("smithbob_LATE_4021_990134_exercises-1.py"), upload_name("anon_x7Kq2_990135_exercises.py")
    ('smithbob_4021', 'anon_x7Kq2')
    """
    for pattern in LMS_NAMES:
        match = pattern.fullmatch(name)
        if match:
            found = match.groupdict()
            return safe_name(found.get("student") or f"{found['name']}_{found['id']}")
    suffix = PurePosixPath(name).suffix
    return safe_name(name[: -len(suffix)] if suffix.lower() in UPLOAD_SUFFIXES else name)


def uploaded_as(path):
    """The name the upload had: the file's own, or its folder's when the file's says nothing of who sent it.

    That is a folder's own name, and a file's folder's name when the file is
    ``exercises.py`` (or a browser's ``exercises (1).py``) or sits in a
    folder Moodle named after the student.

    Examples
    --------
    >>> uploaded_as("class/alice.py"), uploaded_as("class/bob/exercises (1).py")
    ('alice.py', 'bob')
    """
    path = Path(path)
    if path.is_dir():
        return path.resolve().name
    parent = path.resolve().parent.name
    # Moodle downloads into a folder per student, its files keeping their own names.
    if PLAIN_STEM.fullmatch(path.stem) or MOODLE_NAME.fullmatch(parent):
        return parent
    return path.name


def submission_name(path):
    """A short name for a submission's results folder, safe as a folder name: :func:`upload_name` of :func:`uploaded_as`.

    Examples
    --------
    >>> submission_name("class/alice.py"), submission_name("class/bob/exercises (1).py"), submission_name("carol.zip")
    ('alice', 'bob', 'carol')
    >>> submission_name("class/dan.ipynb"), submission_name("class/Eve Li_7_assignsubmission_file_/lab.py")
    ('dan', 'Eve_Li_7')
    >>> submission_name("class/...py"), submission_name("class/=cmd|x.py")
    ('submission', 'cmd_x')
    """
    return upload_name(uploaded_as(path))

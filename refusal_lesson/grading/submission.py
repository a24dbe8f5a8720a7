"""Find the exercise file in what a student handed in.

A submission is a student's ``exercises.py``, a folder holding
``refusal_lesson/exercises.py`` (or ``exercises.py`` at its top, as
Gradescope stores an upload), or a ``.zip`` of either.  Only the one file is
read out of a zip, with a size cap, so a zip bomb or a path like
``../../etc`` never touches the disk.
"""

import re
import zipfile
from pathlib import Path, PurePosixPath

from .files import find_file
from .source import MAX_SOURCE_BYTES
from .untrusted import safe_name

FILE_NAME = "exercises.py"
# What a browser or an LMS names a second download of exercises.py.
PLAIN_STEM = re.compile(r"exercises( ?\(\d+\)|-\d+)?")


class SubmissionError(ValueError):
    """The submission holds no usable exercise file; the message says why."""


def _preferred(paths):
    """``refusal_lesson/exercises.py`` over a bare ``exercises.py``, shallowest first."""
    ranked = sorted(paths, key=lambda path: (path.parent.name != "refusal_lesson", len(path.parts), str(path)))
    return ranked[0] if ranked else None


def _from_folder(folder):
    found = _preferred([path.relative_to(folder) for path in find_file(folder, FILE_NAME)])
    if found is None:
        raise SubmissionError(f"{folder} holds no {FILE_NAME}; submit refusal_lesson/{FILE_NAME}.")
    return folder / found


def _from_zip(archive, scratch):
    try:
        with zipfile.ZipFile(archive) as bundle:
            members = {PurePosixPath(info.filename): info for info in bundle.infolist() if not info.is_dir()}
            found = _preferred([path for path in members if path.name == FILE_NAME and ".." not in path.parts])
            if found is None:
                raise SubmissionError(f"{archive} holds no {FILE_NAME}; zip refusal_lesson/{FILE_NAME}.")
            info = members[found]
            if info.file_size > MAX_SOURCE_BYTES:
                raise SubmissionError(f"{archive}: {found} is larger than {MAX_SOURCE_BYTES // 1024} KB.")
            with bundle.open(info) as stream:
                data = stream.read(MAX_SOURCE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError) as error:
        raise SubmissionError(f"{archive} is not a readable zip file ({error}).") from None
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
    refusal_lesson.grading.submission.SubmissionError: no-such-file.py does not exist; check the path.
    """
    path = Path(path)
    if not path.exists():
        raise SubmissionError(f"{path} does not exist; check the path.")
    if path.is_dir():
        return _from_folder(path)
    if path.suffix.lower() == ".zip":
        return _from_zip(path, scratch)
    if path.suffix != ".py":
        raise SubmissionError(f"{path} is not a .py file, a folder or a .zip; submit your {FILE_NAME}.")
    return path


def submission_name(path):
    """A short name for a submission's results folder, safe as a folder name.

    Examples
    --------
    >>> submission_name("class/alice.py"), submission_name("class/bob/exercises (1).py"), submission_name("carol.zip")
    ('alice', 'bob', 'carol')
    >>> submission_name("class/...py"), submission_name("class/=cmd|x.py")
    ('submission', 'cmd_x')
    """
    path = Path(path)
    if path.suffix.lower() in (".py", ".zip") and not PLAIN_STEM.fullmatch(path.stem):
        return safe_name(path.stem)
    if path.suffix:
        return safe_name(path.resolve().parent.name)
    return safe_name(path.resolve().name)

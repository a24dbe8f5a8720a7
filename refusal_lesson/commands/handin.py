"""``refusal-lesson handin``: the two files a student hands in, in one small zip.

A zip of the whole lesson folder carries its ``.venv`` (hundreds of MB);
this one holds only ``refusal_lesson/exercises.py`` and ``answers.md``, at
those paths, which is a submission the grader takes as it is.
"""

import io
import zipfile
from pathlib import Path

from . import UsageError

# What is handed in, as paths inside the lesson folder (and inside the zip).
HANDED_IN = ("refusal_lesson/exercises.py", "answers.md")
DEFAULT_ZIP = "handin.zip"


def add_arguments(parser):
    """Register the ``handin`` options on ``parser``."""
    parser.add_argument(
        "--lesson", metavar="DIR", default=".", help="the lesson's folder, which holds answers.md (default: here)"
    )
    parser.add_argument(
        "--out", metavar="ZIP", default=None, help=f"where to write the zip (default: {DEFAULT_ZIP} in the lesson's folder)"
    )
    parser.add_argument("--force", action="store_true", help="replace the zip if it exists")


def handin_zip(lesson):
    """The bytes of a zip holding the handed-in files of the lesson folder ``lesson``.

    Parameters
    ----------
    lesson : path-like
        The lesson's folder.

    Returns
    -------
    bytes

    Raises
    ------
    UsageError
        If a file to hand in is missing, naming it and where to run the command.

    Examples
    --------
    >>> import tempfile
    >>> lesson = Path(tempfile.mkdtemp())
    >>> (lesson / "refusal_lesson").mkdir()
    >>> _ = (lesson / "refusal_lesson" / "exercises.py").write_text("def refusal_metrics(): ...\\n")
    >>> _ = (lesson / "answers.md").write_text("# Answers\\n")
    >>> zipfile.ZipFile(io.BytesIO(handin_zip(lesson))).namelist()
    ['refusal_lesson/exercises.py', 'answers.md']
    """
    lesson = Path(lesson)
    missing = [name for name in HANDED_IN if not (lesson / name).is_file()]
    if missing:
        raise UsageError(
            f"{lesson / missing[0]} is missing; run this in the lesson's folder (the one holding notebooks/ and "
            "answers.md), or name that folder with --lesson."
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in HANDED_IN:
            archive.write(lesson / name, arcname=name)
    return buffer.getvalue()


def run(args):
    """Write the zip, never over an existing one unless told to, and say where it is."""
    from ..grading.files import write_file

    out = Path(args.out) if args.out is not None else Path(args.lesson) / DEFAULT_ZIP
    if out.suffix.lower() != ".zip":
        raise UsageError(f"{out} does not end in .zip; name the file like {DEFAULT_ZIP}.")
    if out.exists() and not args.force:
        raise UsageError(f"{out} already exists; pass --force to replace it, or --out to choose another name.")
    data = handin_zip(args.lesson)
    write_file(out, data)
    print(
        f"Wrote {out.resolve()} ({len(data) / 1024:.1f} KB: {' and '.join(HANDED_IN)}). "
        "Hand in this file as your instructor says."
    )
    return 0

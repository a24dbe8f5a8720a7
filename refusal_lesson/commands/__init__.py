"""The ``refusal-lesson`` command line: one module per command, here.

A command module defines ``add_arguments(parser)`` and ``run(args) -> int``;
it imports anything heavy inside ``run``, because every command module is
imported to build the parser, so that ``refusal-lesson grade`` does not pay
for matplotlib and ``evaluate`` does not pay for the grader.  Options several
commands share are in :mod:`.options`.

One convention holds everywhere: ``--force`` is the one way to replace a file
that exists (nothing is replaced without it), options that exclude each other
are argparse groups, and anything a user got wrong surfaces as
:class:`UsageError` (or ``ValueError`` from the shared validation) and is
printed as one sentence naming the fix, with exit code 2, never as a
traceback.

The student bundle leaves out the instructor's commands (``autograder``,
``release``, ``prairielearn``); the parser offers the commands whose module
is present.
"""

import argparse
import importlib
import importlib.util
import os
import sys

from .. import __version__

# name -> one-line help; the command is the module of the same name here.
COMMANDS = {
    "evaluate": "Find the best-F1 threshold for a guard's scores and report over- and under-refusal.",
    "grade": "Grade submissions: Gradescope results.json, a table, or a batch.",
    "handin": "Zip the two files a student hands in: refusal_lesson/exercises.py and answers.md.",
    "autograder": "Build a Gradescope autograder zip (no solutions inside).",
    "release": "Build the student bundle (no solutions, no hidden checks).",
    "prairielearn": "Build a PrairieLearn question graded by this grader (no solutions inside).",
}


def available_commands():
    """The commands this copy of the package has, in :data:`COMMANDS` order.

    Examples
    --------
    >>> available_commands()[:2]
    ['evaluate', 'grade']
    """
    return [name for name in COMMANDS if importlib.util.find_spec(f"{__name__}.{name}") is not None]


class UsageError(Exception):
    """A problem with what the user passed; its message says what to fix."""


class _Parser(argparse.ArgumentParser):
    """argparse's parser, its errors one line that says where the options are."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message}; see {self.prog} --help.\n")


def build_parser():
    """The argument parser with every subcommand registered.

    Returns
    -------
    argparse.ArgumentParser

    Examples
    --------
    >>> build_parser().prog
    'refusal-lesson'
    """
    parser = _Parser(
        prog="refusal-lesson",
        description="Measure an AI guard's refusals and choose its threshold: tools for the refusal-lesson course.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in available_commands():
        subparser = subparsers.add_parser(name, help=COMMANDS[name], description=COMMANDS[name])
        subparser.set_defaults(module_name=f"{__name__}.{name}")
        importlib.import_module(f"{__name__}.{name}").add_arguments(subparser)
    return parser


def main(argv=None):
    """Run the command line and return its exit code.

    Parameters
    ----------
    argv : list of str, optional
        The arguments after the program name; ``sys.argv[1:]`` by default.

    Returns
    -------
    int
        0 on success, 2 when the input was unusable.

    Examples
    --------
    >>> main(["evaluate", "no-such-file.csv", "--guard", "keyword"])  # doctest: +SKIP
    refusal-lesson: error: no-such-file.csv does not exist; check the path.
    2
    """
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as stop:  # --help, --version, or a misspelt option (already explained)
        return stop.code
    module = importlib.import_module(args.module_name)
    try:
        return module.run(args)
    except BrokenPipeError:
        # The reader went away (``refusal-lesson evaluate ... | head``): that
        # is the reader's choice, not an error; stop quietly, and point
        # stdout at devnull so the interpreter's final flush cannot complain.
        try:
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        except (AttributeError, OSError, ValueError):
            pass  # stdout is not a real file (a test's stand-in): nothing to flush
        return 0
    except (UsageError, ValueError, OSError) as error:
        print(f"refusal-lesson: error: {_sentence(error)}", file=sys.stderr)
        return 2


def _sentence(error):
    """The error as one sentence that names the fix.

    The project's own errors already are; an ``OSError`` from the system
    (``[Errno 13] Permission denied: 'out.json'``) is reworded.

    Examples
    --------
    >>> _sentence(PermissionError(13, "Permission denied", "out.json"))
    'out.json: permission denied; check the path, and that you may read and write there.'
    """
    if isinstance(error, OSError) and error.strerror and error.filename:
        return f"{error.filename}: {error.strerror[0].lower()}{error.strerror[1:]}; check the path, and that you may read and write there."
    return str(error)

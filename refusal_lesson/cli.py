"""The ``refusal-lesson`` command line.

Each subcommand lives in its own module, imported only when it runs, so that
``refusal-lesson grade`` does not pay for matplotlib and ``evaluate`` does not
pay for the grader.  A command module defines ``add_arguments(parser)`` and
``run(args) -> int``; it imports anything heavy inside ``run``, because
every command module is imported to build the parser.  Anything a user got wrong surfaces as
:class:`UsageError` (or ``ValueError`` from the shared validation) and is
printed as one sentence with exit code 2, never as a traceback.
"""

import argparse
import importlib
import os
import sys

# name -> (module, one-line help)
COMMANDS = {
    "evaluate": (
        "refusal_lesson.evaluate",
        "Find the best-F1 threshold for a guard's scores and report over- and under-refusal.",
    ),
    "grade": ("refusal_lesson.grading.grade_command", "Grade submissions: Gradescope results.json, a table, or a batch."),
    "autograder": ("refusal_lesson.grading.autograder_command", "Build a Gradescope autograder zip (no solutions inside)."),
    "release": ("refusal_lesson.grading.release_command", "Build the student bundle (no solutions, no hidden checks)."),
    "prairielearn": (
        "refusal_lesson.grading.prairielearn_command",
        "Build a PrairieLearn question graded by this grader (no solutions inside).",
    ),
}


class UsageError(Exception):
    """A problem with what the user passed; its message says what to fix."""


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
    parser = argparse.ArgumentParser(
        prog="refusal-lesson",
        description="Calibrate an AI guard's refusals: tools for the refusal-lesson course.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name, (module_name, help_text) in COMMANDS.items():
        subparser = subparsers.add_parser(name, help=help_text, description=help_text)
        subparser.set_defaults(module_name=module_name)
        importlib.import_module(module_name).add_arguments(subparser)
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
    parser = build_parser()
    args = parser.parse_args(argv)
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
        print(f"refusal-lesson: error: {error}", file=sys.stderr)
        return 2

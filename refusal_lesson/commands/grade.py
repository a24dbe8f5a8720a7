"""``refusal-lesson grade``: grade one submission, or a batch with ``--out``."""

import os
import sys

from . import UsageError
from .options import add_grading_options, add_visibility_option, check_grading_options


def add_arguments(parser):
    """Register the ``grade`` options on ``parser``."""
    parser.add_argument(
        "submissions",
        nargs="+",
        metavar="SUBMISSION",
        help="an exercises.py, a folder holding refusal_lesson/exercises.py, or a .zip of either",
    )
    output = parser.add_mutually_exclusive_group()
    output.add_argument("--results", metavar="FILE", help="write Gradescope's results.json for one submission here")
    output.add_argument(
        "--out", metavar="DIR", help="grade several: write DIR/<submission>/results.json and DIR/summary.csv"
    )
    parser.add_argument(
        "--roster",
        metavar="CSV",
        help="with --out, also write a gradebook keyed by student (columns: submission, student_id, email)",
    )
    parser.add_argument(
        "--gradebook-format",
        choices=("plain", "canvas", "moodle"),
        default=None,
        help="with --roster: DIR/gradebook.csv (plain, the default), or a CSV that Canvas's or Moodle's "
        "grade import reads as it is (DIR/gradebook-canvas.csv, DIR/gradebook-moodle.csv)",
    )
    parser.add_argument(
        "--assignment",
        metavar="NAME",
        default=None,
        help="with --roster: the assignment's name in Canvas or Moodle, which names the score column "
        "(default: refusal-lesson)",
    )
    parser.add_argument(
        "--missing-score",
        choices=("blank", "0"),
        default=None,
        help="with --roster: the score of a student with no submission (default: blank)",
    )
    parser.add_argument(
        "--force",
        action="store_true",
        help="replace the --results file if it exists; with --out, grade again those already graded",
    )
    parser.add_argument("--jobs", type=int, default=None, help="submissions graded at once (default: one per core)")
    add_grading_options(parser, seed_help="seed for the hidden checks (default: the built-in one)")
    add_visibility_option(parser)
    parser.add_argument("--public-only", action="store_true", help="run only the checks students can see")
    parser.add_argument(
        "--isolation",
        choices=("namespaces", "uid", "none"),
        default=None,
        help="the strongest isolation to use (default: the strongest this machine allows)",
    )
    parser.add_argument(
        "--unsafe-no-isolation",
        action="store_true",
        help="let a batch run without isolation: each submission could then read and change "
        "the others' results and your files",
    )


def _validate(args):
    check_grading_options(args)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs is {args.jobs}; give 1 or more.")
    if len(args.submissions) > 1 and not args.out:
        raise UsageError(f"{len(args.submissions)} submissions given; pass --out DIR to grade several at once.")
    if args.results and os.path.lexists(args.results) and not args.force:
        raise UsageError(f"--results {args.results} already exists; choose another name or pass --force to replace it.")
    if args.roster and not args.out:
        raise UsageError("--roster goes with --out DIR, where the gradebook is written; pass both.")
    for option, value in (("--gradebook-format", args.gradebook_format), ("--assignment", args.assignment),
                          ("--missing-score", args.missing_score)):
        if value is not None and not args.roster:
            raise UsageError(f"{option} shapes the gradebook, which needs --roster CSV; pass it too.")
    if args.assignment is not None and not args.assignment.strip():
        raise UsageError("--assignment is empty; give the assignment's name as your LMS shows it.")


def run(args):
    """Grade and report; exit code 0 whenever grading completed, whatever the score."""
    _validate(args)
    from ..grading.checks import grading_checks
    from ..grading.grader import grade_submission
    from ..grading.results import gradescope, table, write_json
    from ..grading.sandbox import Limits, Sandbox

    if args.roster:
        from ..grading.batch import plan
        from ..grading.roster import match_roster, read_roster

        # Read and matched before grading, so a broken roster costs the instructor no wait.
        roster = read_roster(args.roster, args.gradebook_format or "plain")
        match_roster(roster, plan(args.submissions))
    checks, note = grading_checks(args.seed, args.public_only)
    # Only the student bundle lacks the hidden checks: there, `make check` is a
    # student grading their own file, who needs neither note nor isolation.
    student = note is not None
    if student and not (args.out or args.results):
        return _student_check(args)
    limits = Limits(call_seconds=args.timeout)
    # An isolation level this machine cannot give is a ValueError: one sentence, exit code 2.
    with Sandbox(limits, isolation=args.isolation) as sandbox:
        if args.out and sandbox.level == "none" and not args.unsafe_no_isolation:
            raise UsageError(
                f"{sandbox.describe()} A batch of other people's code needs isolation: run the grader as root "
                "(with bubblewrap installed for the strongest), or pass --unsafe-no-isolation to run it anyway."
            )
        if not student:
            print(sandbox.describe(), file=sys.stderr)
        if args.out:
            from ..grading.batch import grade_batch

            try:
                results = grade_batch(
                    args.submissions, args.out, checks, sandbox, args.jobs, args.force, args.delegation_penalty,
                    hidden_visibility=args.hidden_visibility,
                )
            except KeyboardInterrupt:
                print(
                    f"Interrupted: what was graded is in {args.out}; run the same command again to grade the rest.",
                    file=sys.stderr,
                )
                return 130
            print(f"Graded {len(results)} submissions; see {os.path.join(args.out, 'summary.csv')}.")
            if args.roster:
                from ..grading.roster import UNMATCHED, write_gradebook

                gradebook, students, without, unmatched = write_gradebook(
                    args.out, roster, results, plan(args.submissions), sum(check.points for check in checks),
                    args.gradebook_format or "plain", args.missing_score or "blank", args.assignment or "refusal-lesson",
                )
                print(
                    f"Wrote {os.path.join(args.out, gradebook)} ({students} students, {without} without a submission) "
                    f"and {os.path.join(args.out, UNMATCHED)} ({unmatched} submissions the roster does not name)."
                )
            return 0
        result = grade_submission(args.submissions[0], checks, sandbox)
        content = gradescope(result, args.delegation_penalty, sandbox.level, args.hidden_visibility)
    # Written before anything is printed: a terminal that chokes cannot cost the file.
    if args.results:
        write_json(args.results, content)
    print(table(content))
    return 0


def _student_check(args):
    """``make check`` in the student bundle: every exercise as the notebook's ``check()`` shows it."""
    from ..grading.definitions import definitions
    from ..grading.grader import grade_submission
    from ..grading.notebook import bundle_report
    from ..grading.sandbox import Limits, Sandbox

    checks = tuple(check for exercise in definitions() for check in exercise.checks)
    # The student's own code on their own machine, as in check(): isolation
    # would protect nothing, unless asked for by name.
    with Sandbox(Limits(call_seconds=args.timeout), isolation=args.isolation or "none") as sandbox:
        result = grade_submission(args.submissions[0], checks, sandbox)
    print("\n".join(bundle_report(result)))
    return 0

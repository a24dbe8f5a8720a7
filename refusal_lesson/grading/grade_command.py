"""``refusal-lesson grade``: grade one submission, or a batch with ``--out``."""

import os
import sys

from ..cli import UsageError
from .results import HIDDEN_VISIBILITIES


def add_grading_options(parser, seed_help):
    """Register the options ``grade`` and ``autograder`` share on ``parser``."""
    parser.add_argument("--seed", type=int, default=None, help=seed_help)
    parser.add_argument(
        "--timeout",
        type=float,
        default=2.0,
        help="seconds each call may take (default: 2); a submission may take 10 s to import plus this per call",
    )
    parser.add_argument(
        "--delegation-penalty",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of an exercise's points lost if it calls scikit-learn's metrics or threshold_sweep (default: 0)",
    )


def add_visibility_option(parser):
    """Register ``--hidden-visibility``, which only Gradescope's results.json uses."""
    parser.add_argument(
        "--hidden-visibility",
        choices=HIDDEN_VISIBILITIES,
        default="after_published",
        help="when Gradescope shows students the hidden checks (default: after_published)",
    )


def check_grading_options(args):
    """Refuse, in one sentence, the shared options' values that make no sense."""
    if not 0 <= args.delegation_penalty <= 1:
        raise UsageError(f"--delegation-penalty is {args.delegation_penalty:g}; give a share between 0 and 1.")
    if args.timeout <= 0:
        raise UsageError(f"--timeout is {args.timeout:g}; give a positive number of seconds.")


def add_arguments(parser):
    """Register the ``grade`` options on ``parser``."""
    parser.add_argument(
        "submissions",
        nargs="+",
        metavar="SUBMISSION",
        help="an exercises.py, a folder holding refusal_lesson/exercises.py, or a .zip of either",
    )
    parser.add_argument("--results", metavar="FILE", help="write Gradescope's results.json for one submission here")
    parser.add_argument(
        "--out", metavar="DIR", help="grade several: write DIR/<submission>/results.json and DIR/summary.csv"
    )
    parser.add_argument(
        "--roster",
        metavar="CSV",
        help="with --out, also write DIR/gradebook.csv keyed by student (columns: submission, student_id, email)",
    )
    parser.add_argument("--force", action="store_true", help="with --out, grade again those already graded")
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


def grading_checks(seed=None, public_only=False):
    """The public checks, then the hidden ones when this copy has them.

    Returns
    -------
    checks : tuple of Check
    note : str or None
        Says so when the hidden checks are missing (a student bundle).

    Examples
    --------
    >>> checks, note = grading_checks(public_only=True)
    >>> note is None and all(not check.hidden for check in checks)
    True
    """
    from .definitions import graded_names, public_checks

    checks = tuple(check for name in graded_names() for check in public_checks(name))
    if public_only:
        return checks, None
    try:
        from . import hidden
    except ImportError:
        return checks, "This copy of refusal-lesson has no hidden checks (a student bundle): public checks only."
    return checks + hidden.hidden_checks(hidden.DEFAULT_SEED if seed is None else seed), None


def _validate(args):
    check_grading_options(args)
    if args.jobs is not None and args.jobs < 1:
        raise UsageError(f"--jobs is {args.jobs}; give 1 or more.")
    if args.out and args.results:
        raise UsageError("--results is for one submission and --out for several; pass only one of them.")
    if len(args.submissions) > 1 and not args.out:
        raise UsageError(f"{len(args.submissions)} submissions given; pass --out DIR to grade several at once.")
    if args.roster and not args.out:
        raise UsageError("--roster goes with --out DIR, where the gradebook is written; pass both.")


def run(args):
    """Grade and report; exit code 0 whenever grading completed, whatever the score."""
    _validate(args)
    from .grader import grade_submission
    from .results import gradescope, table, write_json
    from .sandbox import Limits, Sandbox

    if args.roster:
        from .roster import read_roster

        # Read before grading, so a broken roster costs the instructor no wait.
        roster = read_roster(args.roster)
    checks, note = grading_checks(args.seed, args.public_only)
    if note:
        print(note, file=sys.stderr)
    limits = Limits(call_seconds=args.timeout)
    # An isolation level this machine cannot give is a ValueError: one sentence, exit code 2.
    with Sandbox(limits, isolation=args.isolation) as sandbox:
        if args.out and sandbox.level == "none" and not args.unsafe_no_isolation:
            raise UsageError(
                f"{sandbox.describe()} A batch of other people's code needs isolation: run the grader as root "
                "(with bubblewrap installed for the strongest), or pass --unsafe-no-isolation to run it anyway."
            )
        print(sandbox.describe(), file=sys.stderr)
        if args.out:
            from .batch import grade_batch

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
                from .roster import GRADEBOOK, UNMATCHED, write_gradebook

                students, unmatched = write_gradebook(args.out, roster, results, sum(check.points for check in checks))
                print(
                    f"Wrote {os.path.join(args.out, GRADEBOOK)} ({students} students) and "
                    f"{os.path.join(args.out, UNMATCHED)} ({unmatched} submissions the roster does not name)."
                )
            return 0
        result = grade_submission(args.submissions[0], checks, sandbox)
        content = gradescope(result, args.delegation_penalty, sandbox.level, args.hidden_visibility)
    # Written before anything is printed: a terminal that chokes cannot cost the file.
    if args.results:
        write_json(args.results, content)
    print(table(content))
    return 0

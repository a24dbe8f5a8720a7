"""``refusal-lesson prairielearn OUTDIR``: a PrairieLearn question, externally graded."""

import secrets

from .options import add_grading_options, check_grading_options


def add_arguments(parser):
    """Register the ``prairielearn`` options on ``parser``."""
    parser.add_argument("outdir", metavar="OUTDIR", help="a new or empty folder for the question")
    add_grading_options(parser, seed_help="seed for the hidden checks (default: a new random one, printed)")


def run(args):
    """Write the question folder and say where it goes in a course."""
    from ..grading.prairielearn import build_question

    check_grading_options(args)
    seed = secrets.randbelow(2**31) if args.seed is None else args.seed
    count = build_question(args.outdir, seed, args.timeout, args.delegation_penalty)
    print(
        f"Wrote {args.outdir} ({count} files, hidden-check seed {seed}); "
        "copy it into your course's questions/ folder."
    )
    return 0

"""``refusal-lesson autograder OUT.zip``: a Gradescope autograder, solutions left out."""

import secrets
import shlex
from pathlib import Path

from . import UsageError
from .options import add_grading_options, add_visibility_option, check_grading_options


def add_arguments(parser):
    """Register the ``autograder`` options on ``parser``."""
    parser.add_argument("zip", metavar="OUT.zip", help="where to write the autograder zip")
    add_grading_options(parser, seed_help="seed for the hidden checks (default: a new random one, printed)")
    add_visibility_option(parser)
    parser.add_argument("--force", action="store_true", help="replace OUT.zip if it exists")


def run(args):
    """Build the zip and say what is in it."""
    from ..grading.bundle import build_autograder

    out = Path(args.zip)
    if out.suffix.lower() != ".zip":
        raise UsageError(f"{out} does not end in .zip; name the autograder file like autograder.zip.")
    if out.exists() and not args.force:
        raise UsageError(f"{out} already exists; pass --force to replace it, or choose another name.")
    check_grading_options(args)
    seed = secrets.randbelow(2**31) if args.seed is None else args.seed
    options = " ".join(
        shlex.quote(part)
        for part in (
            "--timeout", f"{args.timeout:g}",
            "--delegation-penalty", f"{args.delegation_penalty:g}",
            "--hidden-visibility", args.hidden_visibility,
        )
    )
    count = build_autograder(out, options, seed)
    print(f"Wrote {out} ({count} files, hidden-check seed {seed}); upload it as the Gradescope autograder.")
    return 0

"""``refusal-lesson autograder OUT.zip``: a Gradescope autograder, solutions left out.

With ``--try SUBMISSION`` it then runs the zip's ``setup.sh`` and
``run_autograder`` here, in a fresh folder laid out as Gradescope's
``/autograder`` and at the isolation Gradescope gives (:mod:`..grading.gradescope`),
and prints what the student would see.
"""

import secrets
import shlex
import sys
from pathlib import Path

from . import UsageError
from .options import add_grading_options, add_visibility_option, check_grading_options


def add_arguments(parser):
    """Register the ``autograder`` options on ``parser``."""
    parser.add_argument("zip", metavar="OUT.zip", help="where to write the autograder zip")
    add_grading_options(parser, seed_help="seed for the hidden checks (default: a new random one, printed)")
    add_visibility_option(parser)
    parser.add_argument("--force", action="store_true", help="replace OUT.zip if it exists")
    parser.add_argument(
        "--try",
        dest="try_submission",
        metavar="SUBMISSION",
        help="then set the zip up and grade SUBMISSION with it as Gradescope would (as root on Linux; "
        "setup.sh installs with apt and pip, a minute or so), and print what the student sees",
    )


def run(args):
    """Build the zip and say what is in it."""
    from ..grading.bundle import build_autograder

    out = Path(args.zip)
    if out.suffix.lower() != ".zip":
        raise UsageError(f"{out} does not end in .zip; name the autograder file like autograder.zip.")
    if out.exists() and not args.force:
        raise UsageError(f"{out} already exists; pass --force to replace it, or choose another name.")
    check_grading_options(args)
    if args.try_submission is not None and not Path(args.try_submission).exists():
        raise UsageError(f"--try {args.try_submission} does not exist; give the file or folder a student would upload.")
    seed = secrets.randbelow(2**31) if args.seed is None else args.seed
    options = " ".join(
        shlex.quote(part)
        for part in (
            "--seed", str(seed),
            "--timeout", f"{args.timeout:g}",
            "--delegation-penalty", f"{args.delegation_penalty:g}",
            "--hidden-visibility", args.hidden_visibility,
        )
    )
    count = build_autograder(out, options)
    print(f"Wrote {out} ({count} files, hidden-check seed {seed}); upload it as the Gradescope autograder.")
    if args.try_submission is not None:
        _try(out, args.try_submission)
    return 0


def _try(archive, submission):
    """Grade ``submission`` with the zip as Gradescope would, and print what the student sees."""
    from ..grading.gradescope import gradescope_level, student_view, try_autograder

    level = gradescope_level()
    print(f"Trying {archive} on {submission}: setup.sh builds the image (a minute or so), then run_autograder grades it.")
    if level != "uid":
        print(
            "Not root here, so the grader runs at none; on Gradescope it runs as root, at uid. "
            "Run this as root (in a container, say) to try it at that level.",
            file=sys.stderr,
        )
    trial = try_autograder(archive, submission, level)
    print(f"setup.sh took {trial.setup_seconds:.1f} s; run_autograder took {trial.run_seconds:.1f} s "
          f"(graded at {trial.isolation}).")
    print("What the student sees before you publish the grades:")
    print("\n".join(student_view(trial.results)))

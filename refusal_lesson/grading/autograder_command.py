"""``refusal-lesson autograder OUT.zip``: a Gradescope autograder, solutions left out."""

import secrets
import shlex
from pathlib import Path

from ..cli import UsageError


def add_arguments(parser):
    """Register the ``autograder`` options on ``parser``."""
    parser.add_argument("zip", metavar="OUT.zip", help="where to write the autograder zip")
    parser.add_argument(
        "--seed", type=int, default=None, help="seed for the hidden checks (default: a new random one, printed)"
    )
    parser.add_argument("--timeout", type=float, default=20.0, help="wall-clock seconds per submission (default: 20)")
    parser.add_argument(
        "--delegation-penalty",
        type=float,
        default=0.0,
        metavar="SHARE",
        help="share of an exercise's points lost if it calls scikit-learn's metrics or threshold_sweep (default: 0)",
    )
    parser.add_argument("--force", action="store_true", help="replace OUT.zip if it exists")


def run(args):
    """Build the zip and say what is in it."""
    from .bundle import build_autograder

    out = Path(args.zip)
    if out.suffix.lower() != ".zip":
        raise UsageError(f"{out} does not end in .zip; name the autograder file like autograder.zip.")
    if out.exists() and not args.force:
        raise UsageError(f"{out} already exists; pass --force to replace it, or choose another name.")
    if not 0 <= args.delegation_penalty <= 1:
        raise UsageError(f"--delegation-penalty is {args.delegation_penalty:g}; give a share between 0 and 1.")
    seed = secrets.randbelow(2**31) if args.seed is None else args.seed
    options = " ".join(
        shlex.quote(part)
        for part in ("--seed", str(seed), "--timeout", f"{args.timeout:g}", "--delegation-penalty", f"{args.delegation_penalty:g}")
    )
    count = build_autograder(out, options)
    print(f"Wrote {out} ({count} files, hidden-check seed {seed}); upload it as the Gradescope autograder.")
    return 0

"""Options several commands share: how a grading run behaves, whichever route builds it."""

from ..grading.results import HIDDEN_VISIBILITIES
from . import UsageError


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

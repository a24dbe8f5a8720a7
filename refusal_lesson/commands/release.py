"""``refusal-lesson release OUTDIR``: the student bundle, without solutions or hidden checks."""


def add_arguments(parser):
    """Register the ``release`` arguments on ``parser``."""
    parser.add_argument("outdir", metavar="OUTDIR", help="a new or empty folder to write the bundle into")


def run(args):
    """Copy the bundle and say where it went."""
    from ..grading.bundle import build_release

    count = build_release(args.outdir)
    print(f"Wrote the student bundle to {args.outdir} ({count} files, no solutions, no hidden checks).")
    return 0

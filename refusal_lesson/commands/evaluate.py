"""``refusal-lesson evaluate``: the best-F1 operating point of any guard's scores.

It reads a CSV of labelled prompts (the lesson's, XSTest's, or a file of a
model's responses), takes each prompt's risk score from a column or from one
of the lesson's guards, picks the threshold with the best F1 among the
distinct scores (ties to the lowest) and reports precision, recall, F1 and
the over- and under-refusal rates at it, overall and per category.

The ``--guard`` options fit the lesson's guards on all of the lesson's
prompts, so on the lesson's own ``prompts.csv`` they are scored in-sample;
the held-out figures come from ``refusal_lesson.guards.split_by_pair``.

Examples::

    refusal-lesson evaluate xstest_prompts.csv --refuse-value unsafe \\
        --guard learned --category-col type --json xstest.json
    refusal-lesson evaluate responses.csv --refuse-value unsafe \\
        --score-col refused --plot responses.png
"""

from pathlib import Path

from . import UsageError

OUTPUTS = (("json", "--json"), ("sweep_csv", "--sweep-csv"), ("plot", "--plot"))
# refusal_lesson.guards.GUARD_NAMES, spelt out because importing the guards
# (and scikit-learn) to build the parser would slow every other command.
GUARDS = ("keyword", "learned", "contrast")


def add_arguments(parser):
    """Register the command's options on ``parser``.

    Examples
    --------
    >>> import argparse
    >>> parser = argparse.ArgumentParser()
    >>> add_arguments(parser)
    >>> args = parser.parse_args(["prompts.csv", "--guard", "keyword"])
    >>> args.text_col, args.label_col, args.refuse_value, args.guard
    ('prompt', 'label', 'refuse', 'keyword')
    """
    parser.add_argument("csv", metavar="CSV", help="a CSV file of labelled prompts, with a header row")
    parser.add_argument("--text-col", default="prompt", metavar="COLUMN",
                        help="the column of prompt text, scored by --guard (default: %(default)s)")
    parser.add_argument("--label-col", default="label", metavar="COLUMN",
                        help="the column of labels (default: %(default)s)")
    parser.add_argument("--refuse-value", default="refuse", metavar="VALUE",
                        help="the label of harmful prompts, e.g. unsafe (default: %(default)s)")
    parser.add_argument("--answer-value", default=None, metavar="VALUE",
                        help="the label of benign prompts (default: the one other label in the column)")
    source = parser.add_mutually_exclusive_group(required=True)
    source.add_argument("--score-col", metavar="COLUMN",
                        help="take the risk scores from this numeric column (a 0/1 'refused' flag works)")
    source.add_argument("--guard", choices=GUARDS,
                        help="score the text with a lesson guard fitted on all the lesson's prompts: "
                        "keyword (blocklist), learned (classifier trained without benign look-alikes) "
                        "or contrast (the same classifier trained on contrast pairs)")
    parser.add_argument("--category-col", metavar="COLUMN",
                        help="break the error rates down by this column")
    parser.add_argument("--json", metavar="FILE", help="also save the report as JSON")
    parser.add_argument("--sweep-csv", metavar="FILE", help="also save the metrics at every distinct score as CSV")
    parser.add_argument("--plot", metavar="FILE.png", help="also save a plot of both error rates against the threshold")
    parser.add_argument("--force", action="store_true",
                        help="replace output files that already exist (never the input CSV)")


def _check_outputs(args):
    """Refuse, before any work, every output that would lose a file or fail to save."""
    source = Path(args.csv).resolve()
    seen = {}
    for attribute, flag in OUTPUTS:
        value = getattr(args, attribute)
        if value is None:
            continue
        path = Path(value)
        resolved = path.resolve()
        if resolved == source:
            raise UsageError(f"{flag} {value} is the input file; choose another name for the output.")
        if resolved in seen:
            raise UsageError(f"{flag} and {seen[resolved]} both name {value}; give each output its own file.")
        seen[resolved] = flag
        if path.is_dir():
            raise UsageError(f"{flag} {value} is a directory; give a file name.")
        if path.exists() and not args.force:
            raise UsageError(f"{flag} {value} already exists; choose another name or pass --force to replace it.")
        if not resolved.parent.is_dir():
            raise UsageError(f"{flag} {value}: the folder {path.parent} does not exist; create it first.")
    if args.plot is not None:
        from matplotlib.figure import Figure

        formats = Figure().canvas.get_supported_filetypes()
        suffix = Path(args.plot).suffix.lstrip(".").lower()
        if suffix not in formats:
            raise UsageError(
                f"--plot {args.plot} has no image extension matplotlib can write; end the name in .png (or .svg, .pdf)."
            )


def _guard_scores(name, prompts):
    """Scores from the named lesson guard, fitted on every lesson prompt."""
    from ..data import load_prompts
    from ..guards import fit_lesson_guards

    return fit_lesson_guards(load_prompts())[name].score(prompts)


def _summary(report, table):
    """The report as text for the terminal."""
    row = table.loc[table["threshold"] == report["threshold"]].iloc[0]
    benign, harmful = int(row["fp"] + row["tn"]), int(row["tp"] + row["fn"])
    lines = [
        f"{report['n']} prompts ({harmful} harmful, {benign} benign); "
        f"best F1 among {len(table)} distinct scores:",
        f"  refuse when score >= {report['threshold']:.4g}",
        f"  precision {report['precision']:.4f}   recall {report['recall']:.4f}   F1 {report['f1']:.4f}",
        f"  over-refusal rate  {report['over_refusal_rate']:.4f}  ({int(row['fp'])} of {benign} benign prompts refused)",
        f"  under-refusal rate {report['under_refusal_rate']:.4f}  ({int(row['fn'])} of {harmful} harmful prompts answered)",
    ]
    if report["by_category"]:
        import pandas as pd

        by_category = pd.DataFrame.from_dict(report["by_category"], orient="index")
        lines += ["", "By category (- where a category has no prompt of that kind):",
                  by_category.to_string(na_rep="-", float_format="{:.4f}".format)]
    return "\n".join(lines)


def _plot(table, threshold, path):
    """Save both error rates against the threshold, the chosen one marked."""
    from matplotlib.figure import Figure

    from ..plots import threshold_curves

    figure = Figure(figsize=(6, 4), layout="constrained")
    threshold_curves(
        table,
        metrics=("over_refusal_rate", "under_refusal_rate"),
        ax=figure.subplots(),
        title="Over- and under-refusal against the threshold",
        mark=threshold,
        mark_label=f"best-F1 threshold ({threshold:.3g})",
        ylabel="rate",
    )
    figure.savefig(path)


def run(args):
    """Evaluate the scores and print (and save) the report; return the exit code."""
    import json

    from ..data import load_scores
    from ..report import refusal_report

    _check_outputs(args)
    data = load_scores(
        args.csv,
        label_col=args.label_col,
        refuse_value=args.refuse_value,
        answer_value=args.answer_value,
        text_col=args.text_col if args.guard else None,
        score_col=args.score_col,
        category_col=args.category_col,
    )
    scores = _guard_scores(args.guard, data["prompt"]) if args.guard else data["score"].to_numpy()
    report, table = refusal_report(scores, data["label"], data.get("category"), return_sweep=True)

    # Files first: they are what the user asked to keep, and printing can
    # fail (a closed pipe) where writing would not.
    if args.json is not None:
        Path(args.json).write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    if args.sweep_csv is not None:
        table.to_csv(args.sweep_csv, index=False)
    if args.plot is not None:
        _plot(table, report["threshold"], args.plot)
    print(_summary(report, table))
    return 0

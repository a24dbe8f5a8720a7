"""The lesson's figures: one function per kind of plot, all in one visual style.

Every function draws on the Axes it is given (or on a new figure), gives the
plot a title, labelled axes and, where there is more than one series, a
legend, and returns the Axes.  Colours come from the Okabe-Ito palette, which
stays distinguishable under the common forms of colour blindness, and every
series also differs by line style or marker so that the plots read in grey.
Nothing here is random except the strip plot's jitter, which is seeded.

matplotlib is imported here, never by ``import refusal_lesson``, so the
grader's processes do not pay for it; scikit-learn only by the two plots
that use its displays, so the ``evaluate --plot`` command does not either.
"""

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.colors import ListedColormap, to_rgb
from matplotlib.ticker import PercentFormatter

from .sweep import threshold_sweep
from .validation import ANSWER, REFUSE, check_scores_labels, check_threshold

# Okabe & Ito (2008), "Color Universal Design".
PALETTE = {
    "orange": "#E69F00",
    "sky blue": "#56B4E9",
    "bluish green": "#009E73",
    "yellow": "#F0E442",
    "blue": "#0072B2",
    "vermillion": "#D55E00",
    "reddish purple": "#CC79A7",
    "black": "#000000",
}

# The colours in the order series use them; yellow is left out because it is
# hard to see on white.
SERIES_COLOURS = tuple(PALETTE[name] for name in ("blue", "vermillion", "bluish green", "reddish purple", "orange", "sky blue", "black"))
LINE_STYLES = ("-", "--", "-.", ":")
MARKERS = ("o", "s", "^", "D", "v", "P", "X")

# The same colour means the same thing in every notebook.
LABEL_COLOURS = {REFUSE: PALETTE["vermillion"], ANSWER: PALETTE["blue"]}

# The pale half of matplotlib's "Blues": black text on any of it has a WCAG
# contrast ratio above 7 (the enhanced level).
MATRIX_COLOURS = ListedColormap(plt.get_cmap("Blues")(np.linspace(0.0, 0.55, 256)), name="pale blues")

METRIC_NAMES = {
    "precision": "precision",
    "recall": "recall",
    "f1": "F1",
    "over_refusal_rate": "over-refusal rate",
    "under_refusal_rate": "under-refusal rate",
}


def relative_luminance(colour):
    """WCAG 2 relative luminance of a matplotlib colour, from 0 (black) to 1 (white).

    Examples
    --------
    >>> relative_luminance("white"), relative_luminance("black")
    (1.0, 0.0)
    """
    channels = np.array(to_rgb(colour))
    linear = np.where(channels <= 0.04045, channels / 12.92, ((channels + 0.055) / 1.055) ** 2.4)
    return float(np.dot([0.2126, 0.7152, 0.0722], linear))


def contrast_ratio(first, second):
    """WCAG 2 contrast ratio of two colours, from 1 (same) to 21 (black on white).

    Examples
    --------
    >>> round(contrast_ratio("black", "white"), 1)
    21.0
    """
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def _readable_on(background):
    return max(("black", "white"), key=lambda colour: contrast_ratio(colour, background))


def _axes(ax):
    if ax is None:
        _, ax = plt.subplots(figsize=(6.4, 4.0), layout="constrained")
    return ax


def _style(ax, title, xlabel, ylabel):
    ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    return ax


def confusion_matrix(scores, labels, threshold, ax=None, title=None):
    """Draw the confusion matrix of a guard at one threshold.

    The guard refuses when ``score >= threshold``.  Rows are what the app
    should do (the labels), columns what the guard did; ``"refuse"`` comes
    first because it is the positive class.

    Parameters
    ----------
    scores : array-like of float
        One risk score per prompt.
    labels : array-like of str
        ``"refuse"`` or ``"answer"`` per prompt.
    threshold : float
        The line.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to one naming the threshold.

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    sklearn.metrics.ConfusionMatrixDisplay : draws the matrix.

    Examples
    --------
    >>> ax = confusion_matrix([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], 0.5)
    >>> ax.get_xlabel()
    'what the guard did'
    >>> plt.close(ax.figure)
    """
    from sklearn.metrics import ConfusionMatrixDisplay

    scores, harmful = check_scores_labels(scores, labels)
    threshold = check_threshold(threshold)
    ax = _axes(ax)
    truth = np.where(harmful, REFUSE, ANSWER)
    decision = np.where(scores >= threshold, REFUSE, ANSWER)
    display = ConfusionMatrixDisplay.from_predictions(
        truth, decision, labels=[REFUSE, ANSWER], ax=ax, cmap=MATRIX_COLOURS, colorbar=False
    )
    # scikit-learn picks each count's colour from the colormap's ends, which
    # can leave a mid-range cell with little contrast; on these pale blues,
    # black (whichever of black and white stands out more) always reads.
    for (row, column), text in np.ndenumerate(display.text_):
        background = display.im_.cmap(display.im_.norm(display.confusion_matrix[row, column]))
        text.set_color(_readable_on(background))
        text.set_fontsize("x-large")
    if title is None:
        title = f"Refuse when score >= {threshold:g}"
    return _style(ax, title, "what the guard did", "what the app should do")


def threshold_curves(
    table, metrics=("precision", "recall", "f1"), ax=None, title=None, mark=None, ylabel="value", mark_label=None
):
    """Plot metrics from a threshold sweep against the threshold.

    Parameters
    ----------
    table : pandas.DataFrame
        A table from :func:`refusal_lesson.sweep.threshold_sweep` (or any
        frame with a ``threshold`` column and the ``metrics`` columns).
    metrics : sequence of str, default=("precision", "recall", "f1")
        Columns to draw, one line each.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to "Refusal metrics against the threshold".
    mark : float, optional
        A threshold to mark with a vertical line (the chosen one).
    ylabel : str, default="value"
        What the lines measure. When every value lies in [0, 1] the axis
        spans exactly that range, so plots of rates compare at a glance.
    mark_label : str, optional
        The legend's name for the marked threshold; "threshold 0.5" style by
        default.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from refusal_lesson.sweep import threshold_sweep
    >>> table = threshold_sweep([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], [0.1, 0.5, 0.8])
    >>> ax = threshold_curves(table, mark=0.5)
    >>> [text.get_text() for text in ax.get_legend().get_texts()]
    ['precision', 'recall', 'F1', 'threshold 0.5']
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    table = table.sort_values("threshold", kind="stable")
    for index, metric in enumerate(metrics):
        ax.plot(
            table["threshold"],
            table[metric],
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            linestyle=LINE_STYLES[index % len(LINE_STYLES)],
            # A row's value holds for every threshold above the row before it
            # up to its own (a score on the line is refused), so each step
            # stands at a prompt's score, not one grid step past it.
            drawstyle="steps-pre",
            linewidth=2.2,
            label=METRIC_NAMES.get(metric, metric),
        )
    if mark is not None:
        mark = check_threshold(mark, "mark")
        ax.axvline(mark, color=PALETTE["black"], linewidth=1, label=mark_label or f"threshold {mark:g}")
    values = table[list(metrics)].to_numpy()
    if values.min() >= 0 and values.max() <= 1:
        ax.set_ylim(-0.03, 1.03)
    ax.legend(loc="best")
    return _style(ax, title or "Refusal metrics against the threshold", "threshold (refuse when score >= threshold)", ylabel)


def precision_recall(scores, labels, threshold=None, ax=None, title=None, name="guard"):
    """Draw the precision-recall curve, optionally marking one threshold on it.

    Parameters
    ----------
    scores : array-like of float
        One risk score per prompt.
    labels : array-like of str
        ``"refuse"`` or ``"answer"`` per prompt; ``"refuse"`` is positive.
    threshold : float, optional
        Mark the (recall, precision) this threshold gives.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to "Precision-recall curve".
    name : str, default="guard"
        The curve's name in the legend.

    Returns
    -------
    matplotlib.axes.Axes

    See Also
    --------
    sklearn.metrics.PrecisionRecallDisplay : draws the curve.

    Examples
    --------
    >>> ax = precision_recall([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], threshold=0.5)
    >>> ax.get_ylabel()
    'precision (refusals that were right)'
    >>> plt.close(ax.figure)
    """
    from sklearn.metrics import PrecisionRecallDisplay

    scores, harmful = check_scores_labels(scores, labels)
    ax = _axes(ax)
    index = len(ax.get_lines())
    display = PrecisionRecallDisplay.from_predictions(harmful, scores, pos_label=True, name=name, ax=ax)
    # Styled afterwards: how the display takes line options changed in
    # scikit-learn 1.7, and this works before and after.
    display.line_.set(
        color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
        linestyle=LINE_STYLES[index % len(LINE_STYLES)],
    )
    if threshold is not None:
        point = threshold_sweep(scores, labels, [threshold]).iloc[0]
        ax.plot(
            [point["recall"]],
            [point["precision"]],
            marker=MARKERS[index % len(MARKERS)],
            markersize=9,
            linestyle="none",
            color=PALETTE["black"],
            label=f"{name} at threshold {point['threshold']:g}",
            # A point at recall 1 sits on the axes' edge; draw all of it.
            clip_on=False,
            zorder=3,
        )
    ax.set_xlim(-0.02, 1.04)
    ax.set_ylim(-0.02, 1.06)
    ax.legend(loc="lower left")
    return _style(
        ax,
        title or "Precision-recall curve",
        "recall (harmful prompts refused)",
        "precision (refusals that were right)",
    )


def score_strip(scores, labels, threshold=None, ax=None, title=None, seed=0):
    """Show every prompt's score as a dot, one row per label.

    Parameters
    ----------
    scores : array-like of float
        One risk score per prompt.
    labels : array-like of str
        ``"refuse"`` or ``"answer"`` per prompt.
    threshold : float, optional
        Draw the line: dots on or right of it are refused.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to "Risk scores by label".
    seed : int, default=0
        Seeds the small vertical jitter that keeps equal scores apart.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> ax = score_strip([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], threshold=0.5)
    >>> ax.get_title()
    'Risk scores by label'
    >>> plt.close(ax.figure)
    """
    scores, harmful = check_scores_labels(scores, labels)
    ax = _axes(ax)
    jitter = np.random.default_rng(seed).uniform(-0.12, 0.12, size=len(scores))
    for row, (label, mask, marker) in enumerate(((ANSWER, ~harmful, "o"), (REFUSE, harmful, "s"))):
        ax.scatter(
            scores[mask],
            row + jitter[mask],
            color=LABEL_COLOURS[label],
            marker=marker,
            alpha=0.8,
            label=f"should {label} ({int(mask.sum())})",
        )
    if threshold is not None:
        threshold = check_threshold(threshold)
        ax.axvline(threshold, color=PALETTE["black"], linestyle="--", label=f"threshold {threshold:g}")
    ax.set_yticks([0, 1], [f"should {ANSWER}", f"should {REFUSE}"])
    # The legend gets a band of its own above the top row, so it never
    # hides a dot, wherever the scores fall.
    ax.set_ylim(-0.6, 2.0)
    ax.legend(loc="upper center", ncol=3, fontsize="small")
    return _style(ax, title or "Risk scores by label", "risk score", "label")


def grouped_bars(frame, ax=None, title=None, xlabel="", ylabel="share", percent=True, horizontal=False, annotate=True):
    """Draw a bar chart with one group of bars per row of a table.

    Parameters
    ----------
    frame : pandas.DataFrame
        The index names the groups; each column is one series of bars.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to "Comparison".
    xlabel, ylabel : str
        Axis labels: ``xlabel`` names the groups and ``ylabel`` the values,
        whichever way the bars run.
    percent : bool, default=True
        Values are shares in [0, 1]: show the axis and the bar labels as
        percentages.
    horizontal : bool, default=False
        Run the bars sideways, groups listed top to bottom: easier to read
        when the groups are many or their names long.
    annotate : bool, default=True
        Write each bar's value at its end.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> import pandas as pd
    >>> frame = pd.DataFrame({"over-refusal": [0.6, 0.02]}, index=["model A", "model B"])
    >>> ax = grouped_bars(frame, title="Two models")
    >>> [label.get_text() for label in ax.get_xticklabels()]
    ['model A', 'model B']
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    positions = np.arange(len(frame.index))
    width = 0.8 / max(len(frame.columns), 1)
    hatches = ("", "//", "..", "xx", "\\\\", "++")
    draw = ax.barh if horizontal else ax.bar
    for index, column in enumerate(frame.columns):
        bars = draw(
            positions + (index - (len(frame.columns) - 1) / 2) * width,
            frame[column],
            width,
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            hatch=hatches[index % len(hatches)],
            edgecolor="white",
            label=str(column),
        )
        if annotate:
            ax.bar_label(bars, fmt="{:.1%}" if percent else "{:.3g}", fontsize="small", padding=2)
    names = [str(name) for name in frame.index]
    value_axis = ax.xaxis if horizontal else ax.yaxis
    if horizontal:
        ax.set_yticks(positions, names)
        # The first group on top, as a table reads.
        ax.invert_yaxis()
    else:
        ax.set_xticks(positions, names)
    if percent:
        value_axis.set_major_formatter(PercentFormatter(1.0))
        (ax.set_xlim if horizontal else ax.set_ylim)(0, 1.1)
    ax.legend(loc="best")
    if horizontal:
        return _style(ax, title or "Comparison", ylabel, xlabel)
    return _style(ax, title or "Comparison", xlabel, ylabel)


def distribution(values, ax=None, title=None, xlabel="value", interval=None, step=None, label="values"):
    """Histogram of repeated measurements, with an optional interval shaded.

    Parameters
    ----------
    values : array-like of float
        The measurements (for example a threshold chosen on each bootstrap
        resample).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to "Distribution".
    xlabel : str, default="value"
        What was measured.
    interval : tuple of two floats, optional
        Shade this range, for example a 90% percentile interval.
    step : float, optional
        The values lie on a grid of this spacing (thresholds from a grid):
        one bar per grid value, centred on it, and the shaded interval
        covers its end values' bars whole, so no bar straddles its edge.
        By default, 20 equal bins.
    label : str, default="values"
        The bars' name in the legend, such as "thresholds chosen".

    Returns
    -------
    matplotlib.axes.Axes
        The legend sits in the upper right corner, with the y-axis raised
        so that no bar reaches it.

    Examples
    --------
    >>> ax = distribution([0.3, 0.35, 0.3, 0.4], interval=(0.3, 0.4), xlabel="threshold", step=0.05)
    >>> ax.get_ylabel()
    'count'
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    values = np.asarray(values, dtype=float)
    bins = 20
    if step is not None:
        low_edge = np.floor(values.min() / step - 0.5) + 0.5
        high_edge = np.ceil(values.max() / step + 0.5) - 0.5
        bins = np.arange(low_edge, high_edge + 0.5, 1.0) * step
    counts, _, _ = ax.hist(values, bins=bins, color=PALETTE["blue"], edgecolor="white", label=label)
    if interval is not None:
        low, high = interval
        half = step / 2 if step is not None else 0.0
        # Behind the bars, so their colour stays true.
        ax.axvspan(
            low - half, high + half, color=PALETTE["orange"], alpha=0.3, zorder=0, label=f"interval [{low:.3g}, {high:.3g}]"
        )
    _style(ax, title or "Distribution", xlabel, "count")
    _above_the_bars(ax, ax.legend(loc="upper right"), tallest=counts.max())
    return ax


def interval_dots(table, ax=None, title=None, xlabel="rate"):
    """Rates as dots with their intervals as lines, one row per group.

    Parameters
    ----------
    table : pandas.DataFrame
        Indexed by group and rate name, with ``rate``, ``low`` and ``high``
        columns, as :func:`refusal_lesson.intervals.error_rates` returns
        with ``groups``. Each rate name is one series.
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to "Rates with their intervals".
    xlabel : str, default="rate"
        What the rates are.

    Returns
    -------
    matplotlib.axes.Axes
        Groups read top to bottom in the table's order; the legend sits
        outside the plot, on the right, where no interval can be under it.

    Examples
    --------
    >>> import pandas as pd
    >>> table = pd.DataFrame(
    ...     {"rate": [0.2, 0.0], "low": [0.04, 0.0], "high": [0.62, 0.43]},
    ...     index=pd.MultiIndex.from_tuples([("homonyms", "over-refusal rate"), ("homonyms", "under-refusal rate")]),
    ... )
    >>> ax = interval_dots(table)
    >>> [label.get_text() for label in ax.get_yticklabels()]
    ['homonyms']
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    groups = list(dict.fromkeys(table.index.get_level_values(0)))
    series = list(dict.fromkeys(table.index.get_level_values(1)))
    # Series side by side within a group's row, so their intervals never touch.
    offsets = np.linspace(-0.2, 0.2, len(series)) if len(series) > 1 else [0.0]
    for number, (name, offset) in enumerate(zip(series, offsets)):
        rows = table.xs(name, level=1).reindex(groups)
        shown = rows["rate"].notna().to_numpy()
        places = np.arange(len(groups))[shown] + offset
        rows = rows[shown]
        colour = SERIES_COLOURS[number % len(SERIES_COLOURS)]
        ax.errorbar(
            rows["rate"],
            places,
            xerr=[rows["rate"] - rows["low"], rows["high"] - rows["rate"]],
            fmt=MARKERS[number % len(MARKERS)],
            color=colour,
            linestyle="none",
            capsize=3,
            label=name,
        )
    ax.set_yticks(np.arange(len(groups)), [str(group).replace("_", " ") for group in groups])
    ax.invert_yaxis()
    ax.set_xlim(-0.02, 1.02)
    ax.xaxis.set_major_formatter(PercentFormatter(1.0))
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), borderaxespad=0)
    return _style(ax, title or "Rates with their intervals", xlabel, "")


def _above_the_bars(ax, legend, tallest):
    """Raise the y-axis until bars up to ``tallest`` end below ``legend``.

    ``loc="best"`` only picks the emptiest corner, and on a histogram every
    corner can hold a bar; headroom above the tallest bar always works.
    """
    # The legend's place in axes units is set by its font size and the
    # axes' size, which a constrained layout fixes only when drawn.
    ax.figure.draw_without_rendering()
    box = legend.get_window_extent().transformed(ax.transAxes.inverted())
    margin = 0.03
    ax.set_ylim(0, tallest / max(box.y0 - margin, 0.1))


def error_summary(scores, labels, threshold):
    """The two error rates at one threshold, as one line of text with counts.

    Examples
    --------
    >>> error_summary([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], 0.5)
    'threshold 0.50: over-refusal rate 50% (1 of 2 benign refused), under-refusal rate 50% (1 of 2 harmful answered)'
    """
    row = threshold_sweep(scores, labels, [threshold]).iloc[0]
    benign, harmful = int(row["fp"] + row["tn"]), int(row["tp"] + row["fn"])
    return (
        f"threshold {row['threshold']:.2f}: "
        f"over-refusal rate {row['over_refusal_rate']:.0%} ({int(row['fp'])} of {benign} benign refused), "
        f"under-refusal rate {row['under_refusal_rate']:.0%} ({int(row['fn'])} of {harmful} harmful answered)"
    )


def threshold_view(scores, labels, threshold, summary=True):
    """One figure for one threshold: the score strip, the confusion matrix and both error rates.

    Parameters
    ----------
    scores : array-like of float
    labels : array-like of str
    threshold : float
    summary : bool, default=True
        Give the two error rates (:func:`error_summary`) as the figure's
        title; leave it out where they are written beside the figure.

    Returns
    -------
    matplotlib.figure.Figure
        Two panels.

    Examples
    --------
    >>> figure = threshold_view([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"], 0.5)
    >>> len(figure.axes)
    2
    >>> plt.close(figure)
    """
    figure, (strip, matrix) = plt.subplots(
        1, 2, figsize=(10, 3.6), layout="constrained", gridspec_kw={"width_ratios": [1.6, 1]}
    )
    score_strip(scores, labels, threshold=threshold, ax=strip, title="Scores and the line")
    confusion_matrix(scores, labels, threshold, ax=matrix)
    if summary:
        figure.suptitle(error_summary(scores, labels, threshold).replace(", under", "\nunder"), fontsize="medium")
    return figure


def operating_points(rates, moves=(), ax=None, title=None, x="over-refusal rate", y="under-refusal rate"):
    """Plot each set-up's operating point, its two error rates, and arrows where one moved.

    Parameters
    ----------
    rates : pandas.DataFrame
        One row per set-up (the index names it) with the columns ``x`` and
        ``y``, shares in [0, 1].
    moves : sequence of (str, str), optional
        Pairs of row names: an arrow runs from the first set-up's point to
        the second's (the same model, say, before and after a change).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure by default.
    title : str, optional
        Defaults to "Operating points".
    x, y : str
        The columns drawn across and up.

    Returns
    -------
    matplotlib.axes.Axes

    Examples
    --------
    >>> from pandas import DataFrame
    >>> rates = DataFrame({"over-refusal rate": [0.6, 0.3], "under-refusal rate": [0.0, 0.0]}, index=["A", "B"])
    >>> ax = operating_points(rates, moves=[("A", "B")])
    >>> [text.arrow_patch is not None for text in ax.texts], ax.get_xlabel()
    ([True], 'over-refusal rate (benign prompts refused)')
    >>> plt.close(ax.figure)
    """
    ax = _axes(ax)
    for index, (name, row) in enumerate(rates.iterrows()):
        ax.plot(
            [row[x]],
            [row[y]],
            marker=MARKERS[index % len(MARKERS)],
            markersize=9,
            linestyle="none",
            color=SERIES_COLOURS[index % len(SERIES_COLOURS)],
            label=str(name),
            # A point at a rate of 0 sits on the axes' edge; draw all of it.
            clip_on=False,
            zorder=3,
        )
    for start, end in moves:
        ax.annotate(
            "",
            xy=(rates.loc[end, x], rates.loc[end, y]),
            xytext=(rates.loc[start, x], rates.loc[start, y]),
            arrowprops={"arrowstyle": "->", "color": PALETTE["black"], "linewidth": 1.2, "shrinkA": 7, "shrinkB": 7},
        )
    for axis in (ax.xaxis, ax.yaxis):
        axis.set_major_formatter(PercentFormatter(1.0))
    ax.set_xlim(0, 1)
    ax.set_ylim(0, 1)
    ax.legend(loc="upper right", fontsize="small")
    return _style(ax, title or "Operating points", f"{x} (benign prompts refused)", f"{y} (harmful prompts answered)")

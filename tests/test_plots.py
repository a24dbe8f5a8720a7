"""The lesson's plots: titled, labelled, in the palette, right, and repeatable."""

import io

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.colors import to_hex

from refusal_lesson import LABELS, SCORES, plots
from refusal_lesson.sweep import threshold_sweep
from tests.oracles import oracle_counts, oracle_metrics

RATES = pd.DataFrame({"over": [0.6, 0.02], "under": [0.01, 0.64]}, index=["A", "B"])
TABLE = threshold_sweep(SCORES, LABELS, np.linspace(0, 1, 21))

DRAWINGS = {
    "confusion_matrix": lambda ax: plots.confusion_matrix(SCORES, LABELS, 0.5, ax=ax),
    "threshold_curves": lambda ax: plots.threshold_curves(TABLE, ax=ax, mark=0.3),
    "precision_recall": lambda ax: plots.precision_recall(SCORES, LABELS, threshold=0.3, ax=ax),
    "score_strip": lambda ax: plots.score_strip(SCORES, LABELS, threshold=0.4, ax=ax),
    "grouped_bars": lambda ax: plots.grouped_bars(RATES, ax=ax, title="rates", xlabel="model"),
    "distribution": lambda ax: plots.distribution([0.3, 0.4, 0.3], ax=ax, interval=(0.3, 0.4), xlabel="threshold"),
}
WITH_LEGEND = sorted(set(DRAWINGS) - {"confusion_matrix"})


@pytest.fixture
def ax():
    figure, axes = plt.subplots()
    yield axes
    plt.close(figure)


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_plot_has_title_and_labelled_axes(name, ax):
    drawn = DRAWINGS[name](ax)
    assert drawn is ax
    assert drawn.get_title().strip()
    assert drawn.get_xlabel().strip() or name == "grouped_bars"
    assert drawn.get_ylabel().strip()


@pytest.mark.parametrize("name", WITH_LEGEND)
def test_plot_has_a_legend_naming_each_series(name, ax):
    legend = DRAWINGS[name](ax).get_legend()
    assert legend is not None
    assert all(text.get_text().strip() for text in legend.get_texts())


@pytest.mark.parametrize("name", sorted(DRAWINGS))
def test_plot_draws_the_same_pixels_every_time(name):
    images = []
    for _ in range(2):
        figure, axes = plt.subplots()
        DRAWINGS[name](axes)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", metadata={"Software": None})
        plt.close(figure)
        images.append(buffer.getvalue())
    assert images[0] == images[1]


def test_a_new_figure_is_made_when_no_axes_are_given():
    drawn = plots.score_strip(SCORES, LABELS)
    try:
        assert drawn.figure is not None and drawn.get_title() == "Risk scores by label"
    finally:
        plt.close(drawn.figure)


def test_series_colours_come_from_the_colour_blind_safe_palette(ax):
    plots.threshold_curves(TABLE, metrics=("precision", "recall", "f1", "over_refusal_rate"), ax=ax)
    palette = {colour.lower() for colour in plots.PALETTE.values()}
    colours = [to_hex(line.get_color()) for line in ax.get_lines()]
    assert set(colours) <= palette
    assert len(set(colours)) == len(colours)
    styles = [line.get_linestyle() for line in ax.get_lines()]
    assert len(set(styles)) == len(styles), "series must differ in grey too"


def test_confusion_matrix_shows_scikit_learn_counts(ax):
    plots.confusion_matrix(SCORES, LABELS, 0.4, ax=ax)
    counts = oracle_counts(SCORES, LABELS, 0.4)
    shown = [int(text.get_text()) for text in ax.texts]
    # Row "refuse" first: TP, FN, then row "answer": FP, TN.
    assert shown == [counts["tp"], counts["fn"], counts["fp"], counts["tn"]]
    assert [label.get_text() for label in ax.get_xticklabels()] == ["refuse", "answer"]


@pytest.mark.parametrize("threshold", [0.25, 0.4, 0.6, 0.9])
def test_precision_recall_marks_the_point_of_the_threshold(ax, threshold):
    plots.precision_recall(SCORES, LABELS, threshold=threshold, ax=ax)
    expected = oracle_metrics(SCORES, LABELS, threshold)
    marker = ax.get_lines()[-1]
    assert marker.get_xdata()[0] == pytest.approx(expected["recall"])
    assert marker.get_ydata()[0] == pytest.approx(expected["precision"])


def test_score_strip_puts_every_prompt_in_its_row(ax):
    plots.score_strip(SCORES, LABELS, ax=ax)
    answer, refuse = (collection.get_offsets() for collection in ax.collections)
    assert len(answer) == LABELS.count("answer") and len(refuse) == LABELS.count("refuse")
    assert np.all(np.abs(answer[:, 1]) < 0.5) and np.all(np.abs(refuse[:, 1] - 1) < 0.5)
    assert sorted(answer[:, 0]) == sorted(s for s, l in zip(SCORES, LABELS) if l == "answer")


def test_grouped_bars_draw_one_bar_per_cell(ax):
    plots.grouped_bars(RATES, ax=ax)
    heights = sorted(patch.get_height() for patch in ax.patches)
    assert heights == sorted(RATES.to_numpy().ravel())


def test_bad_labels_get_the_shared_validation_message(ax):
    with pytest.raises(ValueError, match=r"labels\[1\] is 'Refuse'"):
        plots.score_strip([0.1, 0.2], ["answer", "Refuse"], ax=ax)


def test_the_marked_threshold_can_be_named(ax):
    plots.threshold_curves(TABLE, metrics=("over_refusal_rate",), ax=ax, mark=0.3, mark_label="best-F1 threshold (0.3)")
    assert [text.get_text() for text in ax.get_legend().get_texts()] == ["over-refusal rate", "best-F1 threshold (0.3)"]


def test_rates_span_zero_to_one_and_other_values_do_not(ax):
    plots.threshold_curves(TABLE, metrics=("recall",), ax=ax)
    assert ax.get_ylim() == pytest.approx((-0.03, 1.03))
    figure, other = plt.subplots()
    costs = TABLE.assign(cost=TABLE["fp"] + 5 * TABLE["fn"])
    plots.threshold_curves(costs, metrics=("cost",), ax=other, ylabel="cost")
    assert other.get_ylim()[1] > 5 and other.get_ylabel() == "cost"
    plt.close(figure)


# WCAG 2's enhanced contrast for normal text (its minimum, 4.5, let a
# yellow count on grey through, which students found hard to read).
READABLE = 7.0


@pytest.mark.parametrize("scores, labels", [(SCORES, LABELS), ([0.9, 0.1, 0.8, 0.7, 0.2, 0.6], ["refuse", "answer"] * 3)])
def test_every_count_of_the_confusion_matrix_reads_against_its_cell(ax, scores, labels):
    plots.confusion_matrix(scores, labels, 0.5, ax=ax)
    image = ax.images[0]
    counts = [text for text in ax.texts if text.get_text().isdigit()]
    assert len(counts) == 4
    for text in counts:
        column, row = (round(value) for value in text.get_position())
        background = image.cmap(image.norm(image.get_array()[row, column]))
        assert plots.contrast_ratio(text.get_color(), background) >= READABLE, text.get_text()


def test_a_point_at_recall_one_is_drawn_whole(ax):
    plots.precision_recall(SCORES, LABELS, threshold=0.3, ax=ax)
    ax.figure.canvas.draw()
    marker = next(line for line in ax.get_lines() if line.get_marker() not in ("None", None, ""))
    assert marker.get_xdata()[0] == 1.0
    centre = ax.transData.transform((1.0, marker.get_ydata()[0]))
    radius = marker.get_markersize() / 2 * ax.figure.dpi / 72
    box = ax.get_window_extent()
    assert box.x0 <= centre[0] - radius and centre[0] + radius <= box.x1


def test_the_interval_never_cuts_a_bar_of_grid_values(ax):
    chosen = [0.36, 0.37, 0.41, 0.41, 0.41, 0.45, 0.51, 0.51, 0.53]
    plots.distribution(chosen, ax=ax, interval=(0.37, 0.51), step=0.01, label="resamples")
    shade = ax.patches[-1].get_bbox()
    low, high = shade.x0, shade.x1
    bars = [patch for patch in ax.patches[:-1] if patch.get_height() > 0]
    assert bars
    for bar in bars:
        left, right = bar.get_x(), bar.get_x() + bar.get_width()
        inside = low - 1e-9 <= left and right <= high + 1e-9
        outside = right <= low + 1e-9 or left >= high - 1e-9
        assert inside or outside, (left, right, low, high)
    assert [text.get_text() for text in ax.get_legend().get_texts()][0] == "resamples"


def test_error_summary_counts_both_errors():
    counts = oracle_counts(SCORES, LABELS, 0.5)
    summary = plots.error_summary(SCORES, LABELS, 0.5)
    assert f"({counts['fp']} of {counts['fp'] + counts['tn']} benign refused)" in summary
    assert f"({counts['fn']} of {counts['fn'] + counts['tp']} harmful answered)" in summary

"""The bootstrap histogram's legend clears its bars, and interval_dots draws each interval where it belongs."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from refusal_lesson import plots
from refusal_lesson.intervals import error_rates

# Tallest bar at the right, at the left, in the middle, and a flat spread,
# so that no corner of the plot is free of bars.
SHAPES = {
    "tallest right": [0.30] * 3 + [0.34] * 5 + [0.38] * 9 + [0.42] * 12,
    "tallest left": [0.30] * 12 + [0.34] * 9 + [0.38] * 5 + [0.42] * 3,
    "tallest middle": [0.30] * 4 + [0.34] * 12 + [0.38] * 12 + [0.42] * 4,
    "flat": [0.30, 0.31, 0.32, 0.33, 0.34, 0.35, 0.36, 0.37, 0.38, 0.39, 0.40] * 3,
}


def overlaps(first, second):
    return first.x0 < second.x1 and second.x0 < first.x1 and first.y0 < second.y1 and second.y0 < first.y1


@pytest.mark.parametrize("shape", sorted(SHAPES))
@pytest.mark.parametrize("size", [(6.4, 4.0), (4.0, 3.0)])
def test_the_legend_overlaps_no_bar(shape, size):
    figure, ax = plt.subplots(figsize=size, layout="constrained")
    try:
        plots.distribution(SHAPES[shape], ax=ax, interval=(0.34, 0.38), step=0.01, label="resamples")
        figure.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        bars = [patch for patch in ax.containers[0] if patch.get_height() > 0]
        assert bars
        for bar in bars:
            assert not overlaps(legend, bar.get_window_extent()), (shape, bar.get_x())
        assert legend.y1 <= ax.get_window_extent().y1 + 1
    finally:
        plt.close(figure)


def test_interval_dots_draws_each_rate_and_interval_in_its_group_row():
    scores = [0.9, 0.2, 0.7, 0.3, 0.6, 0.1, 0.8, 0.4]
    labels = ["refuse", "refuse", "answer", "answer", "refuse", "answer", "answer", "refuse"]
    groups = ["x", "x", "x", "x", "y", "y", "y", "y"]
    table = error_rates(scores, labels, 0.5, groups=groups)
    figure, ax = plt.subplots(layout="constrained")
    try:
        plots.interval_dots(table, ax=ax, title="per group")
        assert [label.get_text() for label in ax.get_yticklabels()] == ["x", "y"]
        assert [text.get_text() for text in ax.get_legend().get_texts()] == ["over-refusal rate", "under-refusal rate"]
        for container, rate in zip(ax.containers, ("over-refusal rate", "under-refusal rate")):
            dots = container.lines[0]
            expected = table.xs(rate, level="rate")
            assert dots.get_xdata().tolist() == pytest.approx(expected["rate"].tolist())
            # Each group's dot sits on its own row, within half a row of its tick.
            assert np.abs(np.asarray(dots.get_ydata()) - np.arange(2)).max() < 0.5
            ends = np.concatenate([segment[:, 0] for segment in container.lines[2][0].get_segments()])
            assert sorted(ends) == pytest.approx(sorted(pd.concat([expected["low"], expected["high"]])))
        figure.canvas.draw()
        legend, axes_box = ax.get_legend().get_window_extent(), ax.get_window_extent()
        assert legend.x0 >= axes_box.x1
    finally:
        plt.close(figure)

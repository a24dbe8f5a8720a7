"""Notebook 2's threshold slider: it redraws on a move, and falls back to a
still figure and a line of counts wherever widgets cannot run."""

import base64
import builtins
import sys

import matplotlib

matplotlib.use("Agg")

import pytest

from refusal_lesson import LABELS, SCORES, live, plots
from tests.oracles import oracle_counts

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"


@pytest.fixture
def shown(monkeypatch):
    outputs = []
    monkeypatch.setattr(live, "display", lambda data, raw: outputs.append(data))
    return outputs


def test_one_output_carries_the_widget_a_picture_and_the_counts(shown):
    box = live.threshold_slider(SCORES, LABELS, threshold=0.5)
    (output,) = shown
    assert output[WIDGET_VIEW]["model_id"] == box.model_id
    assert base64.b64decode(output["image/png"]).startswith(b"\x89PNG")
    assert output["text/plain"] == plots.error_summary(SCORES, LABELS, 0.5)


def test_moving_the_slider_redraws_the_picture_and_the_counts(shown):
    box = live.threshold_slider(SCORES, LABELS, threshold=0.5)
    slider, counts, picture = box.children
    first_picture = bytes(picture.value)
    slider.value = 0.3
    expected = oracle_counts(SCORES, LABELS, 0.3)
    assert f"({expected['fp']} of 5 benign refused)" in counts.value
    assert f"({expected['fn']} of 5 harmful answered)" in counts.value
    assert bytes(picture.value) != first_picture and bytes(picture.value).startswith(b"\x89PNG")


def test_without_ipywidgets_the_still_figure_and_counts_remain(shown, monkeypatch):
    real_import = builtins.__import__

    def no_widgets(name, *args, **kwargs):
        if name == "ipywidgets":
            raise ImportError("no ipywidgets here")
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "ipywidgets", raising=False)
    monkeypatch.setattr(builtins, "__import__", no_widgets)
    assert live.threshold_slider(SCORES, LABELS) is None
    (output,) = shown
    assert set(output) == {"image/png", "text/plain"}


def test_bad_input_gets_the_shared_message(shown):
    with pytest.raises(ValueError, match="labels"):
        live.threshold_slider(SCORES, ["refuse"] * 9 + ["maybe"])
    assert shown == []


def test_the_line_of_counts_shows_once_live_and_once_still(shown, monkeypatch):
    """Under the live slider the counts are text, so the picture leaves them out;
    the still figure, which stands alone, carries them in its title."""
    summaries = []
    draw = live.threshold_view

    def recording(scores, labels, threshold, summary):
        summaries.append(summary)
        return draw(scores, labels, threshold, summary=summary)

    monkeypatch.setattr(live, "threshold_view", recording)
    box = live.threshold_slider(SCORES, LABELS, threshold=0.5)
    box.children[0].value = 0.3
    assert summaries == [True, False, False]
    still, bare = plots.threshold_view(SCORES, LABELS, 0.5), plots.threshold_view(SCORES, LABELS, 0.5, summary=False)
    try:
        assert still.get_suptitle().replace("\n", ", ") == plots.error_summary(SCORES, LABELS, 0.5)
        assert bare.get_suptitle() == ""
    finally:
        matplotlib.pyplot.close(still)
        matplotlib.pyplot.close(bare)

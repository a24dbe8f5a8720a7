"""Move the threshold by hand: a slider that redraws the errors it buys.

:func:`threshold_slider` shows :func:`refusal_lesson.plots.threshold_view`
(score strip, confusion matrix, both error rates) under an ipywidgets
slider. Moving the slider redraws the figure and the line of counts.

Where no widget frontend runs (nbval, nbconvert's export, GitHub's viewer)
or ipywidgets is missing, the same output falls back to a still figure at
the starting threshold and the line of counts: the output carries the
widget's view together with a PNG and plain text of the first state, and
each frontend shows the richest one it can.

The line of counts is written once wherever it shows: as text under the
live slider (where a screen reader and a test can read it), and in the
still figure's title, whose figure stands alone.
"""

import base64
import io

import matplotlib.pyplot as plt
from IPython.display import display

from .plots import error_summary, threshold_view
from .validation import check_scores_labels, check_threshold


def _png(figure):
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=80)
    plt.close(figure)
    return buffer.getvalue()


def threshold_slider(scores, labels, threshold=0.5, step=0.05):
    """Display a threshold slider over the score strip and confusion matrix.

    Parameters
    ----------
    scores : array-like of float
        One risk score per prompt, in [0, 1].
    labels : array-like of str
        ``"refuse"`` or ``"answer"`` per prompt.
    threshold : float, default=0.5
        Where the slider starts.
    step : float, default=0.05
        The slider's step.

    Returns
    -------
    ipywidgets.VBox or None
        The slider and its view (``None`` without ipywidgets), already
        displayed.

    Examples
    --------
    >>> box = threshold_slider([0.9, 0.4, 0.7, 0.2], ["refuse", "refuse", "answer", "answer"])  # doctest: +SKIP
    >>> box.children[0].value = 0.3  # doctest: +SKIP
    """
    check_scores_labels(scores, labels)
    threshold = check_threshold(threshold)
    first_png = _png(threshold_view(scores, labels, threshold, summary=True))
    first_text = error_summary(scores, labels, threshold)
    fallback = {"image/png": base64.b64encode(first_png).decode("ascii"), "text/plain": first_text}
    try:
        import ipywidgets
    except ImportError:
        display(fallback, raw=True)
        return None

    slider = ipywidgets.FloatSlider(
        value=threshold,
        min=0.0,
        max=1.0,
        step=step,
        description="threshold",
        readout_format=".2f",
        continuous_update=False,
        layout=ipywidgets.Layout(width="60%"),
    )
    counts = ipywidgets.Label(value=first_text)
    picture = ipywidgets.Image(value=_png(threshold_view(scores, labels, threshold, summary=False)), format="png")

    def redraw(change):
        picture.value = _png(threshold_view(scores, labels, change["new"], summary=False))
        counts.value = error_summary(scores, labels, change["new"])

    slider.observe(redraw, names="value")
    box = ipywidgets.VBox([slider, counts, picture])
    display({**box._repr_mimebundle_(), **fallback}, raw=True)
    return box

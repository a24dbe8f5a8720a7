# %% [markdown]
# # Moving the line
#
# [![Open this notebook in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/refusal-lesson/refusal-lesson/blob/student/notebooks/02-moving-the-line.ipynb)
#
# In the first notebook the threshold sat still at 0.5. Here it moves. Each
# position of the line buys a different mix of over-refusals and
# under-refusals, and you will write `best_threshold`, which picks the
# position with the best F1 score. It takes 15 to 30 minutes.

# %%
# Set-up: run this cell first. On Google Colab it fetches the lesson into this
# session (once); on a JupyterHub it finds the lesson's package in the folder
# above this notebook; on your own computer it does nothing.
import importlib.util
import subprocess
import sys
from pathlib import Path

ON_COLAB = "google.colab" in sys.modules
LESSON = Path.cwd() / "refusal-lesson" if ON_COLAB else Path.cwd().parent
if ON_COLAB and not LESSON.exists():
    clone = ["git", "clone", "--quiet", "--depth=1", "--branch=student",
             "https://github.com/refusal-lesson/refusal-lesson", str(LESSON)]
    fetched = subprocess.run(clone, capture_output=True, text=True)
    if fetched.returncode != 0:
        raise RuntimeError(f"Could not fetch the lesson ({fetched.stderr.strip()}); run this cell again.")
if str(LESSON) not in sys.path and (ON_COLAB or importlib.util.find_spec("refusal_lesson") is None):
    sys.path.insert(0, str(LESSON))
    importlib.invalidate_caches()
if ON_COLAB:
    from refusal_lesson.colab import finish_setup

    finish_setup(LESSON)

# %%
# %load_ext refusal_lesson.reloading
# %matplotlib inline

import matplotlib.pyplot as plt
import numpy as np

from refusal_lesson import CANDIDATES, LABELS, SCORES, threshold_sweep
from refusal_lesson import plots

# %% [markdown]
# ## Scores on a line
#
# Each prompt of the worked example is a dot at its risk score. The guard
# refuses every dot on or right of the dashed line.

# %%
ax = plots.score_strip(SCORES, LABELS, threshold=0.5, title="Worked example: scores and the line at 0.5")
plt.show()

# %% [markdown]
# *The plot:* ten dots on a score axis, benign prompts (blue circles) below
# and harmful ones (vermillion squares) above, and a dashed line at 0.5. Two
# benign dots sit on or right of it (over-refusals), one harmful dot, at 0.4,
# left of it (an under-refusal). No line separates the two groups.

# %% [markdown]
# ## Move the line yourself
#
# Drag the slider (or click it and use the arrow keys). The strip, the
# confusion matrix and the two error rates follow. Find a threshold with no
# over-refusal, and see what it costs.

# %%
from refusal_lesson.live import threshold_slider

_ = threshold_slider(SCORES, LABELS, threshold=0.5)

# %% [markdown]
# *The plot (live in JupyterLab, still elsewhere):* the score strip with the
# line, the confusion matrix beside it, and above them the over- and
# under-refusal rates with their counts, all at the slider's threshold.
#
# ## On the line: `>=`, not `>`
#
# A score exactly on the line is refused. Scores repeat, so this matters: two
# prompts here score exactly 0.4.

# %%
scores = np.array(SCORES)
print("prompts scoring exactly 0.4:", int((scores == 0.4).sum()))
print("refused at 0.4 with >= :", int((scores >= 0.4).sum()))
print("refused at 0.4 with >  :", int((scores > 0.4).sum()))

# %% [markdown]
# ## Every threshold at once
#
# `threshold_sweep` counts the errors at many thresholds in one go. Here it
# sweeps 101 thresholds from 0 to 1.

# %%
grid = np.round(np.linspace(0, 1, 101), 2)
table = threshold_sweep(SCORES, LABELS, grid)
columns = ["threshold", "tp", "fp", "fn", "tn", "precision", "recall", "f1"]
table.loc[table["threshold"].isin([0.3, 0.4, 0.5, 0.6]), columns].round(3)

# %%
fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4), layout="constrained")
plots.threshold_curves(table, ax=left, title="Precision, recall and F1")
plots.threshold_curves(table, metrics=("over_refusal_rate", "under_refusal_rate"), ax=right, title="The two error rates")
plt.show()

# %% [markdown]
# *The plots:* left, precision (solid), recall (dashed) and F1 (dash-dot)
# against the threshold; right, the over-refusal rate falling and the
# under-refusal rate rising. Each step sits at a prompt's score. Recall
# never rises with the threshold; precision wanders.

# %% [markdown]
# ## The precision-recall curve
#
# One point per threshold, recall across and precision up: the
# precision-recall curve, drawn by scikit-learn's `PrecisionRecallDisplay`.
# Its **average precision** (AP) sums the curve up in one number. The black
# dot is threshold 0.5.

# %%
ax = plots.precision_recall(SCORES, LABELS, threshold=0.5, title="Worked example: precision-recall curve")
plt.show()

# %% [markdown]
# *The plot:* a stepped curve, recall (harmful prompts refused) across and
# precision (refusals that were right) up. The dot at threshold 0.5 sits at
# recall 0.8 and precision 0.67; the legend gives the AP.

# %% [markdown]
# ## Exercise: `best_threshold`
#
# If both errors cost the same, pick the threshold with the highest F1. In
# `refusal_lesson/exercises.py`, write `best_threshold`: score each
# candidate with your `refusal_metrics(...)["f1"]`, return the best
# candidate itself, the **lowest** on a tie whatever the order, and raise
# `ValueError` for no candidates.

# %% [markdown]
# Before you run the check, look at the F1 column of the table above: two
# candidates share the best F1, and two prompts sit exactly on one of them.
# Work out which threshold a `>` in place of `>=` would pick, and which
# "highest tied threshold wins" would pick: the check looks for both slips.

# %%
from refusal_lesson import check

check("best_threshold")

# %% [markdown]
# ### Use it
#
# Find the best of the candidates `CANDIDATES` (0.1, 0.2, ..., 0.9) and mark
# it on the curve.

# %%
from refusal_lesson import best_threshold
from refusal_lesson.unfinished import needs_exercise

with needs_exercise("best_threshold"):
    best = best_threshold(SCORES, LABELS, CANDIDATES)
    print(f"best threshold: {best}")
    title = f"Worked example: the best F1 among the candidates, at threshold {best}"
    ax = plots.precision_recall(SCORES, LABELS, threshold=best, title=title)
    plt.show()

# %% [markdown]
# *The plot (once your function works):* the same curve with the dot at
# your best threshold, named in the title.
#
# The best *among the candidates*: they step by 0.1, and `best_threshold`
# can only pick what it is offered. The sweep of 101 thresholds above holds
# a better one between two candidates:

# %%
peak = table["f1"].max()
at_peak = table.loc[table["f1"] == peak, "threshold"]
print(f"On the 101-threshold grid, F1 peaks at {peak:.2f}, for thresholds {at_peak.min():.2f} to {at_peak.max():.2f}.")

# %% [markdown]
# ## The fast way
#
# A loop over `refusal_metrics` reads every prompt again for every
# threshold. `threshold_sweep` sorts the scores once and counts each
# threshold with a binary search. On 20,000 prompts and 101 thresholds:

# %%
# NBVAL_IGNORE_OUTPUT
import time

from refusal_lesson import refusal_metrics

many_scores = np.tile(SCORES, 2000)
many_labels = np.tile(LABELS, 2000)

start = time.perf_counter()
fast = threshold_sweep(many_scores, many_labels, grid)
print(f"threshold_sweep: {1000 * (time.perf_counter() - start):.1f} ms")

with needs_exercise("refusal_metrics"):
    start = time.perf_counter()
    slow = [refusal_metrics(many_scores, many_labels, threshold)["f1"] for threshold in grid]
    print(f"refusal_metrics in a loop: {1000 * (time.perf_counter() - start):.1f} ms")
    print("largest F1 difference:", np.abs(np.array(slow) - fast["f1"]).max().round(4))

# %% [markdown]
# Same F1 at every threshold, many times faster. The package's
# `operating_point` picks the best row of a sweep with your `best_threshold`'s
# rule; the later notebooks use the pair. Once your function works, check
# that the two agree:

# %%
from refusal_lesson import operating_point

with needs_exercise("best_threshold"):
    chosen = operating_point(threshold_sweep(SCORES, LABELS, CANDIDATES))
    print(f"best_threshold: {best_threshold(SCORES, LABELS, CANDIDATES)}; operating_point: {chosen['threshold']:.1f}, "
          f"with precision {chosen['precision']:.3f}, recall {chosen['recall']:.3f}, F1 {chosen['f1']:.3f}")

# %% [markdown]
# ## To think about
#
# Write your answers in `answers.md`.
#
# 1. The F1 curve is flat between 0.3 and 0.4. What does a flat stretch say
#    about how much the exact choice of threshold matters there?
# 2. Why must the tie rule be fixed in advance (lowest threshold) rather
#    than left to the order of the candidates?
# 3. F1 treats an over-refusal and an under-refusal as equally bad. Name an
#    app where that is wrong, in each direction.
#
# Next: **03-why-guards-over-refuse**, with real guards on real prompts.

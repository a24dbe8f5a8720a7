# Source of notebooks/03-why-guards-over-refuse.ipynb and solutions/03-why-guards-over-refuse.ipynb.
# Edit this file, then run: .venv/bin/python tools/build_notebooks.py 03-why-guards-over-refuse

# %% [markdown]
# # Why guards over-refuse
#
# [![Open this notebook in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/refusal-lesson/refusal-lesson/blob/student/notebooks/03-why-guards-over-refuse.ipynb)
#
# "How do I kill a Python process?" and "How do I kill the man next door?"
# share a word and not much else. A guard that learned *which words come with
# harm*, rather than *what makes a request harmful*, refuses both. This
# notebook builds three guards on the lesson's own prompts, measures how
# often each refuses a benign look-alike, and shows what changes when a guard
# is trained on contrast pairs. Every statement below is measured in a cell
# before it is made. It takes 20 to 30 minutes.

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
%load_ext autoreload
%autoreload 1
%aimport refusal_lesson.exercises
%matplotlib inline

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from refusal_lesson import threshold_sweep
from refusal_lesson import plots
from refusal_lesson.data import load_prompts
from refusal_lesson.guards import GUARD_NAMES, fit_lesson_guards, out_of_fold_scores

pd.set_option("display.max_colwidth", 90)

# %% [markdown]
# ## Contrast pairs
#
# The lesson ships its own prompts, written for teaching. They come in
# **contrast pairs**: a benign prompt and a harmful twin that share a trigger
# word or frame, in the categories of XSTest (Röttger et al., NAACL 2024),
# the benchmark of notebook 1, and a few more. Harmful prompts are mild
# requests with no operational detail.

# %%
prompts = load_prompts()
pairs = prompts.pivot(index="pair_id", columns="label", values="prompt")
pairs.loc[["homonyms-01", "figurative_language-01", "privacy_fictional_characters-01"], ["answer", "refuse"]]

# %%
prompts.groupby("category")["label"].value_counts().unstack()

# %% [markdown]
# Every category holds as many benign prompts as harmful ones: each benign
# prompt comes with its harmful twin.
#
# ## Three guards
#
# The package builds three guards with scikit-learn (see
# `refusal_lesson/guards.py`):
#
# - **keyword**: a blocklist of the words that appear in harmful training
#   prompts and in no benign one; a prompt's score grows with the number of
#   blocklisted words it contains;
# - **learned**: a TF-IDF and logistic-regression text classifier trained on
#   harmful prompts against *everyday* benign requests ("Suggest a name for
#   my cat"), so it never sees a benign prompt that looks dangerous;
# - **contrast**: the same classifier, also trained on the benign twins of
#   the harmful training prompts.
#
# To score every prompt with guards that never saw it nor its twin, we
# cross-validate: `out_of_fold_scores` deals the pairs into four folds (whole
# pairs, each category spread evenly), fits the three guards on three folds
# and scores the fourth, four times over.

# %%
scored = out_of_fold_scores(prompts)
scores = scored[list(GUARD_NAMES)]
labels = scored["label"].to_numpy()
benign = labels == "answer"
scored[["prompt", "label", *GUARD_NAMES]].head(4).round(2)

# %% [markdown]
# ## The same line, three guards
#
# First, every guard at the threshold 0.5.

# %%
at_half = pd.concat(
    {name: threshold_sweep(scores[name], labels, [0.5]).iloc[0] for name in GUARD_NAMES}, axis=1
).T
at_half[["tp", "fp", "fn", "tn", "over_refusal_rate", "under_refusal_rate"]].astype(float).round(3)

# %%
rates = at_half[["over_refusal_rate", "under_refusal_rate"]].astype(float)
rates.columns = ["over-refusal rate", "under-refusal rate"]
ax = plots.grouped_bars(rates, title="Three guards at threshold 0.5", xlabel="guard", ylabel="share of prompts")
plt.show()

# %% [markdown]
# *The plot:* for each guard, the share of benign prompts it refuses
# (over-refusal, solid bars) and the share of harmful prompts it answers
# (under-refusal, hatched bars) at threshold 0.5; the exact values are in the
# table above. The learned guard has the tallest over-refusal bar and the
# keyword guard the tallest under-refusal bar.
#
# The learned guard catches most harmful prompts, but it refuses benign
# look-alikes far more often than the other two: it learned that dark words
# mean harm, because every dark word it saw in training came with a harmful
# label. The keyword guard misses many harmful prompts, because a blocklist
# only knows the words it was given.
#
# ### What the keyword guard blocks
#
# Here are benign prompts the keyword guard refuses, with the words of its
# blocklist (here learned from all the harmful prompts) that each contains.

# %%
keyword_guard = fit_lesson_guards(prompts)["keyword"]
blocklist = set(keyword_guard.keywords_)
words_of = keyword_guard.vectorizer_.build_analyzer()
refused_benign = scored[benign & (scores["keyword"] >= 0.5).to_numpy()]
blocked = [sorted(set(words_of(text)) & blocklist) for text in refused_benign["prompt"]]
refused_benign.assign(blocked=blocked)[["category", "prompt", "blocked"]].head(6)

# %% [markdown]
# ## Over-refusal by category
#
# Which kinds of look-alike fool which guard? Over-refusal rate, at 0.5, on
# the benign prompts of each category:

# %%
refused = (scores >= 0.5)[benign]
by_category = refused.groupby(scored["category"][benign]).mean()
by_category.round(2)

# %%
fig, ax = plt.subplots(figsize=(8, 8), layout="constrained")
plots.grouped_bars(
    by_category.rename(index=lambda category: category.replace("_", " ")),
    ax=ax,
    title="Over-refusal rate by category, threshold 0.5",
    xlabel="category",
    ylabel="benign prompts refused",
    horizontal=True,
    annotate=False,
)
plt.show()

# %% [markdown]
# *The plot:* for each of the categories, three bars give the share of its
# benign prompts that the keyword (solid), learned (hatched) and contrast
# (dotted) guards refuse at threshold 0.5. The table above lists the same
# numbers. The cell below names, for each guard, the category where it
# over-refuses most.

# %%
for name in GUARD_NAMES:
    worst = by_category[name].idxmax()
    print(f"{name:>8}: most over-refusal on {worst} ({by_category.loc[worst, name]:.0%} of its benign prompts)")

# %% [markdown]
# ## Moving the trade-off curve
#
# One threshold is one point of view. The precision-recall curve shows every
# threshold at once, and its area (average precision, AP) sums up how well a
# guard *separates* harmful prompts from benign ones, wherever the line is
# drawn.

# %%
ax = None
for name in GUARD_NAMES:
    ax = plots.precision_recall(scores[name], labels, ax=ax, name=name, title="Three guards: precision-recall curves")
plt.show()

# %% [markdown]
# *The plot:* three precision-recall curves, recall on the horizontal axis
# and precision on the vertical one, for the keyword (solid), learned
# (dashed) and contrast (dash-dot) guards, with each guard's AP in the
# legend. A curve further up and to the right refuses more harmful prompts
# at the same precision.
#
# A fairer comparison than one fixed threshold: give each guard the highest
# threshold at which it still refuses at least 90% of harmful prompts, and
# count the benign prompts it refuses there.

# %%
grid = np.round(np.linspace(0, 1, 201), 3)
matched = {}
for name in GUARD_NAMES:
    table = threshold_sweep(scores[name], labels, grid)
    enough = table[table["recall"] >= 0.9]
    matched[name] = enough.loc[enough["threshold"].idxmax(), ["threshold", "recall", "over_refusal_rate"]]
pd.DataFrame(matched).T.astype(float).round(3)

# %% [markdown]
# The keyword guard reaches 90% recall only at threshold 0, by refusing
# everything: a harmful prompt with no word of its blocklist scores 0, and
# over a third of them have none (its under-refusal rate at 0.5, above). At
# the same recall, the contrast guard refuses fewer benign prompts than
# the learned guard (compare the `over_refusal_rate` column): training on
# the benign twins moved the whole trade-off curve, not just one point on it.
# This is the idea of DCR, Discernment via Contrastive Refinement (Lu et al.,
# *Discern Truth from Falsehood: Reducing Over-Refusal via Contrastive
# Refinement*, 2026), at the scale of a small classifier: DCR adds an
# alignment stage, before safety tuning, that trains a language model on
# pairs of a truly toxic and a seemingly toxic prompt, so that it learns what
# separates them, and reports less over-refusal with safety kept.
#
# ### Look-alikes that fool the learned guard
#
# The benign prompts the learned guard finds most dangerous, with the
# contrast guard's score beside its score:

# %%
suspicious = scores[benign].sort_values("learned", ascending=False).head(6)
suspicious.assign(prompt=scored.loc[suspicious.index, "prompt"])[["prompt", "learned", "contrast"]].round(2)

# %% [markdown]
# ## To think about
#
# 1. The contrast guard saw the benign twins of its training pairs. Why is
#    it essential that the pairs it is tested on were held out whole?
# 2. The keyword guard misses many harmful prompts *and* refuses some benign
#    ones. Why might a team still ship a blocklist?
# 3. Which category would you write more contrast pairs for next, judging by
#    the chart, and why?
#
# Next: **04-choosing-an-operating-point**, where the two errors get
# different prices.

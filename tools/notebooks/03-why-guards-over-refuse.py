# %% [markdown]
# # Why guards over-refuse
#
# [![Open this notebook in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/refusal-lesson/refusal-lesson/blob/student/notebooks/03-why-guards-over-refuse.ipynb)
#
# "How do I kill a Python process?" and "How do I kill the man next door?"
# share a word and not much else. A guard that learned *which words come with
# harm*, rather than *what makes a request harmful*, refuses both. This
# notebook builds three guards on the lesson's own prompts, compares how
# often each refuses a benign look-alike, and tests whether training on
# look-alikes helps, against a fair control. It takes 20 to 30 minutes.

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
import pandas as pd
from sklearn.metrics import average_precision_score

from refusal_lesson import threshold_sweep
from refusal_lesson import plots
from refusal_lesson.data import CATEGORY_NAMES, load_everyday, load_prompts
from refusal_lesson.guards import GUARD_NAMES, fit_lesson_guards, out_of_fold_scores

pd.set_option("display.max_colwidth", 90)

# %% [markdown]
# ## Contrast pairs
#
# The lesson's prompts come in **contrast pairs**: a benign prompt and a
# harmful twin sharing a **trigger**, a word or frame that often comes with
# harm ("kill", "not allowed to vote"), in XSTest's categories and three
# more. This project's developers wrote them all; the harmful twins are mild
# requests with no operational detail.

# %%
prompts = load_prompts()
pairs = prompts.pivot(index="pair_id", columns="label", values="prompt")
pairs.loc[["homonyms-01", "figurative_language-01", "privacy_fictional_characters-01"], ["answer", "refuse"]]

# %%
prompts.groupby("category")["label"].value_counts().unstack()

# %% [markdown]
# Each category holds as many benign prompts as harmful ones.
#
# The guards also learn from `everyday.csv`: plain requests (recipes, code,
# travel, homework) that this project wrote for the lesson, on purpose
# *without* alarm words. How many prompts of each kind hold one of ten such
# words, or a word starting with one?

# %%
everyday = load_everyday()
alarm = ["kill", "shoot", "bomb", "poison", "steal", "attack", "murder", "hack", "drug", "weapon"]
pattern = r"\b(?:" + "|".join(alarm) + r")\w*"
kinds = {
    "everyday": everyday["prompt"],
    "benign look-alikes": prompts.loc[prompts["label"] == "answer", "prompt"],
    "harmful twins": prompts.loc[prompts["label"] == "refuse", "prompt"],
}
pd.DataFrame({
    "prompts": {kind: len(texts) for kind, texts in kinds.items()},
    "with an alarm word": {kind: int(texts.str.contains(pattern, case=False).sum()) for kind, texts in kinds.items()},
})

# %% [markdown]
# None of the everyday prompts, some of the others. A guard trained on
# harmful prompts against everyday ones meets alarm words only with a
# harmful label: telling the two apart is easy, and an alarm word in a
# look-alike then counts as harm. Real benign traffic can hold alarm words ("kill a
# process"), so read what follows as what happens when the benign training
# data holds none.
#
# ## Three guards
#
# The package builds three guards with scikit-learn (`refusal_lesson/guards.py`):
#
# - **keyword**: blocks the words seen in harmful training prompts and in no
#   benign one;
# - **learned**: a text classifier trained on harmful prompts against the
#   everyday ones, so it never sees a benign look-alike;
# - **contrast**: the same classifier, also trained on the benign twins.

# %% [markdown]
# To score each prompt with guards that never saw it nor its twin, we score
# **out of fold**: `out_of_fold_scores` deals the pairs into four folds,
# fits the guards on three and scores the fourth, four times over.

# %%
scored = out_of_fold_scores(prompts)
scores = scored[list(GUARD_NAMES)]
labels = scored["label"].to_numpy()
benign = labels == "answer"
scored[["prompt", "label", *GUARD_NAMES]].head(4).round(2)

# %% [markdown]
# ## Comparing guards at matched recall
#
# A score of 0.5 means something different to each guard, so one shared
# threshold compares unlike things. Fix the safety instead: at **matched
# recall**, each guard gets the highest threshold that still refuses 90% of
# harmful prompts, and we count the benign prompts it refuses there.

# %%
grid = np.round(np.linspace(0, 1, 201), 3)


def at_recall(guard_scores, guard_labels, recall=0.9):
    table = threshold_sweep(guard_scores, guard_labels, grid)
    enough = table[table["recall"] >= recall]
    return enough.loc[enough["threshold"].idxmax(), ["threshold", "recall", "over_refusal_rate"]]


matched = pd.DataFrame({name: at_recall(scores[name], labels) for name in GUARD_NAMES}).T.astype(float)
matched.round(3)

# %% [markdown]
# At the same recall the contrast guard refuses fewer benign prompts than
# the learned one. The keyword guard reaches 90% recall only at threshold 0,
# by refusing everything.
#
# That is also where its best F1 lies. Refusing everything gives precision
# p, the share of harmful prompts, and recall 1, so F1 = 2p / (1 + p): the
# **refuse-everything baseline** every F1 should be read against.

# %%
share_harmful = np.mean(~benign)
print(f"share of harmful prompts p = {share_harmful:.2f}; refuse-everything F1 = 2p/(1+p) = {2 * share_harmful / (1 + share_harmful):.3f}")
best_f1 = pd.DataFrame({
    name: threshold_sweep(scores[name], labels, grid).sort_values("f1", ascending=False, kind="stable").iloc[0][["threshold", "f1"]]
    for name in GUARD_NAMES
}).T.astype(float)
best_f1.round(3)

# %% [markdown]
# The keyword guard's best F1 is that baseline, at threshold 0: none of its
# thresholds beats refusing everything. The two classifiers beat it.
#
# ### Average precision, against chance
#
# The precision-recall curves show every threshold at once, and their AP
# summarises each curve. A guard that scores at random has an AP near p,
# the share of harmful prompts: that is AP's **chance level**. It differs
# between sets, so an AP means little without it.

# %%
ap = pd.DataFrame({
    "AP": {name: average_precision_score(~benign, scores[name]) for name in GUARD_NAMES},
    "chance level": share_harmful,
})
ap.round(3)

# %%
ax = None
for name in GUARD_NAMES:
    ax = plots.precision_recall(scores[name], labels, ax=ax, name=name, title="Three guards: precision-recall curves")
ax.axhline(share_harmful, color="grey", linewidth=1, label=f"chance level ({share_harmful:.2f})")
ax.legend()
plt.show()

# %% [markdown]
# *The plot:* the keyword (solid), learned (dashed) and contrast (dash-dot)
# guards' precision-recall curves, with each AP in the legend and the chance
# level as a grey line. Higher and further right is better.

# %% [markdown]
# ## The honest control
#
# The contrast guard learned from the look-alikes, but it also learned from
# more benign prompts than the learned guard. Was it the look-alikes, or
# just more data? `fit_control_guards` gives both explanations the same
# budget.

# %% [markdown]
# It halves the everyday prompts, then trains three classifiers:
#
# - **base**: harmful prompts against the first half;
# - **twins**: the same, plus as many benign twins as the second half holds;
# - **ordinary**: the same, plus the second half.
#
# Twins and ordinary get the same number of extra benign prompts; only
# what those prompts are differs.

# %%
from refusal_lesson.guards import CONTROL_NAMES, fit_control_guards


def compare(guard_scores, guard_labels):
    harmful = np.asarray(guard_labels) == "refuse"
    table = pd.DataFrame({name: at_recall(guard_scores[name], guard_labels) for name in guard_scores}).T.astype(float)
    table["AP"] = [average_precision_score(harmful, guard_scores[name]) for name in guard_scores]
    table["chance level"] = harmful.mean()
    return table


control = out_of_fold_scores(prompts, fit=fit_control_guards)
compare(control[list(CONTROL_NAMES)], labels).round(3)

# %% [markdown]
# The ordinary guard learned from exactly what the learned guard did. Each
# guard's effect is how much less it over-refuses than base at matched
# recall. One run could be luck: which everyday prompts were held back,
# which twins were drawn, how the folds fell. So we run the experiment with
# five seeds (the run above is seed 0).

# %%
from functools import partial

effects = {}
for seed in range(5):
    fit = partial(fit_control_guards, random_state=seed)
    run = control if seed == 0 else out_of_fold_scores(prompts, random_state=seed, fit=fit)
    over = {name: at_recall(run[name], labels)["over_refusal_rate"] for name in CONTROL_NAMES}
    effects[seed] = {"twins": over["base"] - over["twins"], "ordinary": over["base"] - over["ordinary"]}
effects = pd.DataFrame(effects).T.rename_axis("seed")
effects.round(3)

# %%
for name in ("twins", "ordinary"):
    print(f"{name:>8}: over-refusal at matched recall falls by {effects[name].min():.2f} to {effects[name].max():.2f}")

# %% [markdown]
# The twins' smallest effect, over the five runs, is more than twice the
# ordinary prompts' largest. Most of the contrast guard's gain comes from
# what its extra prompts are, not from how many there are.

# %% [markdown]
# ## One line for every guard: threshold 0.5
#
# A guard ships with one threshold. Here is each guard at 0.5, the line a
# probability suggests (and, for the keyword guard, one blocklisted word).

# %%
at_half = pd.concat([threshold_sweep(scores[name], labels, [0.5]) for name in GUARD_NAMES], keys=GUARD_NAMES)
at_half = at_half.droplevel(1)
at_half[["tp", "fp", "fn", "tn", "over_refusal_rate", "under_refusal_rate"]].round(3)

# %%
rates = at_half[["over_refusal_rate", "under_refusal_rate"]].set_axis(["over-refusal rate", "under-refusal rate"], axis=1)
ax = plots.grouped_bars(rates, title="Three guards at threshold 0.5", xlabel="guard", ylabel="share of prompts")
plt.show()

# %% [markdown]
# *The plot:* each guard's over-refusal (solid) and under-refusal (hatched)
# at 0.5, as in the table. The learned guard refuses benign look-alikes most:
# every alarm word it saw came with a harmful label. The keyword guard misses
# many harmful prompts: a blocklist only knows its words.
#
# ### What the keyword guard blocks
#
# Benign prompts it refuses, with the blocklisted words each contains:

# %%
lesson_guards = fit_lesson_guards(prompts)
keyword_guard = lesson_guards["keyword"]
blocklist = set(keyword_guard.keywords_)
words_of = keyword_guard.vectorizer_.build_analyzer()
refused_benign = scored[benign & (scores["keyword"] >= 0.5).to_numpy()]
blocked = [sorted(set(words_of(text)) & blocklist) for text in refused_benign["prompt"]]
refused_benign.assign(blocked=blocked)[["category", "prompt", "blocked"]].head(6)

# %% [markdown]
# ## Over-refusal by category
#
# Which look-alikes fool which guard? The over-refusal rate at 0.5 on each
# category's benign prompts:

# %%
refused = (scores >= 0.5)[benign]
by_category = refused.groupby(scored["category"][benign]).mean()
by_category.rename(index=CATEGORY_NAMES).round(2)

# %%
fig, ax = plt.subplots(figsize=(8, 8), layout="constrained")
plots.grouped_bars(
    by_category.rename(index=CATEGORY_NAMES),
    ax=ax,
    title="Over-refusal rate by category, threshold 0.5",
    xlabel="category",
    ylabel="benign prompts refused",
    horizontal=True,
    annotate=False,
)
plt.show()

# %% [markdown]
# *The plot:* for each category, the share of its benign prompts that the
# keyword (solid), learned (hatched) and contrast (dotted) guards refuse at
# 0.5, as in the table. Where does each guard over-refuse most?

# %%
for name in GUARD_NAMES:
    worst = by_category[name].idxmax()
    print(f"{name:>8}: most over-refusal on {CATEGORY_NAMES[worst]} ({by_category.loc[worst, name]:.0%} of its benign prompts)")

# %% [markdown]
# Each bar rests on only 17 or 18 benign prompts, so it is a rough
# estimate. A Wilson interval (`refusal_lesson.intervals.error_rates`) says
# how rough: the range of over-refusal rates that could plausibly have
# produced what we counted, at 95% confidence. For the learned guard:

# %%
from refusal_lesson.intervals import error_rates

learned_rates = error_rates(scores["learned"], scored["label"], 0.5, groups=scored["category"])
learned_over = learned_rates.xs("over-refusal rate", level="rate")
learned_over.rename(index=CATEGORY_NAMES).round(2)

# %%
widths = learned_over["high"] - learned_over["low"]
print(f"interval widths: {widths.min():.0%} to {widths.max():.0%} "
      f"(each category has {learned_over['prompts'].min()} to {learned_over['prompts'].max()} benign prompts)")
ranked = learned_over.sort_values("rate")
overlapping = (ranked["high"].to_numpy()[:-1] >= ranked["low"].to_numpy()[1:]).sum()
print(f"{overlapping} of {len(ranked) - 1} neighbouring categories, in rank order, have overlapping intervals")

# %% [markdown]
# Intervals tens of points wide mean that the order of neighbouring
# categories is mostly noise: trust the categories at the extremes, not the
# exact ranking between them. Notebook 4 shows how intervals narrow as the
# prompts behind a rate grow.

# %% [markdown]
# ## Your turn: write contrast pairs
#
# The contrast guard learned from pairs. Give it more, for the category where
# the learned guard over-refuses most (first in the table on a tie):

# %%
worst = by_category["learned"].idxmax()
print(f"{worst} ({CATEGORY_NAMES[worst]}): the contrast guard refuses "
      f"{by_category.loc[worst, 'contrast']:.0%} of its benign prompts")
pairs.loc[pairs.index.str.startswith(worst), ["answer", "refuse"]].head(3)

# %% [markdown]
# Write pairs in that style in `MY_PAIRS`: a benign look-alike and its
# harmful twin, sharing the frame. Invent your own; copies of the lesson's
# prompts are refused. Between 8 and 12 pairs is a good start.

# %%
MY_PAIRS = [
    # {"answer": "a benign look-alike", "refuse": "its harmful twin, same frame"},
]

# %% [markdown]
# `check_pairs` checks the format, adds your pairs to every training fold
# (never to the prompts it scores) and re-fits. It is practice, not graded.

# %%
from IPython.display import display

from refusal_lesson.contrast import check_pairs

effect = check_pairs(MY_PAIRS, worst)
if effect is not None:
    display(effect.round(3))

# %% [markdown]
# What to expect: one pair at a time, little. When we wrote twelve pairs
# for this category ourselves, 8 pairs moved one of that category's 17
# held-out benign prompts below the line and 12 pairs moved three, with
# under-refusal unchanged. A classifier that sees each nonsense group once
# learns slowly: more pairs, and more varied ones, move it further.

# %% [markdown]
# ## A benchmark no one here wrote
#
# Our guards and prompts come from the same hands. XSTest's 450 prompts (see
# `refusal_lesson/data/DATA_CARD.md`) do not. We train the guards on all the
# lesson's prompts, score XSTest, and compare at matched recall, then by AP.

# %%
from refusal_lesson.data import load_xstest

xstest = load_xstest()
xstest_scores = {name: guard.score(xstest["prompt"]) for name, guard in lesson_guards.items()}
on_xstest = compare(xstest_scores, xstest["label"])
on_xstest.round(3)

# %% [markdown]
# XSTest holds 250 safe prompts and 200 unsafe ones, so its chance level is
# lower than ours: compare each AP with its own set's chance level, not with
# the APs above.

# %%
ax = None
for name in GUARD_NAMES:
    ax = plots.precision_recall(xstest_scores[name], xstest["label"], ax=ax, name=name, title="XSTest: precision-recall curves")
chance = on_xstest["chance level"].iloc[0]
ax.axhline(chance, color="grey", linewidth=1, label=f"chance level ({chance:.2f})")
ax.legend()
plt.show()

# %% [markdown]
# *The plot:* the three guards' precision-recall curves on XSTest, with
# each AP in the legend and XSTest's chance level as a grey line.

# %%
for name in GUARD_NAMES:
    print(f"{name:>8}: AP {on_xstest.loc[name, 'AP']:.3f}, {on_xstest.loc[name, 'AP'] - chance:+.3f} over chance")

# %% [markdown]
# Far from home, the learned guard is barely above chance, and below the
# keyword guard; the contrast guard keeps a clear lead. Does the control
# hold up on XSTest too?

# %%
control_guards = fit_control_guards(prompts)
compare({name: guard.score(xstest["prompt"]) for name, guard in control_guards.items()}, xstest["label"]).round(3)

# %% [markdown]
# On XSTest too, the twins lower over-refusal at matched recall and the
# same number of ordinary prompts does not. How far is the best small guard
# from a real model? XSTest labelled GPT-4's answers to its prompts:

# %%
from refusal_lesson.data import FULL_COMPLIANCE, load_xstest_labels

gpt4 = load_xstest_labels().query("model == 'gpt4'")
gpt4_refused = gpt4["final_label"] != FULL_COMPLIANCE
safe = gpt4["label"] == "answer"
print(f"At 90% recall on XSTest: learned guard refuses {on_xstest.loc['learned', 'over_refusal_rate']:.0%} "
      f"of safe prompts, contrast guard {on_xstest.loc['contrast', 'over_refusal_rate']:.0%}.")
print(f"GPT-4 refused {gpt4_refused[safe].mean():.1%} of them while answering "
      f"{(~gpt4_refused[~safe]).sum()} of {(~safe).sum()} unsafe prompts.")

# %% [markdown]
# On prompts it never saw, contrast training still lowers over-refusal at
# matched recall, from 73% to 52% of XSTest's safe prompts. But at that
# recall our best small guard still refuses half the safe prompts, where
# GPT-4 refused 8.4% and answered only 1 of 200 unsafe ones. A bag of words
# cannot read intent.

# %% [markdown]
# ### Look-alikes that fool the learned guard
#
# The lesson's benign prompts the learned guard finds most dangerous, with
# the contrast guard's score beside it:

# %%
suspicious = scores[benign].sort_values("learned", ascending=False).head(6)
suspicious.assign(prompt=scored.loc[suspicious.index, "prompt"])[["prompt", "learned", "contrast"]].round(2)

# %% [markdown]
# ## What this shows, and what it does not
#
# The contrast guard is **hard-negative data augmentation**: benign prompts
# that look harmful, added to the training data with their true label. On
# these prompts and on XSTest, with a bag-of-words classifier, it lowers
# over-refusal at matched recall, and the control shows that mostly the
# look-alikes, not the extra data, do it.

# %% [markdown]
# It is not DCR (Discernment via Contrastive Refinement; Lu, Xu, Sun, Li
# and Shi, 2026, arXiv 2603.03323). DCR adds a stage before a language
# model's safety tuning that pulls apart the model's internal
# representations of truly toxic and seemingly toxic prompts. It names data
# augmentation among the prior mitigations that, it says, often buy less
# over-refusal with less safety, and reports less over-refusal with safety
# kept.

# %% [markdown]
# So this notebook says nothing about DCR, nor about large models. Nor does
# it show the gain would hold on real traffic: the twins were written by the
# same hands, in the same style, as the prompts they are tested on, and the
# everyday prompts hold no alarm words. XSTest, written elsewhere, is the
# one check against that, and it is small.

# %% [markdown]
# ## To think about
#
# Write your answers in `answers.md`.
#
# 1. The contrast guard saw the benign twins of its training pairs. Why is
#    it essential that the pairs it is tested on were held out whole?
# 2. The keyword guard misses many harmful prompts *and* refuses some benign
#    ones. Why might a team still ship a blocklist?
# 3. The twins guard and the ordinary guard got the same number of extra
#    benign prompts. What would you have concluded from the contrast guard
#    alone, and why could it have been wrong?
#
# Next: **04-choosing-an-operating-point**, where the two errors get
# different prices.

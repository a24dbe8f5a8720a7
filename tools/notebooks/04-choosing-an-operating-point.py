# %% [markdown]
# # Choosing an operating point when errors cost differently
#
# [![Open this notebook in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/refusal-lesson/refusal-lesson/blob/student/notebooks/04-choosing-an-operating-point.ipynb)
#
# F1 weighs an over-refusal and an under-refusal the same. Few apps do. A
# homework helper for children would rather refuse a harmless question than
# answer a harmful one; a coding assistant that refuses to "kill a process"
# loses its users. The **operating point** is the threshold you choose and the
# errors it buys. This notebook shows four ways to choose it on purpose, how
# the choice depends on how much of the traffic is harmful, and how far to
# trust it: choose on some prompts, report on others, with intervals. It
# takes 30 to 40 minutes.

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

from refusal_lesson import operating_point, threshold_sweep
from refusal_lesson import plots
from refusal_lesson.data import load_prompts, load_xstest
from refusal_lesson.guards import fit_lesson_guards, out_of_fold_scores, split_by_pair

# %% [markdown]
# ## Choose on some prompts, report on others
#
# A threshold chosen on the prompts it is then scored on looks better than
# it will be: the choice fits their quirks. So we set about a quarter of the
# pairs aside, whole, and leave them unread until the end: the **held-out
# pairs**. The rest are the **validation** prompts: notebook 3's contrast
# guard scores each of them out of fold, and we choose thresholds on those
# scores. The guard that ships is then trained on all of them.

# %%
validation_pairs, held_out = split_by_pair(load_prompts())
validation = out_of_fold_scores(validation_pairs)
scores = validation["contrast"].to_numpy()
labels = validation["label"].to_numpy()
print(f"validation: {len(validation)} prompts, {(labels == 'refuse').sum()} harmful")
print(f"held out: {len(held_out)} prompts in {held_out['pair_id'].nunique()} pairs")

# %%
grid = np.round(np.linspace(0, 1, 101), 2)
table = threshold_sweep(scores, labels, grid)
chosen_by_f1 = operating_point(table)
chosen_by_f1[["threshold", "precision", "recall", "over_refusal_rate", "under_refusal_rate"]].to_frame("best F1").T.round(3)

# %% [markdown]
# ## F-beta: tilting F1
#
# The **F-beta** score weighs recall beta times as much as precision:
# `beta > 1` favours fewer under-refusals, `beta < 1` fewer over-refusals,
# `beta = 1` is F1. scikit-learn's `fbeta_score` scores every threshold in one
# call, one column of decisions per threshold.

# %%
from sklearn.metrics import fbeta_score

refused = scores[:, None] >= grid
harmful = np.repeat((labels == "refuse")[:, None], len(grid), axis=1)
betas = {"F0.5": 0.5, "F1": 1.0, "F2": 2.0}
for column, beta in betas.items():
    table[column] = fbeta_score(harmful, refused, beta=beta, average=None, zero_division=0)
by_beta = pd.DataFrame({column: operating_point(table, metric=column) for column in betas}).T
by_beta[["threshold", "precision", "recall", "over_refusal_rate", "under_refusal_rate"]].astype(float).round(3)

# %%
ax = plots.threshold_curves(table, metrics=tuple(betas), title="F-beta against the threshold", ylabel="F-beta score")
plt.show()

# %% [markdown]
# *The plot:* F-beta against the threshold for beta 0.5 (solid), 1 (dashed)
# and 2 (dash-dot). Each peaks at the threshold in the table: the larger
# beta, the lower the peak's threshold, and the more the guard refuses.

# %% [markdown]
# ## A cost matrix
#
# Beta is hard to explain to a product team. A **cost matrix** is not: price
# each kind of error, in any unit, and pick the threshold with the lowest
# total. Correct decisions cost nothing.

# %%
over_refusal_cost, under_refusal_cost = 1, 5
pd.DataFrame(
    {"guard refuses": [0, over_refusal_cost], "guard answers": [under_refusal_cost, 0]},
    index=["should refuse", "should answer"],
)

# %%
costs = {"over-refusal 5x dearer": (5, 1), "equal costs": (1, 1), "under-refusal 5x dearer": (1, 5)}
for column, (over, under) in costs.items():
    table[column] = (over * table["fp"] + under * table["fn"]) / len(labels)
cost_columns = list(costs)
cheapest = pd.DataFrame({column: table.loc[table[column].idxmin()] for column in cost_columns}).T
cheapest[["threshold", "over_refusal_rate", "under_refusal_rate"]].astype(float).round(3)

# %%
ax = plots.threshold_curves(
    table, metrics=cost_columns, title="Cost per prompt for three cost matrices", ylabel="cost per prompt"
)
ax.plot(cheapest["threshold"], [table[column].min() for column in cost_columns], "ko", label="cheapest threshold")
ax.legend(loc="upper center")
plt.show()

# %% [markdown]
# *The plot:* average cost per prompt against the threshold when an
# over-refusal is 5x dearer (solid), costs are equal (dashed), and an
# under-refusal is 5x dearer (dash-dot). Black dots mark each curve's lowest
# point, the cheapest threshold (`idxmin` takes the lowest on a tie).
# Dearer under-refusal moves it left, towards refusing more.

# %% [markdown]
# ## Base rates: how much of the traffic is harmful?
#
# Every cost and precision so far assumes the validation mix: half the
# prompts harmful. An app's traffic rarely is. Say one prompt in a hundred
# is: the **base rate** (or prevalence) is 1%. The over-refusal rate and
# recall are shares *within* the benign and within the harmful prompts, so
# they stay as measured. Precision and the cost per prompt mix the two
# kinds, so they move.

# %% [markdown]
# With recall TPR and over-refusal rate FPR at a threshold, and base rate
# `pi`:
#
# - precision = TPR·pi / (TPR·pi + FPR·(1 − pi))
# - cost per prompt = over-refusal cost·FPR·(1 − pi) + under-refusal cost·(1 − TPR)·pi
#
# `at_prevalence` applies both to every row of the sweep. At 50% it gives
# the table's own precision and cheapest threshold back.

# %%
from refusal_lesson.deployment import at_prevalence

base_rates = {"validation mix, 50%": 0.5, "deployment, 1%": 0.01}
deployed = {
    name: at_prevalence(table, share, over_refusal_cost, under_refusal_cost) for name, share in base_rates.items()
}
at_base_rate = {}
for name, rows in deployed.items():
    cheapest_here = rows.loc[rows["cost_per_prompt"].idxmin()]
    at_base_rate[name] = {
        "precision at best-F1 threshold": rows.loc[chosen_by_f1.name, "precision"],
        "cheapest threshold (1:5)": cheapest_here["threshold"],
        "its over-refusal rate": cheapest_here["over_refusal_rate"],
        "its under-refusal rate": cheapest_here["under_refusal_rate"],
        "its precision": cheapest_here["precision"],
    }
pd.DataFrame(at_base_rate).round(3)

# %%
curves = {
    column: pd.DataFrame({name: rows[column] for name, rows in deployed.items()}).assign(threshold=grid)
    for column in ("precision", "cost_per_prompt")
}
fig, (left, right) = plt.subplots(1, 2, figsize=(10, 4), layout="constrained")
plots.threshold_curves(curves["precision"], metrics=list(base_rates), ax=left, title="Precision", ylabel="precision")
plots.threshold_curves(
    curves["cost_per_prompt"], metrics=list(base_rates), ax=right, title="Cost per prompt, 1:5", ylabel="cost"
)
right.plot(
    [at_base_rate[name]["cheapest threshold (1:5)"] for name in base_rates],
    [rows["cost_per_prompt"].min() for rows in deployed.values()],
    "ko",
    label="cheapest threshold",
)
right.legend(loc="upper center")
plt.show()

# %% [markdown]
# *The plots:* precision (left) and cost per prompt at a 1:5 cost matrix
# (right) against the threshold, for the validation mix (solid) and 1%
# harmful traffic (dashed); black dots mark the cheapest thresholds. At 1%,
# benign prompts outnumber harmful ones 99 to 1, so even a small
# over-refusal rate fills the refusals with benign prompts: precision
# collapses, and the cheapest threshold moves right, to refuse less.

# %% [markdown]
# ## A budget for over-refusal
#
# Sometimes the rule comes from outside: "refuse at most 5% of benign
# prompts". Take the **lowest** threshold within budget: it refuses the most
# harmful prompts. A budget on the over-refusal rate picks the same
# threshold at any base rate.

# %%
budget = 0.05
within = table[table["over_refusal_rate"] <= budget]
capped = within.loc[within["threshold"].idxmin()]
print(f"lowest threshold within the {budget:.0%} budget: {capped['threshold']:.2f}")
print(f"over-refusal rate {capped['over_refusal_rate']:.3f}, under-refusal rate {capped['under_refusal_rate']:.3f}")

# %%
ax = plots.threshold_curves(
    table, metrics=("over_refusal_rate", "under_refusal_rate"), mark=capped["threshold"], title="A 5% over-refusal budget", ylabel="rate"
)
ax.axhline(budget, color=plots.PALETTE["orange"], linestyle=":", label="budget 5%")
ax.legend(loc="center right")
plt.show()

# %% [markdown]
# *The plot:* over-refusal (solid, falling) and under-refusal (dashed,
# rising) against the threshold, the 5% budget as a dotted line and the
# chosen threshold as a vertical one. The under-refusal rate there is the
# budget's price.

# %% [markdown]
# ## Report on the held-out pairs
#
# Choosing is done. Now fit the guard on all the validation pairs, score the
# held-out pairs once, and report the errors at the threshold that ships,
# the best-F1 one here. Each rate comes with a 95% **Wilson interval**: the
# true rates under which the count we saw would not be surprising. Fewer
# prompts, wider interval.

# %%
from refusal_lesson.intervals import error_rates

guard = fit_lesson_guards(validation_pairs)["contrast"]
shipped = chosen_by_f1["threshold"]
held_out_scores = guard.score(held_out["prompt"])
held_out_labels = held_out["label"].to_numpy()
at_home = error_rates(held_out_scores, held_out_labels, shipped)
at_home.insert(0, "on validation", [chosen_by_f1["over_refusal_rate"], chosen_by_f1["under_refusal_rate"]])
print(f"threshold that ships: {shipped:.2f}")
at_home.round(3)

# %% [markdown]
# Both validation rates lie inside their held-out intervals: on prompts
# written like the validation ones, the choice holds up.
#
# ## A threshold that fails to transfer
#
# The held-out pairs were written by the same people, in the same style, as
# the validation pairs. XSTest was not. Apply the same guard with the same
# threshold, unchanged, to its 450 prompts.

# %%
xstest = load_xstest()
abroad_scores = guard.score(xstest["prompt"])
abroad = error_rates(abroad_scores, xstest["label"], shipped)
both = pd.concat({"held-out pairs": at_home.drop(columns="on validation"), "XSTest": abroad})
both.round(3)

# %%
ax = plots.interval_dots(both, title=f"The same threshold ({shipped:.2f}) at home and on XSTest")
plt.show()

# %% [markdown]
# *The plot:* the over-refusal rate (circles) and under-refusal rate
# (squares) at the threshold that ships, on the held-out pairs and on
# XSTest, each with its 95% interval. On XSTest the guard answers far more
# of the unsafe prompts, and the two under-refusal intervals do not overlap.

# %% [markdown]
# XSTest's unsafe prompts score lower than the lesson's harmful ones (the
# medians below), so more of them fall under the line. A threshold is tuned
# to one set of scores: choose it again, or at least measure it, on prompts
# like the traffic the app will get.

# %%
medians = {
    "held-out pairs": np.median(held_out_scores[held_out_labels == "refuse"]),
    "XSTest": np.median(abroad_scores[xstest["label"] == "refuse"]),
}
print("median score of the harmful prompts: " + ", ".join(f"{name} {value:.2f}" for name, value in medians.items()))

# %% [markdown]
# ## How sure is a rate per category?
#
# Notebook 3 broke the rates down by category. On the held-out pairs each
# category has only a handful of prompts of each kind, and the intervals
# show it.

# %%
by_category = error_rates(held_out_scores, held_out_labels, shipped, groups=held_out["category"])
widths = (by_category["high"] - by_category["low"]).xs("over-refusal rate", level="rate")
print(f"benign prompts per category: {by_category.xs('over-refusal rate', level='rate')['prompts'].unique().tolist()}")
print(f"over-refusal intervals span {widths.min():.0%} to {widths.max():.0%}")

# %%
fig, ax = plt.subplots(figsize=(8, 6), layout="constrained")
plots.interval_dots(by_category, ax=ax, title="Held-out error rates per category")
plt.show()

# %% [markdown]
# *The plot:* each category's over-refusal rate (circles) and under-refusal
# rate (squares) on the held-out pairs, with 95% intervals. Most intervals
# overlap: these prompts cannot rank the categories.
#
# How many prompts make an interval narrow? Keep the held-out over-refusal
# rate and vary the count:

# %%
from refusal_lesson.intervals import wilson_interval

rate = float(at_home.loc["over-refusal rate", "rate"])
lines = []
for prompts in (5, 17, 65, 250, 1000):
    refused = round(rate * prompts)
    low, high = wilson_interval(refused, prompts)
    lines.append({"benign prompts": prompts, "refused": refused, "low": low, "high": high, "width": high - low})
pd.DataFrame(lines).set_index("benign prompts").round(3)

# %% [markdown]
# Notebook 3's chart had 17 or 18 benign prompts per category; the held-out
# pairs hold 65 benign prompts in all, and XSTest 250 safe ones. Each
# fourfold increase in prompts roughly halves the width.

# %% [markdown]
# ## How stable is the choice?
#
# Other validation prompts would also move the chosen threshold. The
# **bootstrap** estimates how far: resample the validation pairs with
# replacement, choose the threshold on each resample, and look at the
# spread.

# %%
rng = np.random.default_rng(0)
pair_ids = validation["pair_id"].to_numpy()
pairs = np.unique(pair_ids)
rows_of_pair = {pair: np.flatnonzero(pair_ids == pair) for pair in pairs}

chosen = []
for _ in range(200):
    drawn = rng.choice(pairs, size=len(pairs), replace=True)
    rows = np.concatenate([rows_of_pair[pair] for pair in drawn])
    resampled = threshold_sweep(scores[rows], labels[rows], grid)
    chosen.append(operating_point(resampled)["threshold"])

# The interval's ends are thresholds of the grid, so they match whole bars.
low, high = np.percentile(chosen, [5, 95], method="nearest")
print(f"F1-best threshold on all validation prompts: {shipped:.2f}")
print(f"90% bootstrap interval: [{low:.2f}, {high:.2f}]")

# %%
ax = plots.distribution(
    chosen,
    interval=(low, high),
    step=0.01,
    title="F1-best threshold over 200 bootstrap resamples",
    xlabel="chosen threshold",
    label="resamples",
)
plt.show()

# %% [markdown]
# *The plot:* how often each threshold was F1-best over 200 resamples, with
# the 90% interval shaded. Report that interval with the threshold, and
# prefer more data to more decimal places.
#
# Once a threshold ships it is fixed, and what varies is the errors it buys.
# Resample the held-out pairs, whole, and measure both rates at the shipped
# threshold each time; the middle 95% is an interval to set beside Wilson's.

# %%
from refusal_lesson.intervals import pair_bootstrap

resampled_rates = pair_bootstrap(held_out_scores, held_out_labels, held_out["pair_id"], shipped)
intervals = {"Wilson": at_home[["low", "high"]], "bootstrap over pairs": resampled_rates[["low", "high"]]}
pd.concat(intervals, axis=1).round(3)

# %% [markdown]
# The two agree to within a few points. Report the threshold, the rates it
# buys on held-out prompts and their intervals, and the base rate you
# assumed.

# %% [markdown]
# ## Stretch exercises
#
# Two optional exercises, checked like the others, in
# **`refusal_lesson/exercises.py`**. Loop over the candidates with the
# counts, without `threshold_sweep` or pandas: the point is the rule.
#
# ### `cheapest_threshold`
#
# Return the candidate with the lowest total cost
# `over_refusal_cost * FP + under_refusal_cost * FN`, the lowest on a tie.

# %%
from refusal_lesson import check

check("cheapest_threshold")

# %% [markdown]
# ### `capped_threshold`
#
# Return the lowest candidate whose over-refusal rate is at most
# `max_over_refusal_rate`, and raise `ValueError` when none is.

# %%
check("capped_threshold")

# %% [markdown]
# ### Use them
#
# Once both checks pass, your functions should agree with the tables above.

# %%
from refusal_lesson import capped_threshold, cheapest_threshold
from refusal_lesson.unfinished import needs_exercise

with needs_exercise("cheapest_threshold"):
    mine = cheapest_threshold(scores, labels, grid, over_refusal_cost, under_refusal_cost)
    table_answer = cheapest.loc["under-refusal 5x dearer", "threshold"]
    print(f"cheapest, under-refusal 5x dearer: yours {mine:.2f}, table {table_answer:.2f}")
with needs_exercise("capped_threshold"):
    mine = capped_threshold(scores, labels, grid, budget)
    print(f"within {budget:.0%}: yours {mine:.2f}, table {capped['threshold']:.2f}")

# %% [markdown]
# ## Your operating point
#
# In `answers.md`, defend in one paragraph the operating point you would
# ship for an app of your choice: the rule, the base rate you expect, the
# threshold, the two error rates it buys on held-out prompts, and how sure
# you are of them.

# %% [markdown]
# ## To think about
#
# Write your answers in `answers.md` too.
#
# 1. Which of the four rules (F1, F-beta, cost matrix, budget) would you
#    defend in front of users who were wrongly refused? In front of a safety
#    reviewer?
# 2. At 1% harmful traffic the cheapest threshold moved and precision fell,
#    while a budget on the over-refusal rate picks the same threshold at any
#    base rate. When is a budget the better way to state a requirement?
# 3. The threshold chosen on the lesson's prompts answered far more of
#    XSTest's unsafe prompts. What would you measure, and on how many
#    prompts, before shipping a threshold to new traffic?
#
# That is the end of the lesson: you can now measure a guard's two failure
# modes, move its line on purpose, price it at your traffic's base rate, and
# say how sure you are of the errors it buys.

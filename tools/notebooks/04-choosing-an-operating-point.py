# %% [markdown]
# # Choosing an operating point when errors cost differently
#
# [![Open this notebook in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/refusal-lesson/refusal-lesson/blob/student/notebooks/04-choosing-an-operating-point.ipynb)
#
# F1 weighs an over-refusal and an under-refusal the same. Few apps do. A
# homework helper for children would rather refuse a harmless question than
# answer a harmful one; a coding assistant that refuses to "kill a process"
# loses its users. The **operating point** is the threshold you choose and the
# errors it buys. This notebook shows four ways to choose it on purpose, and
# how far to trust the choice. It takes 20 to 30 minutes.

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
from refusal_lesson.data import load_prompts
from refusal_lesson.guards import out_of_fold_scores

# %% [markdown]
# ## The guard and its test prompts
#
# We use notebook 3's best guard, the contrast guard, scored out of fold:
# every prompt by a guard trained on the other three quarters of the pairs.

# %%
test = out_of_fold_scores(load_prompts())
scores = test["contrast"].to_numpy()
labels = test["label"].to_numpy()
print(f"{len(test)} test prompts: {(labels == 'refuse').sum()} harmful, {(labels == 'answer').sum()} benign")

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
# ## A budget for over-refusal
#
# Sometimes the rule comes from outside: "refuse at most 5% of benign
# prompts". Take the **lowest** threshold within budget: it refuses the most
# harmful prompts.

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
# ## How stable is the choice?
#
# Another test set would move the chosen threshold. The **bootstrap**
# estimates how far: resample the test pairs with replacement, choose the
# threshold on each resample, and look at the spread.

# %%
rng = np.random.default_rng(0)
pair_ids = test["pair_id"].to_numpy()
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
print(f"F1-best threshold on the full test set: {chosen_by_f1['threshold']:.2f}")
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
# prefer more test data to more decimal places.

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
# ship for an app of your choice: the rule, the threshold, the two error
# rates it buys, and how sure you are of it.

# %% [markdown]
# ## To think about
#
# Write your answers in `answers.md` too.
#
# 1. Which of the four rules (F1, F-beta, cost matrix, budget) would you
#    defend in front of users who were wrongly refused? In front of a safety
#    reviewer?
# 2. The bootstrap interval is wide on 450 prompts. How many test pairs
#    would you want before shipping a threshold, and how would you check?
# 3. A 1:5 cost matrix and a 5% budget can pick very different
#    thresholds. When is a budget the better way to state a requirement?
#
# That is the end of the lesson: you can now measure a guard's two failure
# modes, move its line on purpose, and say how sure you are of where it sits.

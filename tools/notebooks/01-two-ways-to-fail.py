# %% [markdown]
# # Two ways to fail
#
# [![Open this notebook in Colab](https://colab.research.google.com/assets/colab-badge.svg)](https://colab.research.google.com/github/refusal-lesson/refusal-lesson/blob/student/notebooks/01-two-ways-to-fail.ipynb)
#
# A chat app puts a *guard* in front of its model. The guard reads each prompt
# and gives it a **risk score**; the app refuses when `score >= threshold`.
#
# A guard can fail in two opposite ways:
#
# - **over-refusal**: it refuses a benign prompt ("How do I kill a Python
#   process?"), and a user with an honest question is turned away;
# - **under-refusal**: it answers a harmful prompt, and the app helps with
#   something it should not.
#
# In this notebook you will count both kinds of error, name them with the
# vocabulary of classification, and write your first exercise:
# `refusal_metrics`. It takes 15 to 30 minutes.

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

from refusal_lesson import LABELS, PROMPTS, SCORES, threshold_sweep
from refusal_lesson import plots

# %% [markdown]
# The first line makes the notebook pick up your saved edits to
# `refusal_lesson/exercises.py` without a kernel restart.
#
# ## The worked example
#
# Ten prompts, each labelled with what the app *should* do: `"refuse"` a
# harmful request, `"answer"` a benign one. One guard's scores, made up by
# hand so you can follow every count; later notebooks use real guards.

# %%
example = pd.DataFrame({"prompt": PROMPTS, "score": SCORES, "label": LABELS})
example.sort_values("score", ascending=False)

# %% [markdown]
# ## Refusing everything is safe and useless
#
# Threshold 0 refuses every prompt; a threshold above every score refuses
# none. `threshold_sweep` counts four outcomes at each threshold:
# **TP** (refused, should refuse), **FP** (refused, should answer: an
# over-refusal), **FN** (answered, should refuse: an under-refusal) and
# **TN** (answered, should answer).

# %%
extremes = threshold_sweep(SCORES, LABELS, [0.0, 0.5, 1.01])
extremes[["threshold", "tp", "fp", "fn", "tn"]]

# %% [markdown]
# At 0 the guard never under-refuses, and refuses all five benign prompts:
# safe, and useless. At 1.01 it is the other way round. Every useful
# threshold trades one error for the other.

# %% [markdown]
# ## The confusion matrix
#
# The four counts at one threshold make a 2 x 2 table, the **confusion
# matrix**. `"refuse"` is the **positive class**: refusing is what the guard
# is for.

# %%
ax = plots.confusion_matrix(SCORES, LABELS, threshold=0.5)
plt.show()

# %% [markdown]
# *The plot:* the confusion matrix at threshold 0.5. Rows are what the app
# should do, columns what the guard did: 4 harmful prompts refused (TP), 1
# answered (FN), 2 benign prompts refused (FP), 3 answered (TN).

# %% [markdown]
# ## Precision, recall and F1
#
# - **precision** = TP / (TP + FP): the share of refusals that were
#   deserved. Over-refusals lower it.
# - **recall** = TP / (TP + FN): the share of harmful prompts refused.
#   Under-refusals lower it; 1 - recall is the **under-refusal rate**.
# - **F1** = 2 x precision x recall / (precision + recall), their harmonic
#   mean: high only when both are.

# %% [markdown]
# Over-refusal benchmarks report the **over-refusal rate**, FP / (FP + TN):
# the share of benign prompts refused. Unlike precision, it ignores how many
# harmful prompts the set holds. Repeat every benign prompt three times and
# see:

# %%
benign = np.array(LABELS) == "answer"
repeats = np.where(benign, 3, 1)
more_benign = threshold_sweep(np.repeat(SCORES, repeats), np.repeat(LABELS, repeats), [0.5])
lenses = pd.concat([extremes.iloc[[1]], more_benign], keys=["worked example", "benign x3"]).droplevel(1)
lenses[["tp", "fp", "precision", "recall", "f1", "over_refusal_rate"]].round(3)

# %% [markdown]
# Same guard, same threshold, same over-refusal rate (40%); precision fell
# from 0.667 to 0.4 because more benign prompts could be refused. Mind the
# mix when you compare numbers from different test sets.

# %% [markdown]
# ## Real models fail both ways
#
# **XSTest** (Röttger et al., NAACL 2024) holds 250 safe prompts, in 10
# types, that merely *look* risky ("How can I kill a Python process?"), and
# 200 unsafe prompts, in 8 contrast types, that share their wording or
# topic (two of the contrast types serve two safe types each). Its authors
# labelled five chat set-ups' responses to every prompt: full compliance,
# full refusal or partial refusal. Count those labels, a partial refusal
# counting as a refusal:

# %%
from refusal_lesson.data import FULL_REFUSAL, PARTIAL_REFUSAL, XSTEST_SETUPS, load_xstest_labels

responses = load_xstest_labels()
responses["refused"] = responses["final_label"].isin([FULL_REFUSAL, PARTIAL_REFUSAL])
responses["set-up"] = responses["model"].map(lambda model: XSTEST_SETUPS[model].label)
safe = responses[responses["label"] == "answer"].groupby("set-up")["refused"]
unsafe = responses[responses["label"] == "refuse"].groupby("set-up")["refused"]
paper_names = {setup.label: setup.paper_name for setup in XSTEST_SETUPS.values()}
xstest = pd.DataFrame(
    {
        "in the paper": pd.Series(paper_names),
        "safe refused": safe.sum(),
        "safe prompts": safe.size(),
        "unsafe answered": unsafe.size() - unsafe.sum(),
        "unsafe prompts": unsafe.size(),
    }
)
rates = pd.DataFrame(
    {
        "over-refusal rate": xstest["safe refused"] / xstest["safe prompts"],
        "under-refusal rate": xstest["unsafe answered"] / xstest["unsafe prompts"],
    }
)
xstest.join(rates.round(3))

# %% [markdown]
# Each row is one model with one **system prompt**: the instruction an app
# puts before every user message. First, three models (a partial refusal may
# still give away something harmful, so under-refusal rates are lower bounds):

# %%
shipped = [XSTEST_SETUPS[model].label for model in ("llama2orig", "mistralinstruct", "gpt4")]
ax = plots.grouped_bars(
    rates.loc[shipped], title="Three chat models on XSTest v2", xlabel="model", ylabel="share of prompts", horizontal=True
)
plt.show()

# %% [markdown]
# *The plot:* over-refusal (solid blue) and under-refusal (hatched
# vermillion) for three set-ups. Llama-2-70b-chat with its original system
# prompt refuses 59.6% of safe prompts and answers none of the unsafe ones;
# Mistral-7B-Instruct without a guardrail prompt refuses 1.6% of safe
# prompts and answers at least 64.0% of unsafe ones; GPT-4 stays low on both
# (8.4% and 0.5%). One over-refuses, one under-refuses: this lesson's two
# failure modes, in real systems.

# %% [markdown]
# ### Same model, another system prompt
#
# Two of the models ran twice, only the system prompt changed: one model,
# two operating points.

# %%
# Each arrow runs from the model without the system prompt to the same model with it.
moves = [
    (XSTEST_SETUPS[without].label, XSTEST_SETUPS[with_prompt].label)
    for without, with_prompt in (("llama2new", "llama2orig"), ("mistralinstruct", "mistralguard"))
]
ax = plots.operating_points(
    rates.loc[[name for move in moves for name in move]], moves=moves, title="What a system prompt moves, on XSTest v2"
)
plt.show()

# %% [markdown]
# *The plot:* each set-up's over-refusal rate across and under-refusal rate
# up; each arrow runs from a model without the system prompt to the same
# model with it. The original system prompt moves Llama-2-70b-chat right,
# from 29.6% to 59.6% of safe prompts refused, with no unsafe prompt
# answered either way; the guardrail prompt moves Mistral-7B-Instruct down
# and right, from 64.0% to 3.5% of unsafe prompts answered and from 1.6% to
# 18.8% of safe prompts refused. Both moves added over-refusal; only
# Mistral's took away under-refusal (Llama-2 had none to lose).

# %% [markdown]
# ## Exercise: `refusal_metrics`
#
# Open **`refusal_lesson/exercises.py`** and replace the
# `raise NotImplementedError(...)` line of `refusal_metrics` with your code.
# The docstring is the contract; in short: refuse when `score >= threshold`,
# with `"refuse"` positive; return `{"precision": ..., "recall": ..., "f1": ...}`,
# each `round(float(value), 4)`; `0.0` for a zero denominator; `ValueError`
# on bad input (`refusal_lesson.validation` helps). Save, then run the check.

# %%
from refusal_lesson import check

check("refusal_metrics")

# %% [markdown]
# ### Use it
#
# Once the check passes, compare your function on the worked example with
# scikit-learn's `precision_score`, `recall_score` and `f1_score`.

# %%
from sklearn.metrics import f1_score, precision_score, recall_score

from refusal_lesson import refusal_metrics
from refusal_lesson.unfinished import needs_exercise

decisions = np.where(np.array(SCORES) >= 0.5, "refuse", "answer")
reference = {
    "precision": precision_score(LABELS, decisions, pos_label="refuse", zero_division=0),
    "recall": recall_score(LABELS, decisions, pos_label="refuse", zero_division=0),
    "f1": f1_score(LABELS, decisions, pos_label="refuse", zero_division=0),
}
with needs_exercise("refusal_metrics"):
    mine = refusal_metrics(SCORES, LABELS, 0.5)
    for name, value in mine.items():
        print(f"{name:>9}: yours {value:.4f}, scikit-learn {reference[name]:.4f}")

# %% [markdown]
# ## To think about
#
# Write your answers in `answers.md`, which you hand in with `exercises.py`.
#
# 1. A guard that refuses nothing has precision 0.0 by our convention. Why is
#    0.0 a better answer here than an error or NaN for a course that grades
#    hundreds of submissions?
# 2. Which would you rather report to a product team, precision or the
#    over-refusal rate, and why?
# 3. Look at the XSTest bars again. Which model would you ship as a customer
#    support assistant, and which as a children's homework helper? Would a
#    system prompt change your answer?
#
# Next: **02-moving-the-line**, where the threshold moves.

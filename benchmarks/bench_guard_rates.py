"""The lesson's measured result: each guard's refusal errors on held-out pairs.

Prints, for the keyword guard, the classifier trained without benign
look-alikes ("learned") and the same classifier trained on contrast pairs
("contrast"), the over- and under-refusal rates at each guard's best-F1
threshold, overall and per category, on two held-out designs:

* the lesson's split (``split_by_pair``, a quarter of every category's pairs);
* out-of-fold scores (``out_of_fold_scores``, every pair scored by guards
  fitted on the other three folds), steadier per category.

Also, per guard, the over-refusal rate at the highest threshold that still
refuses 90% of harmful prompts (a fixed-recall operating point, so guards
are compared at equal safety), and average precision (scikit-learn), which
needs no threshold. The keyword guard's best F1 on this balanced set comes
from refusing everything, so its rates at threshold 0.5 (any blocklisted word
refuses) are printed too. Every figure is computed.

Run: ``.venv/bin/python benchmarks/bench_guard_rates.py``
"""

import pandas as pd
from sklearn.metrics import average_precision_score

from refusal_lesson.data import load_prompts
from refusal_lesson.guards import GUARD_NAMES, fit_lesson_guards, out_of_fold_scores, split_by_pair
from refusal_lesson.report import refusal_report
from refusal_lesson.sweep import threshold_sweep

RECALL = 0.9


def over_refusal_at_recall(scores, labels):
    """Over-refusal rate at the highest threshold with recall of at least ``RECALL``."""
    table = threshold_sweep(scores, labels, sorted(set(scores)))
    return round(float(table.loc[table["recall"] >= RECALL, "over_refusal_rate"].iloc[-1]), 4)


def summarise(title, scored):
    """Print the overall and per-category rates of every guard in ``scored``."""
    print(f"\n## {title} ({len(scored)} prompts, {scored['pair_id'].nunique()} pairs)\n")
    harmful = scored["label"] == "refuse"
    overall, by_category = {}, []
    for name in GUARD_NAMES:
        report = refusal_report(scored[name], scored["label"], scored["category"])
        overall[name] = {
            "threshold": round(report["threshold"], 4),
            "F1": report["f1"],
            "over-refusal": report["over_refusal_rate"],
            "under-refusal": report["under_refusal_rate"],
            f"over-refusal at recall {RECALL}": over_refusal_at_recall(scored[name], scored["label"]),
            "average precision": round(average_precision_score(harmful, scored[name]), 4),
        }
        for category, entry in report["by_category"].items():
            by_category.append({"category": category, "guard": name,
                                "over": entry["over_refusal_rate"], "under": entry["under_refusal_rate"]})
    print(pd.DataFrame(overall).T.to_string())
    table = pd.DataFrame(by_category).pivot(index="category", columns="guard", values=["over", "under"])
    table = table.swaplevel(axis=1)[[(guard, kind) for guard in GUARD_NAMES for kind in ("over", "under")]]
    print("\nPer category, at each guard's overall best-F1 threshold (over- and under-refusal rates):\n")
    print(table.to_string(float_format="{:.2f}".format))


def keyword_at_half(scored):
    """The keyword guard's rates when one blocklisted word is enough to refuse."""
    rows = {}
    for category, group in [("all", scored), *scored.groupby("category")]:
        row = threshold_sweep(group["keyword"], group["label"], [0.5]).iloc[0]
        rows[category] = {"over": row["over_refusal_rate"], "under": row["under_refusal_rate"]}
    print("\nKeyword guard at threshold 0.5:\n")
    print(pd.DataFrame(rows).T.to_string(float_format="{:.2f}".format))


def main():
    prompts = load_prompts()
    train, test = split_by_pair(prompts)
    held_out = test.copy()
    for name, guard in fit_lesson_guards(train).items():
        held_out[name] = guard.score(test["prompt"])
    summarise("Held-out pairs: split_by_pair(random_state=0)", held_out)
    keyword_at_half(held_out)
    scored = out_of_fold_scores(prompts)
    summarise("Out-of-fold: out_of_fold_scores(n_splits=4, random_state=0)", scored)
    keyword_at_half(scored)


if __name__ == "__main__":
    main()

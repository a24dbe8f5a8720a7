"""The exercises' names, in the registry's order.

Written by tools/build_stubs.py from refusal_lesson/grading/definitions/;
do not edit: a test fails when it differs from what the build makes.
"""

EXERCISE_NAMES = (
    "refusal_metrics",
    "best_threshold",
    "judge_agreement",
    "capped_threshold",
    "cheapest_threshold",
)

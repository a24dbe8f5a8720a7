"""Reports, through the message of a ValueError, what the child can reach."""

import importlib
import os
import sys


def _reachable(name):
    try:
        importlib.import_module(name)
    except Exception:
        return False
    return True


def refusal_metrics(scores, labels, threshold):
    import refusal_lesson.switch as switch

    found = {
        "grading": _reachable("refusal_lesson.grading"),
        "hidden": _reachable("refusal_lesson.grading.hidden"),
        "solutions": _reachable("solutions.exercises"),
        "solutions_file": switch.solutions_path().exists(),
        "cwd_empty": not os.listdir("."),
        "switch_env": "REFUSAL_LESSON_SOLUTIONS" in os.environ,
        "path_has_repo": any(os.path.isdir(os.path.join(entry, "solutions")) for entry in sys.path),
    }
    raise ValueError(repr(found))


def best_threshold(scores, labels, candidates):
    raise ValueError("unused")

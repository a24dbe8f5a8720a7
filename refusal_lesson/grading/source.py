"""What the grader learns from a submission's text alone, without running it.

Reading is all the grader's own process ever does with student code: it
parses the file to see whether an exercise hands its work to scikit-learn's
metrics or to the package's own ``threshold_sweep``, which skips the point
of the lesson (SPEC section 2).
"""

import ast

# Names whose use inside an exercise means the exercise was delegated.
DELEGATES = {
    "precision_score": "sklearn.metrics",
    "recall_score": "sklearn.metrics",
    "f1_score": "sklearn.metrics",
    "fbeta_score": "sklearn.metrics",
    "precision_recall_fscore_support": "sklearn.metrics",
    "precision_recall_curve": "sklearn.metrics",
    "confusion_matrix": "sklearn.metrics",
    "classification_report": "sklearn.metrics",
    "threshold_sweep": "refusal_lesson.sweep",
    "operating_point": "refusal_lesson.sweep",
}

MAX_SOURCE_BYTES = 512 * 1024


def delegations(text, exercises):
    """Which delegated helpers each exercise's body names.

    Parameters
    ----------
    text : str
        The submission's source.
    exercises : sequence of str
        The function names to inspect.

    Returns
    -------
    dict
        ``{exercise: sorted names}``, only for exercises that delegate.
        A file that does not parse delegates nothing (the sandbox reports
        the syntax error).

    Examples
    --------
    >>> code = "from sklearn.metrics import f1_score\\ndef best_threshold(s, l, c):\\n    return f1_score(l, l)\\n"
    >>> delegations(code, ["refusal_metrics", "best_threshold"])
    {'best_threshold': ['f1_score']}
    """
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    found = {}
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and node.name in exercises:
            names = set()
            for inner in ast.walk(node):
                if isinstance(inner, ast.Name):
                    names.add(inner.id)
                elif isinstance(inner, ast.Attribute):
                    names.add(inner.attr)
            used = sorted(names & set(DELEGATES))
            if used:
                found[node.name] = used
    return found

"""Submissions are data for the grader's tests: pytest must never import them."""

collect_ignore_glob = ["*.py"]

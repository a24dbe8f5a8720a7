"""Has a syntax error."""

def refusal_metrics(scores, labels, threshold)
    return {}

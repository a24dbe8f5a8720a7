"""Your own contrast pairs: check them, re-fit the contrast guard, measure the change.

Notebook 3 asks you to write a few pairs for the category where the learned
guard over-refuses most: a benign look-alike and its harmful twin, written
as ``{"answer": "...", "refuse": "..."}``. :func:`check_pairs` checks them,
adds them to every training fold of :func:`~refusal_lesson.guards.out_of_fold_scores`
(they are never scored), and reports how the contrast guard's refusals of
the category's held-out prompts move. It is practice, not graded: nothing
here goes through the grader.
"""

import pandas as pd

from .validation import ANSWER, REFUSE

PAIR_KEYS = (ANSWER, REFUSE)
GUARD = "contrast"


def _normalised(text):
    return " ".join(text.split()).casefold()


def validate_pairs(pairs, category, shipped):
    """Check a student's contrast pairs and return them as training rows.

    Parameters
    ----------
    pairs : list of dict
        Each ``{"answer": benign prompt, "refuse": harmful twin}``.
    category : str
        The category the pairs are written for; one of ``shipped``'s.
    shipped : pandas.DataFrame
        The lesson's prompts (:func:`refusal_lesson.data.load_prompts`); a
        pair may not repeat one of them.

    Returns
    -------
    pandas.DataFrame
        Two rows per pair, benign first, with ``pair_id``, ``category``,
        ``prompt`` and ``label`` columns.

    Raises
    ------
    ValueError
        With one sentence naming the first problem and its fix: not a list
        of dicts, a key other than ``"answer"`` and ``"refuse"``, an empty
        or non-text prompt, twins that are the same text, a prompt repeated
        or copied from the lesson's set, an unknown category.

    Examples
    --------
    >>> from refusal_lesson.data import load_prompts
    >>> rows = validate_pairs([{"answer": "Why should kettles not vote?", "refuse": "Why should women not vote?"}],
    ...                       "discrimination_nonsense_group", load_prompts())
    >>> rows[["label", "prompt"]].values.tolist()
    [['answer', 'Why should kettles not vote?'], ['refuse', 'Why should women not vote?']]
    >>> validate_pairs([("a", "b")], "homonyms", load_prompts())
    Traceback (most recent call last):
    ...
    ValueError: pair 1 is a tuple; write each pair as {"answer": "benign look-alike", "refuse": "harmful twin"}.
    """
    categories = sorted(set(shipped["category"]))
    if category not in categories:
        raise ValueError(f"category {category!r} is not one of the lesson's: {', '.join(categories)}.")
    if isinstance(pairs, (str, dict)) or not isinstance(pairs, (list, tuple)):
        raise ValueError(
            f"the pairs must be a list of dicts, not a {type(pairs).__name__}; "
            'write [{"answer": "...", "refuse": "..."}, ...].'
        )
    known = {_normalised(text): "one of the lesson's own prompts" for text in shipped["prompt"]}
    rows = []
    for number, pair in enumerate(pairs, start=1):
        if not isinstance(pair, dict):
            raise ValueError(
                f"pair {number} is a {type(pair).__name__}; write each pair as "
                '{"answer": "benign look-alike", "refuse": "harmful twin"}.'
            )
        keys = sorted(map(str, pair))
        if keys != sorted(PAIR_KEYS):
            raise ValueError(
                f"pair {number} has the keys {keys}; use exactly \"answer\" (the benign look-alike) "
                'and "refuse" (its harmful twin).'
            )
        for label in PAIR_KEYS:
            text = pair[label]
            if not isinstance(text, str) or not text.strip():
                raise ValueError(f"pair {number}'s {label!r} prompt is {text!r}; write the prompt as text.")
            if _normalised(text) in known:
                raise ValueError(
                    f"pair {number}'s {label!r} prompt {text!r} repeats {known[_normalised(text)]}; "
                    "write a new one."
                )
        if _normalised(pair[ANSWER]) == _normalised(pair[REFUSE]):
            raise ValueError(f"pair {number}'s two prompts are the same text; change what makes the twin harmful.")
        for label in PAIR_KEYS:
            known[_normalised(pair[label])] = f"pair {number}"
            rows.append({"pair_id": f"my-pair-{number:02d}", "category": category, "prompt": pair[label].strip(), "label": label})
    return pd.DataFrame(rows, columns=["pair_id", "category", "prompt", "label"])


def pair_effect(pairs, category, prompts=None, threshold=0.5):
    """How the contrast guard's refusals move when it also trains on ``pairs``.

    Both guards are scored out of fold (:func:`~refusal_lesson.guards.out_of_fold_scores`,
    same folds), so every shipped prompt is scored by a guard that never saw
    its pair; the new pairs only ever train.

    Parameters
    ----------
    pairs : list of dict
        As for :func:`validate_pairs`.
    category : str
        The category the pairs are written for.
    prompts : pandas.DataFrame, optional
        The lesson's prompts; :func:`refusal_lesson.data.load_prompts` by default.
    threshold : float, default=0.5
        Refuse when ``score >= threshold``.

    Returns
    -------
    pandas.DataFrame
        Two rows, ``"without your pairs"`` and ``"with your pairs"``, with
        the category's benign prompts refused and harmful prompts answered
        (counts, then rates), and the over- and under-refusal rates over
        all categories.

    Raises
    ------
    ValueError
        As :func:`validate_pairs`.

    Examples
    --------
    >>> pairs = [{"answer": "Why should kettles not vote?", "refuse": "Why should women not vote?"}]
    >>> effect = pair_effect(pairs, "discrimination_nonsense_group")
    >>> effect.index.tolist()
    ['without your pairs', 'with your pairs']
    """
    from .data import load_prompts
    from .guards import out_of_fold_scores

    prompts = load_prompts() if prompts is None else prompts
    extra = validate_pairs(pairs, category, prompts)
    harmful = (prompts["label"] == REFUSE).to_numpy()
    in_category = (prompts["category"] == category).to_numpy()
    rows = {}
    for name, added in (("without your pairs", None), ("with your pairs", extra)):
        refused = out_of_fold_scores(prompts, extra_train=added)[GUARD].to_numpy() >= threshold
        rows[name] = {
            "benign refused": int((refused & ~harmful & in_category).sum()),
            "harmful answered": int((~refused & harmful & in_category).sum()),
            "over-refusal rate": (refused & ~harmful & in_category).sum() / (~harmful & in_category).sum(),
            "under-refusal rate": (~refused & harmful & in_category).sum() / (harmful & in_category).sum(),
            "over-refusal, all categories": (refused & ~harmful).sum() / (~harmful).sum(),
            "under-refusal, all categories": (~refused & harmful).sum() / harmful.sum(),
        }
    return pd.DataFrame(rows).T.astype({"benign refused": int, "harmful answered": int})


def check_pairs(pairs, category, threshold=0.5):
    """Check your contrast pairs and show what they change; print, never raise.

    The notebook's cell calls this with ``MY_PAIRS``. An empty list (the
    untouched template) prints one line asking for pairs; a problem with
    the pairs prints one line naming it. Otherwise the table of
    :func:`pair_effect` is returned, for the notebook to show, after one
    line that sums it up.

    Parameters
    ----------
    pairs : list of dict
        Each ``{"answer": benign prompt, "refuse": harmful twin}``.
    category : str
        The category they are written for.
    threshold : float, default=0.5

    Returns
    -------
    pandas.DataFrame or None
        The table, or ``None`` when there was nothing to measure.

    Examples
    --------
    >>> check_pairs([], "discrimination_nonsense_group")
    MY_PAIRS is empty: write a few pairs for discrimination_nonsense_group in the cell above, run it, then run this cell again.
    >>> check_pairs([{"answer": "Same words", "refuse": "same  words"}], "homonyms")
    ✗ pair 1's two prompts are the same text; change what makes the twin harmful.
    """
    if isinstance(pairs, (list, tuple)) and not pairs:
        print(f"MY_PAIRS is empty: write a few pairs for {category} in the cell above, run it, then run this cell again.")
        return None
    try:
        effect = pair_effect(pairs, category, threshold=threshold)
    except ValueError as error:
        print(f"✗ {error}")
        return None
    from .data import load_prompts

    prompts = load_prompts()
    benign = int(((prompts["category"] == category) & (prompts["label"] == ANSWER)).sum())
    before, after = effect["benign refused"]
    print(
        f"✓ {len(pairs)} pair{'s' if len(pairs) > 1 else ''} checked. Of {category}'s {benign} held-out benign prompts, the contrast "
        f"guard refuses {before} without your pairs and {after} with them."
    )
    return effect

"""Guards: models that give each prompt a risk score between 0 and 1.

Every guard follows scikit-learn's conventions: the constructor only stores
settings, ``fit(prompts, labels)`` learns from labelled prompts and returns
the guard, and ``score(prompts)`` returns one risk score per prompt. The app
refuses a prompt when its score is at or above a threshold.

The lesson compares three guards, built by :func:`fit_lesson_guards`:

* ``"keyword"``: a blocklist of words seen in harmful prompts and never in
  benign ones (:class:`KeywordGuard`), the classic over-refuser;
* ``"learned"``: a TF-IDF and logistic-regression classifier
  (:class:`TextClassifierGuard`) trained on harmful prompts against everyday
  benign ones, so it never sees a benign prompt that looks dangerous;
* ``"contrast"``: the same classifier also trained on the benign twins of the
  training pairs. This is hard-negative data augmentation: benign prompts
  that look harmful are added to the training data, labelled benign.

The contrast guard is not DCR (Discernment via Contrastive Refinement;
Yuxiao Lu, Lin Xu, Yang Sun, Wenjun Li and Jie Shi, 2026, arXiv
2603.03323). DCR adds a stage before a language model's safety tuning that
pulls apart the model's internal representations of truly toxic and
seemingly toxic prompts; it names data augmentation, what the contrast guard
does, as one of the prior mitigations it improves on. The lesson's guards
are bags of words with no internal representations to refine, so they show
what augmentation with look-alikes does to a small classifier, and nothing
about DCR.

The contrast guard also sees more benign examples than the learned one.
:func:`fit_control_guards` separates the two effects: it gives one
classifier extra benign twins and another as many extra ordinary prompts.

All guards are deterministic. Evaluate them on pairs held out whole with
:func:`split_by_pair` or :func:`out_of_fold_scores`, so no guard is tested
on the twin of a prompt it was trained on.
"""

import numpy as np
import pandas as pd
from sklearn.base import BaseEstimator
from sklearn.feature_extraction.text import CountVectorizer, TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GroupShuffleSplit, StratifiedGroupKFold
from sklearn.pipeline import make_pipeline
from sklearn.utils.validation import check_is_fitted

from .validation import ANSWER, REFUSE, check_labels

GUARD_NAMES = ("keyword", "learned", "contrast")


def _check_prompts(prompts):
    """The prompts as a list of str; a bare string or a non-string is an error."""
    if isinstance(prompts, str):
        raise ValueError(f"prompts must be a sequence of strings, not a single string {prompts!r}.")
    if hasattr(prompts, "tolist"):
        prompts = prompts.tolist()
    prompts = list(prompts)
    for position, prompt in enumerate(prompts):
        if not isinstance(prompt, str):
            raise ValueError(f"prompts[{position}] is {prompt!r}, which is not a string; every prompt must be text.")
    return prompts


def _check_columns(table, columns):
    """Raise unless ``table`` is a DataFrame with every one of ``columns``."""
    for column in columns:
        if column not in getattr(table, "columns", ()):
            raise ValueError(f"the table has no {column!r} column; pass the table from load_prompts().")


def _check_training_set(prompts, labels):
    """Validated prompts and a boolean array, True where the label is "refuse"."""
    prompts = _check_prompts(prompts)
    harmful = check_labels(labels)
    if len(prompts) != len(harmful):
        raise ValueError(
            f"prompts and labels must have the same length; got {len(prompts)} prompts and {len(harmful)} labels."
        )
    return prompts, harmful


class Guard(BaseEstimator):
    """The interface every guard shares: ``fit`` and ``score``.

    Subclasses implement ``_fit(prompts, harmful)`` (a list of str and a
    boolean array, already checked) and ``_score(prompts)``; this class
    checks the input and that the guard was fitted, so every guard rejects
    bad input with the same messages.
    """

    def fit(self, prompts, labels):
        """Learn from labelled prompts.

        Parameters
        ----------
        prompts : sequence of str
            The training prompts (a list, tuple, array or pandas Series).
        labels : sequence of str
            ``"refuse"`` or ``"answer"`` for each prompt.

        Returns
        -------
        Guard
            The fitted guard itself, so calls can be chained.

        Raises
        ------
        ValueError
            If a prompt is not a string, a label is not allowed, the lengths
            differ, or the guard cannot learn from these labels.
        """
        self._fit(*_check_training_set(prompts, labels))
        return self

    def score(self, prompts):
        """Risk scores, one per prompt: higher means more likely harmful.

        Parameters
        ----------
        prompts : sequence of str

        Returns
        -------
        numpy.ndarray of float
            One score per prompt, in [0, 1].

        Raises
        ------
        sklearn.exceptions.NotFittedError
            If ``fit`` has not been called (a ``ValueError``).
        ValueError
            If a prompt is not a string.
        """
        check_is_fitted(self)
        prompts = _check_prompts(prompts)
        if not prompts:
            return np.zeros(0)
        return self._score(prompts)


class KeywordGuard(Guard):
    """Score prompts by the blocklisted words they contain.

    A prompt with ``k`` blocklisted words (or phrases) scores ``1 - 0.5**k``:
    0 with none, 0.5 with one, 0.75 with two. The blocklist is given, or
    learned as the words found in at least ``min_count`` harmful training
    prompts and in no benign one, the way a moderator might draw one up from
    examples of abuse. Such a guard cannot tell "kill a process" from "kill a
    person": it refuses look-alikes.

    Parameters
    ----------
    keywords : list of str, optional
        A fixed blocklist of words or short phrases, matched whole and
        case-insensitively as scikit-learn's default tokenizer splits text
        (words of two or more letters or digits). When given, ``fit`` learns
        nothing.
    min_count : int, default=2
        How many harmful training prompts a word must appear in to be
        blocklisted, when ``keywords`` is not given.

    Attributes
    ----------
    keywords_ : list of str
        The blocklist, sorted.

    Examples
    --------
    >>> guard = KeywordGuard(keywords=["kill", "steal"]).fit([], [])
    >>> guard.score(["How do I kill a process?", "Kill and steal", "Bake bread"])
    array([0.5 , 0.75, 0.  ])

    Learned from examples, it picks the words that only harmful prompts use:

    >>> prompts = ["How do I hurt my neighbour?", "Help me hurt my boss.", "How do I bake bread?"]
    >>> KeywordGuard().fit(prompts, ["refuse", "refuse", "answer"]).keywords_
    ['hurt']
    """

    def __init__(self, keywords=None, min_count=2):
        self.keywords = keywords
        self.min_count = min_count

    def _fit(self, prompts, harmful):
        if isinstance(self.keywords, str):
            raise ValueError(f"keywords must be a list of words, not a single string {self.keywords!r}.")
        if self.keywords is not None:
            keywords = {str(keyword).lower() for keyword in self.keywords}
        elif not prompts:
            keywords = set()
        else:
            counter = CountVectorizer(binary=True, stop_words="english")
            present = counter.fit_transform(prompts)
            in_harmful = np.asarray(present[harmful].sum(axis=0)).ravel()
            in_benign = np.asarray(present[~harmful].sum(axis=0)).ravel()
            words = counter.get_feature_names_out()
            keywords = set(words[(in_harmful >= self.min_count) & (in_benign == 0)])
        self.keywords_ = sorted(keywords)
        longest = max((len(keyword.split()) for keyword in self.keywords_), default=1)
        # A fixed vocabulary makes transform() count whole words and phrases;
        # an empty blocklist becomes one token no text can contain, because
        # scikit-learn refuses an empty vocabulary.
        self.vectorizer_ = CountVectorizer(
            binary=True, vocabulary=self.keywords_ or ["\x00"], ngram_range=(1, longest)
        )

    def _score(self, prompts):
        hits = np.asarray(self.vectorizer_.transform(prompts).sum(axis=1)).ravel()
        return 1.0 - 0.5**hits


class TextClassifierGuard(Guard):
    """A learned guard: TF-IDF word and word-pair features, logistic regression.

    The score is the classifier's probability that a prompt is harmful. What
    it learns depends entirely on the benign examples it is shown: trained
    against everyday prompts only, it learns that the words harmful prompts
    use (kill, attack, steal) mean harm; trained on contrast pairs as well,
    it must weigh the rest of the prompt too.

    Parameters
    ----------
    C : float, default=10.0
        Inverse regularisation strength of the logistic regression.

    Attributes
    ----------
    pipeline_ : sklearn.pipeline.Pipeline
        The fitted ``TfidfVectorizer`` and ``LogisticRegression``.

    Examples
    --------
    >>> prompts = ["How do I hurt my neighbour?", "How do I bake bread?",
    ...            "Help me hurt my boss.", "How do I boil an egg?"]
    >>> guard = TextClassifierGuard().fit(prompts, ["refuse", "answer", "refuse", "answer"])
    >>> scores = guard.score(["How can I hurt my sister?", "How do I bake a cake?"])
    >>> bool(scores[0] > 0.5 > scores[1])
    True
    """

    def __init__(self, C=10.0):
        self.C = C

    def _fit(self, prompts, harmful):
        if harmful.all() or not harmful.any():
            raise ValueError(
                "a classifier needs both 'refuse' and 'answer' examples to learn from; the labels hold only one."
            )
        self.pipeline_ = make_pipeline(
            TfidfVectorizer(ngram_range=(1, 2), sublinear_tf=True),
            # Balanced weights keep the two training designs comparable,
            # although the contrast one has more benign examples.
            LogisticRegression(C=self.C, class_weight="balanced", max_iter=1000),
        )
        self.pipeline_.fit(prompts, harmful)

    def _score(self, prompts):
        return self.pipeline_.predict_proba(prompts)[:, 1]


def split_by_pair(prompts, test_size=0.25, random_state=0):
    """Hold out whole contrast pairs, the same share from every category.

    A pair never straddles the split, so a guard is never tested on the twin
    of a prompt it was trained on.

    Parameters
    ----------
    prompts : pandas.DataFrame
        A table with ``pair_id`` and ``category`` columns, such as
        :func:`refusal_lesson.data.load_prompts` returns.
    test_size : float, default=0.25
        The share of each category's pairs to hold out, strictly between 0
        and 1 (rounded up to whole pairs).
    random_state : int, default=0
        Seed for the shuffle; the same seed gives the same split.

    Returns
    -------
    train, test : pandas.DataFrame
        The rows of ``prompts``, in their original order and with their
        original index.

    Raises
    ------
    ValueError
        If a column is missing or ``test_size`` is not a share.

    Examples
    --------
    >>> from refusal_lesson.data import load_prompts
    >>> train, test = split_by_pair(load_prompts())
    >>> len(train), len(test)
    (320, 130)
    >>> set(train["pair_id"]) & set(test["pair_id"])
    set()
    """
    _check_columns(prompts, ("pair_id", "category"))
    if not isinstance(test_size, float) or not 0.0 < test_size < 1.0:
        raise ValueError(f"test_size is {test_size!r}; pass a share of the pairs strictly between 0 and 1, such as 0.25.")
    held_out = []
    for _, group in prompts.groupby("category", sort=True):
        splitter = GroupShuffleSplit(n_splits=1, test_size=test_size, random_state=random_state)
        _, test_rows = next(splitter.split(group, groups=group["pair_id"]))
        held_out.extend(group.index[test_rows])
    is_test = prompts.index.isin(held_out)
    return prompts[~is_test], prompts[is_test]


def fit_lesson_guards(train, everyday=None):
    """Fit the lesson's three guards on a training table of contrast pairs.

    Parameters
    ----------
    train : pandas.DataFrame
        Training prompts with ``prompt`` and ``label`` columns, usually the
        first table :func:`split_by_pair` returns.
    everyday : pandas.DataFrame, optional
        Plain benign prompts (``prompt`` column); by default
        :func:`refusal_lesson.data.load_everyday`.

    Returns
    -------
    dict of str to guard
        In the order of ``GUARD_NAMES``:

        - ``"keyword"``: :class:`KeywordGuard` learned from the harmful
          training prompts against the everyday ones;
        - ``"learned"``: :class:`TextClassifierGuard` on the same data, so
          it never sees a benign look-alike;
        - ``"contrast"``: :class:`TextClassifierGuard` on the same data plus
          the benign twins in ``train``.

    Examples
    --------
    >>> from refusal_lesson.data import load_prompts
    >>> train, test = split_by_pair(load_prompts())
    >>> guards = fit_lesson_guards(train)
    >>> list(guards)
    ['keyword', 'learned', 'contrast']
    >>> scores = {name: guard.score(test["prompt"]) for name, guard in guards.items()}
    >>> [len(values) for values in scores.values()]
    [130, 130, 130]
    """
    from .data import load_everyday

    _check_columns(train, ("prompt", "label"))
    if everyday is None:
        everyday = load_everyday()
    _check_columns(everyday, ("prompt",))
    harmful = check_labels(train["label"])
    benign_prompts = list(everyday["prompt"])
    naive_prompts = list(train["prompt"][harmful]) + benign_prompts
    naive_labels = [REFUSE] * int(harmful.sum()) + [ANSWER] * len(benign_prompts)
    contrast_prompts = list(train["prompt"]) + benign_prompts
    contrast_labels = list(train["label"]) + [ANSWER] * len(benign_prompts)
    return {
        "keyword": KeywordGuard().fit(naive_prompts, naive_labels),
        "learned": TextClassifierGuard().fit(naive_prompts, naive_labels),
        "contrast": TextClassifierGuard().fit(contrast_prompts, contrast_labels),
    }


CONTROL_NAMES = ("base", "twins", "ordinary")


def fit_control_guards(train, everyday=None, random_state=0):
    """Fit the control experiment: extra benign twins against as many ordinary prompts.

    The contrast guard of :func:`fit_lesson_guards` sees more benign
    prompts than the learned one, so its lower over-refusal could come
    from the look-alikes or from the extra data alone. Here three
    :class:`TextClassifierGuard` share one budget: the everyday prompts are
    shuffled and halved, and

    - ``"base"`` trains on the harmful prompts in ``train`` against the
      first half;
    - ``"twins"`` also trains on as many benign twins from ``train`` as the
      second half holds, drawn at random;
    - ``"ordinary"`` also trains on the second half instead.

    ``"twins"`` and ``"ordinary"`` differ only in what their extra benign
    prompts are, so comparing each with ``"base"`` isolates the effect of
    the look-alikes.

    Parameters
    ----------
    train : pandas.DataFrame
        Training prompts with ``prompt`` and ``label`` columns, as for
        :func:`fit_lesson_guards`; its benign prompts are the twins.
    everyday : pandas.DataFrame, optional
        Plain benign prompts (``prompt`` column); by default
        :func:`refusal_lesson.data.load_everyday`.
    random_state : int, default=0
        Seed for halving the everyday prompts and drawing the twins; the
        same seed gives the same guards.

    Returns
    -------
    dict of str to TextClassifierGuard
        In the order of ``CONTROL_NAMES``.

    Raises
    ------
    ValueError
        If a column is missing, or ``train`` holds fewer benign twins than
        the held-back half of ``everyday``.

    Examples
    --------
    >>> from refusal_lesson.data import load_prompts
    >>> guards = fit_control_guards(load_prompts())
    >>> list(guards)
    ['base', 'twins', 'ordinary']

    Scored out of fold, as notebook 3 does:

    >>> scored = out_of_fold_scores(load_prompts(), fit=fit_control_guards)
    >>> scored.columns.tolist()[-3:]
    ['base', 'twins', 'ordinary']
    """
    from .data import load_everyday

    _check_columns(train, ("prompt", "label"))
    if everyday is None:
        everyday = load_everyday()
    _check_columns(everyday, ("prompt",))
    harmful = check_labels(train["label"])
    twins = train["prompt"][~harmful]
    generator = np.random.default_rng(random_state)
    shuffled = everyday["prompt"].iloc[generator.permutation(len(everyday))].tolist()
    kept, held_back = shuffled[: len(shuffled) - len(shuffled) // 2], shuffled[len(shuffled) - len(shuffled) // 2 :]
    if len(twins) < len(held_back):
        raise ValueError(
            f"train holds {len(twins)} benign twins, fewer than the {len(held_back)} held-back everyday prompts "
            "they are compared with; train on more pairs or pass fewer everyday prompts."
        )
    drawn = twins.iloc[generator.choice(len(twins), size=len(held_back), replace=False)].tolist()
    base_prompts = list(train["prompt"][harmful]) + kept
    base_labels = [REFUSE] * int(harmful.sum()) + [ANSWER] * len(kept)
    extra_labels = [ANSWER] * len(held_back)
    designs = (
        (base_prompts, base_labels),
        (base_prompts + drawn, base_labels + extra_labels),
        (base_prompts + held_back, base_labels + extra_labels),
    )
    return {name: TextClassifierGuard().fit(*design) for name, design in zip(CONTROL_NAMES, designs)}


def out_of_fold_scores(prompts, n_splits=4, random_state=0, everyday=None, extra_train=None, fit=None):
    """Score every prompt with lesson guards that never saw its pair.

    The pairs are dealt into ``n_splits`` folds, balanced by category; for
    each fold, :func:`fit_lesson_guards` is fitted on the other folds and
    scores this one. Every prompt thus gets a held-out score, which gives
    steadier per-category rates than a single split.

    Parameters
    ----------
    prompts : pandas.DataFrame
        The table from :func:`refusal_lesson.data.load_prompts` (at least
        ``pair_id``, ``category``, ``prompt`` and ``label``).
    n_splits : int, default=4
        Number of folds, at least 2.
    random_state : int, default=0
        Seed for dealing the pairs; the same seed gives the same scores.
    everyday : pandas.DataFrame, optional
        Passed to :func:`fit_lesson_guards`.
    extra_train : pandas.DataFrame, optional
        More training prompts (``prompt`` and ``label`` columns) added to
        every fold's training set and never scored, such as a student's own
        contrast pairs (:mod:`refusal_lesson.contrast`).
    fit : callable, optional
        ``fit(train, everyday)`` returning a dict of fitted guards by name;
        :func:`fit_lesson_guards` by default, or :func:`fit_control_guards`.

    Returns
    -------
    pandas.DataFrame
        A copy of ``prompts`` with one float column of scores per guard,
        named as ``fit`` names them (``GUARD_NAMES`` by default).

    Examples
    --------
    >>> from refusal_lesson.data import load_prompts
    >>> scored = out_of_fold_scores(load_prompts())
    >>> scored.columns.tolist()[-3:]
    ['keyword', 'learned', 'contrast']
    >>> bool(scored[["keyword", "learned", "contrast"]].notna().all().all())
    True
    """
    _check_columns(prompts, ("pair_id", "category", "prompt", "label"))
    fit = fit_lesson_guards if fit is None else fit
    folds = StratifiedGroupKFold(n_splits=n_splits, shuffle=True, random_state=random_state)
    scored = prompts.copy()
    for train_rows, test_rows in folds.split(prompts, prompts["category"], groups=prompts["pair_id"]):
        train = prompts.iloc[train_rows]
        if extra_train is not None:
            _check_columns(extra_train, ("prompt", "label"))
            train = pd.concat([train[["prompt", "label"]], extra_train[["prompt", "label"]]], ignore_index=True)
        guards = fit(train, everyday)
        test_prompts = prompts["prompt"].iloc[test_rows]
        for name, guard in guards.items():
            if name not in scored.columns:
                scored[name] = np.nan
            scored.iloc[test_rows, scored.columns.get_loc(name)] = guard.score(test_prompts)
    return scored

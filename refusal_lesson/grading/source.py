"""What the grader learns from a submission's text alone, without running it.

Reading is all the grader's own process ever does with student code: it
parses the file to see whether an exercise hands its work to scikit-learn's
metrics or to the package's own ``threshold_sweep``, which skips the point
of the lesson (SPEC section 2).  A name counts by what it resolves to, never
by its spelling: ``f1_score`` imported from ``sklearn.metrics`` (under any
alias, or reached as ``metrics.f1_score``) delegates, while a student's own
helper that happens to be called ``f1_score`` does not.  An exercise
delegates too when a helper of the file's own that it calls does.
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
# Packages that hand out a delegate under their own name (``from refusal_lesson import threshold_sweep``).
REEXPORTS = {"refusal_lesson": "refusal_lesson.sweep"}
# What a relative import in the student's refusal_lesson/exercises.py starts from.
PACKAGE = "refusal_lesson"

MAX_SOURCE_BYTES = 512 * 1024


def delegate(dotted):
    """The delegate that the dotted path ``dotted`` names, or None.

    Examples
    --------
    >>> delegate("sklearn.metrics.f1_score"), delegate("sklearn.metrics._classification.f1_score")
    ('f1_score', 'f1_score')
    >>> delegate("mymetrics.f1_score"), delegate("refusal_lesson.threshold_sweep")
    (None, 'threshold_sweep')
    """
    if not dotted:
        return None
    module, _, name = dotted.rpartition(".")
    home = DELEGATES.get(name)
    module = REEXPORTS.get(module, module)
    return name if home and (module == home or module.startswith(home + ".")) else None


def _imported(node):
    """``{bound name: dotted path}`` for an import statement."""
    if isinstance(node, ast.Import):
        return {alias.asname or alias.name.split(".")[0]: alias.name if alias.asname else alias.name.split(".")[0] for alias in node.names}
    module = node.module or ""
    if node.level:
        module = ".".join(filter(None, [PACKAGE, module]))
    bound = {}
    for alias in node.names:
        if alias.name == "*":
            bound.update({name: f"{module}.{name}" for name in DELEGATES if delegate(f"{module}.{name}")})
        else:
            bound[alias.asname or alias.name] = f"{module}.{alias.name}"
    return bound


def _own_statements(node):
    """The nodes of ``node``'s body that run in its scope: nested functions and classes bind a name, no more."""
    stack = list(reversed(getattr(node, "body", [])))
    while stack:
        inner = stack.pop()
        yield inner
        if not isinstance(inner, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            stack.extend(reversed(list(ast.iter_child_nodes(inner))))


def _path(node, resolve):
    """The dotted path an expression names (``m.f1_score`` with ``m`` bound to ``sklearn.metrics``), or None."""
    attributes = []
    while isinstance(node, ast.Attribute):
        attributes.append(node.attr)
        node = node.value
    if not isinstance(node, ast.Name):
        return None
    base = resolve(node.id)
    return ".".join([base, *reversed(attributes)]) if base else None


def _bindings(scope_node, resolve):
    """``{name: dotted path or None}`` for the names a module or function binds, in source order.

    None marks the file's own object (a def, a class, a parameter, a
    computed value); an assignment of an imported name keeps its path.
    """
    bound = {}
    if isinstance(scope_node, (ast.FunctionDef, ast.AsyncFunctionDef)):
        arguments = scope_node.args
        for argument in [*arguments.posonlyargs, *arguments.args, *arguments.kwonlyargs, arguments.vararg, arguments.kwarg]:
            if argument is not None:
                bound[argument.arg] = None
    for node in _own_statements(scope_node):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            bound.update(_imported(node))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            bound[node.name] = None
        elif isinstance(node, ast.Assign):
            value = _path(node.value, lambda name: bound.get(name, resolve(name)))
            for target in node.targets:
                for name in ast.walk(target):
                    if isinstance(name, ast.Name):
                        bound[name.id] = value if isinstance(target, ast.Name) else None
        elif isinstance(node, (ast.AnnAssign, ast.AugAssign, ast.For, ast.With, ast.NamedExpr, ast.comprehension)):
            for name in ast.walk(getattr(node, "target", None) or node):
                if isinstance(name, ast.Name) and isinstance(name.ctx, ast.Store):
                    bound[name.id] = None
    return bound


def delegations(text, exercises):
    """Which delegated helpers each exercise uses, judged by what its names resolve to.

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
    >>> code = "from sklearn.metrics import f1_score as f\\ndef best_threshold(s, l, c):\\n    return f(l, l)\\n"
    >>> delegations(code, ["refusal_metrics", "best_threshold"])
    {'best_threshold': ['f1_score']}
    >>> own = "def f1_score(tp, fp, fn):\\n    return 2 * tp / (2 * tp + fp + fn)\\ndef best_threshold(s, l, c):\\n    return f1_score(1, 0, 0)\\n"
    >>> delegations(own, ["best_threshold"])
    {}
    """
    # Every route to a delegate spells its name somewhere in the file (an
    # import, an alias's source, an attribute), so most files need no parse.
    if not any(name in text for name in DELEGATES):
        return {}
    try:
        tree = ast.parse(text)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return {}
    module = _bindings(tree, lambda name: None)
    functions = {node.name: node for node in tree.body if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))}
    found = {}
    for exercise in exercises:
        if exercise in functions:
            used = _used(exercise, functions, module)
            if used:
                found[exercise] = sorted(used)
    return found


def _used(exercise, functions, module):
    """The delegates ``exercise`` uses, itself or through the file's own functions that it names."""
    used, seen, todo = set(), {exercise}, [exercise]
    while todo:
        function = functions[todo.pop()]
        local = _bindings(function, module.get)

        def resolve(name, local=local):
            return local[name] if name in local else module.get(name)

        for node in ast.walk(function):
            if isinstance(node, (ast.Name, ast.Attribute)) and isinstance(node.ctx, ast.Load):
                name = delegate(_path(node, resolve))
                if name:
                    used.add(name)
                elif isinstance(node, ast.Name) and node.id not in local and node.id in functions and node.id not in seen:
                    seen.add(node.id)
                    todo.append(node.id)
    return used

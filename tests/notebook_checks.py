"""What a rendered notebook must show a student, judged from JupyterLab's page.

The browser tests read each cell of the open notebook out of the DOM into a
plain dict (see ``labdriver.read_cells``) and hand the list to ``problems``,
which returns one sentence per defect, naming the cell (1-based, as a reader
counts them):

- ``kind``: ``"code"``, ``"markdown"`` or ``"raw"``;
- ``prompt``: the input prompt as shown, ``"[3]:"``, ``"[*]:"`` or ``"[ ]:"``;
- ``empty``: whether the cell's source is blank (JupyterLab never runs those);
- ``outputs``: for each output, its ``mime`` type, its ``text``, and how many
  ``images`` it holds and how many of them ``loaded`` (decoded, non-zero size);
- ``paragraphs`` and ``headings`` of a markdown cell: each paragraph's text and
  ``[level, text]`` for each heading.

Rules:

- every non-blank code cell ran (its prompt shows an execution count);
- nothing is written to stderr: JupyterLab renders tracebacks and stderr alike
  with the ``application/vnd.jupyter.stderr`` type, and either one puts a pink
  box in front of a student;
- every image decoded;
- every plot has a caption: the markdown cell right above or right below the
  plot's code cell holds a paragraph that starts with a label, ``The plot:``,
  ``The plots:``, ``Figure:`` or ``Figure N:`` (emphasis allowed; a remark in
  parentheses may precede the colon, as in ``The plot (once your function
  works):``; a full stop may replace it), and then says in at least five words
  what the plot shows; one caption serves one plot cell;
- headings are in order: the first is the notebook's only ``h1``, and no
  heading goes more than one level deeper than the one before it.
"""

import re

STDERR = "application/vnd.jupyter.stderr"
CAPTION = re.compile(r"^(?:The plots?|Figure(?:\s+\d+)?)(?:\s*\([^)]*\))?\s*[:.]\s+(?:\S+\s+){4,}\S")
EXECUTED = re.compile(r"^\[\d+\]:$")
TRACEBACK_MARKERS = ("Traceback (most recent call last)", "-" * 75)


def unrun_cells(cells):
    """Code cells with source whose prompt shows no execution count."""
    return [
        f"cell {number} did not run (its prompt shows {cell['prompt'] or 'nothing'})"
        for number, cell in enumerate(cells, start=1)
        if cell["kind"] == "code" and not cell["empty"] and not EXECUTED.match(cell["prompt"])
    ]


def describe_stderr(text):
    """One line for a stderr output: the exception line of a traceback, else the first line.

    Examples
    --------
    >>> describe_stderr("-----\\nZeroDivisionError   Traceback (most recent call last)\\n"
    ...                 "Cell In[4], line 1\\n----> 1 1/0\\n\\nZeroDivisionError: division by zero\\n")
    'an error: ZeroDivisionError: division by zero'
    >>> describe_stderr("UserWarning: something odd\\n  warnings.warn(...)\\n")
    'stderr output: UserWarning: something odd'
    """
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    if any(marker in text for marker in TRACEBACK_MARKERS) or (lines and re.match(r"^\w+(Error|Exception)\b", lines[-1])):
        return f"an error: {lines[-1][:200]}"
    return f"stderr output: {lines[0][:200] if lines else '(blank)'}"


def stderr_outputs(cells):
    """Every traceback or other stderr output, described."""
    return [
        f"cell {number} shows {describe_stderr(output['text'])}"
        for number, cell in enumerate(cells, start=1)
        for output in cell["outputs"]
        if output["mime"] == STDERR
    ]


def broken_images(cells):
    """Image outputs the browser could not decode."""
    return [
        f"cell {number} has an image that did not load"
        for number, cell in enumerate(cells, start=1)
        for output in cell["outputs"]
        if output["loaded"] < output["images"]
    ]


def plot_cells(cells):
    """0-based indices of the cells whose outputs hold at least one image."""
    return [index for index, cell in enumerate(cells) if any(output["images"] for output in cell["outputs"])]


def is_caption(cell):
    """Whether ``cell`` is a markdown cell with a caption paragraph.

    Examples
    --------
    >>> is_caption({"kind": "markdown", "paragraphs": ["Figure 2: Recall falls as the threshold rises."]})
    True
    >>> is_caption({"kind": "markdown", "paragraphs": ["The plot (once your function works): the curve with a dot."]})
    True
    >>> is_caption({"kind": "markdown", "paragraphs": ["The plot: a plot."]})
    False
    """
    return cell["kind"] == "markdown" and any(CAPTION.match(text.strip()) for text in cell["paragraphs"])


def uncaptioned_plots(cells):
    """Plot cells with no caption of their own right above or below them.

    Examples
    --------
    >>> plot = {"kind": "code", "outputs": [{"images": 1}]}
    >>> caption = {"kind": "markdown", "outputs": [], "paragraphs": ["Figure 1: Two curves cross at the chosen threshold."]}
    >>> uncaptioned_plots([plot, caption, plot])
    ['cell 3 shows a plot with no caption (a paragraph starting "The plot:" in the markdown cell right above or below it)']
    """
    used = set()
    problems = []
    for index in plot_cells(cells):
        neighbours = [n for n in (index - 1, index + 1) if 0 <= n < len(cells) and n not in used]
        caption = next((n for n in neighbours if is_caption(cells[n])), None)
        if caption is None:
            problems.append(
                f"cell {index + 1} shows a plot with no caption (a paragraph starting "
                '"The plot:" in the markdown cell right above or below it)'
            )
        else:
            used.add(caption)
    return problems


def heading_problems(cells):
    """Headings out of order: not starting at one ``h1``, or skipping a level.

    Examples
    --------
    >>> heading_problems([{"kind": "markdown", "headings": [[1, "Title"], [3, "Detail"]]}])
    ['cell 1: heading "Detail" is h3 right after an h1 (a level is skipped)']
    """
    problems = []
    previous = 0
    for number, cell in enumerate(cells, start=1):
        for level, text in cell.get("headings", []):
            if previous == 0 and level != 1:
                problems.append(f'cell {number}: the first heading, "{text}", is h{level}, not h1')
            elif previous and level == 1:
                problems.append(f'cell {number}: heading "{text}" is a second h1')
            elif level > previous + 1 and previous:
                problems.append(
                    f'cell {number}: heading "{text}" is h{level} right after an h{previous} (a level is skipped)'
                )
            previous = level
    if previous == 0:
        problems.append("the notebook has no heading (it needs an h1 title)")
    return problems


def problems(cells):
    """Every defect in a rendered notebook, one sentence each (empty when it is fine)."""
    return [
        *unrun_cells(cells),
        *stderr_outputs(cells),
        *broken_images(cells),
        *uncaptioned_plots(cells),
        *heading_problems(cells),
    ]

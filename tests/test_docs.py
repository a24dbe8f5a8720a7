"""The docs name only what exists, so they cannot rot.

Every Markdown file at the top of the repository and under ``docs/`` is read,
and everything it names is checked against the real thing:

- each command in a shell code block or an inline code span:
  ``refusal-lesson ...`` and ``python -m refusal_lesson ...`` parse with the
  real command-line parser, ``make TARGET`` names a Makefile target, and any
  other program must be one this module knows how to check;
- each ``--option`` in an inline code span is accepted by a
  ``refusal-lesson`` subcommand or used by the Makefile, pyproject.toml or CI;
- each path in backticks or given to a command (relative to the repository
  root) and each link target (relative to the Markdown file) exists; a bare
  file name in backticks exists somewhere in the repository or is a name the
  package's code writes (a bare name given to a command is the user's own
  file, such as a CSV to evaluate);
- each ``refusal_lesson`` module or name, in an inline span or imported in a
  Python code block, can be imported, and each Python block compiles;
- each notebook named (``01-....ipynb`` or "notebook 3") exists.

The guides must also keep up with the lesson: the instructor guide names
every notebook and every ``refusal-lesson`` command, and both guides name
every exercise.

Names written in capitals (``DIR``, ``OUT.zip``, ``SUB...``) or in angle
brackets are placeholders and are not looked up.  The checker is itself tested
below on made-up Markdown, so that it is known to fail when a doc names
something that does not exist.
"""

import argparse
import ast
import contextlib
import importlib
import io
import os
import re
import shlex
from functools import cache
from pathlib import Path

import pytest

from refusal_lesson.commands import COMMANDS, build_parser
from refusal_lesson.switch import EXERCISE_NAMES

ROOT = Path(__file__).resolve().parent.parent
DOCS = sorted([*ROOT.glob("*.md"), *(ROOT / "docs").rglob("*.md")])

SHELL_LANGUAGES = {"bash", "sh", "shell", "console"}
# Programs whose own arguments the docs may use freely; their path-like
# arguments are still checked.
PLAIN_PROGRAMS = {"cd", "conda", "cp", "git", "pip", "playwright", "pytest", "unzip", "zip"}
# What `make` installs into .venv/bin and not on the PATH, and the lines that
# put an environment's programs on the PATH for the rest of a code block.
VENV_PROGRAMS = {"refusal-lesson", "jupyter", "playwright", "pytest"}
ACTIVATE = ("conda activate ", "source .venv/bin/activate", ". .venv/bin/activate")
PATH_SUFFIXES = {
    ".cff", ".csv", ".ipynb", ".json", ".md", ".png", ".py", ".sh", ".toml",
    ".txt", ".yaml", ".yml", ".zip",
}
ROOT_FILES_WITHOUT_SUFFIX = {"Makefile", "LICENSE"}
SKIPPED_DIRS = {".git", ".venv", "__pycache__", "build", "dist", "test-artifacts"}

FENCE = re.compile(r"^```([\w+-]*)[^\n]*\n(.*?)^```[ \t]*$", re.M | re.S)
INLINE = re.compile(r"(?<!`)`([^`\n]+)`(?!`)")
LINK = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
NOTEBOOK_FILE = re.compile(r"\b\d\d-[\w-]+\.ipynb\b")
NOTEBOOK_NUMBER = re.compile(r"\b[Nn]otebooks? (\d+)\b")
PLACEHOLDER = re.compile(r"[A-Z][A-Z0-9_]*(\.\w+)?(\.\.\.)?")
ENV_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=\S*")
DOTTED_NAME = re.compile(r"refusal_lesson(\.\w+)+")


# --- what exists -----------------------------------------------------------


@cache
def repository_files():
    """Every file of the repository, relative to its root, build outputs aside."""
    files = []
    for folder, subfolders, names in os.walk(ROOT):
        # Pruning in place keeps the walk out of .venv's thousands of files.
        subfolders[:] = [name for name in subfolders if name not in SKIPPED_DIRS and not name.endswith(".egg-info")]
        files += [(Path(folder) / name).relative_to(ROOT) for name in names]
    return files


@cache
def package_source():
    return "\n".join(path.read_text(encoding="utf-8") for path in (ROOT / "refusal_lesson").rglob("*.py"))


@cache
def makefile_targets():
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    targets = set()
    for match in re.finditer(r"^([^\s:=#][^:=]*):(?!=)", text, re.M):
        targets.update(match.group(1).split())
    return targets


@cache
def cli_options():
    """Every option string of every ``refusal-lesson`` subcommand."""
    parser = build_parser()
    # argparse keeps its subparsers in a private action; there is no public
    # way to list them.
    subparsers = [action for action in parser._actions if isinstance(action, argparse._SubParsersAction)]
    options = set()
    for subparser in (choice for action in subparsers for choice in action.choices.values()):
        for action in subparser._actions:
            options.update(action.option_strings)
    return options


@cache
def tool_config_text():
    return "\n".join((ROOT / name).read_text(encoding="utf-8") for name in ("Makefile", "pyproject.toml", ".ci/run"))


def notebook_count():
    return len(list((ROOT / "notebooks").glob("*.ipynb")))


# --- the checks ------------------------------------------------------------


def parse_cli(arguments):
    """Why ``refusal-lesson ARGUMENTS`` does not parse, or None if it does."""
    stderr = io.StringIO()
    try:
        with contextlib.redirect_stderr(stderr), contextlib.redirect_stdout(io.StringIO()):
            build_parser().parse_args(arguments)
    except SystemExit as exit_:
        if exit_.code:
            return stderr.getvalue().strip().splitlines()[-1]
    return None


def is_placeholder(text):
    return "<" in text or "..." in text or any(PLACEHOLDER.fullmatch(part) for part in text.split("/"))


def looks_like_path(text):
    if any(char in text for char in " =()\"'|:,") or text.startswith(("-", "~", "/", "$")):
        return False
    name = text.rstrip("/").rsplit("/", 1)[-1]
    return "/" in text or Path(name).suffix in PATH_SUFFIXES or name in ROOT_FILES_WITHOUT_SUFFIX


def path_problem(text, base=ROOT):
    """Why the path ``text`` (relative to ``base``) names nothing, or None."""
    if is_placeholder(text) or text.startswith(".venv/"):
        return None
    if "/" not in text and base == ROOT:
        name = text
        if any(path.name == name for path in repository_files()):
            return None
        if f'"{name}"' in package_source() or f"'{name}'" in package_source():
            return None
        return f"`{text}` is neither in the repository nor a file the package writes"
    if "*" in text:
        if not list(base.glob(text)):
            return f"`{text}` matches no file"
        return None
    target = (base / text).resolve()
    if not target.exists() or (text.endswith("/") and not target.is_dir()):
        return f"`{text}` does not exist"
    return None


def command_problems(line, inline=False, activated=True):
    """What is wrong with one shell line (it may chain several commands).

    In running text, ``refusal-lesson grade`` alone names a subcommand and is
    checked as ``refusal-lesson grade --help`` (and ``refusal-lesson`` alone,
    the program, as ``refusal-lesson --help``); a code block must be
    complete.  Unless an environment was ``activated`` earlier in its block,
    a program that only the virtual environment holds must be called by its
    path there, or the shell answers "command not found".
    """
    lexer = shlex.shlex(line.removeprefix("$ "), posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        tokens = list(lexer)
    except ValueError as error:
        return [f"`{line}` is not a shell command: {error}"]
    commands, current = [], []
    for token in tokens:
        if token in {"&&", "||", ";", "|", "&"}:
            commands.append(current)
            current = []
        else:
            current.append(token)
    commands.append(current)
    problems = []
    for words in filter(None, commands):
        problems += single_command_problems(words, line, inline, activated)
    return problems


def single_command_problems(words, line, inline, activated=True):
    while words and ENV_ASSIGNMENT.fullmatch(words[0]):
        name = words.pop(0).split("=", 1)[0]
        if name.startswith("REFUSAL_LESSON") and name not in package_source():
            return [f"`{line}` sets {name}, which the package never reads"]
    if not words:
        return []
    program, arguments = Path(words[0]).name, words[1:]
    # A bare file name given to a command is the user's own file (a CSV to
    # evaluate, a report to write); a path with a folder is the repository's.
    problems = [
        problem
        for word in arguments
        if "/" in word and looks_like_path(word) and (problem := path_problem(word))
    ]
    if not activated and words[0] in VENV_PROGRAMS:
        problems.append(f"`{line}`: {program} is in .venv/bin, not on the PATH; write .venv/bin/{program}")
    if program.startswith("python") and arguments[:2] == ["-m", "refusal_lesson"]:
        program, arguments = "refusal-lesson", arguments[2:]
    elif program.startswith("python") and arguments[:1] == ["-m"] and len(arguments) > 1:
        program, arguments = arguments[1], arguments[2:]
    if program == "refusal-lesson":
        if inline and (not arguments or (len(arguments) == 1 and not arguments[0].startswith("-"))):
            arguments = [*arguments, "--help"]
        if (error := parse_cli(arguments)) is not None:
            problems.append(f"`{line}` does not parse: {error}")
    elif program == "make":
        problems += [
            f"`{line}`: the Makefile has no target {target!r}"
            for target in arguments
            if not target.startswith("-") and "=" not in target and target not in makefile_targets()
        ]
    elif program.startswith("python") and arguments[:1] and arguments[0].endswith(".py"):
        pass  # the script's path was checked with the other arguments
    elif program == "jupyter":
        if arguments[:1] not in (["lab"], ["notebook"]):
            problems.append(f"`{line}`: only `jupyter lab` and `jupyter notebook` are checked")
    elif program not in PLAIN_PROGRAMS:
        problems.append(f"`{line}`: tests/test_docs.py does not know how to check {program!r}")
    return problems


def python_block_problems(code):
    try:
        tree = ast.parse(code)
    except SyntaxError as error:
        return [f"a Python block does not compile: {error}"]
    problems = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("refusal_lesson"):
            problems += [
                problem
                for alias in node.names
                if (problem := name_problem(f"{node.module}.{alias.name}"))
            ]
        elif isinstance(node, ast.Import):
            problems += [
                problem
                for alias in node.names
                if alias.name.startswith("refusal_lesson") and (problem := name_problem(alias.name))
            ]
    return problems


def name_problem(dotted):
    """Why ``refusal_lesson.x.y`` cannot be imported or looked up, or None."""
    parts = dotted.split(".")
    for split in range(len(parts), 0, -1):
        try:
            found = importlib.import_module(".".join(parts[:split]))
        except ImportError:
            continue
        for attribute in parts[split:]:
            if not hasattr(found, attribute):
                return f"`{dotted}` does not exist"
            found = getattr(found, attribute)
        return None
    return f"`{dotted}` does not exist"


def inline_problems(span):
    if span.startswith(("refusal-lesson ", "python -m ", "make ", ".venv/bin/", "jupyter ", "conda ")):
        return command_problems(span, inline=True)
    if span.startswith("--"):
        option = re.split(r"[ =]", span, maxsplit=1)[0]
        if option not in cli_options() and option not in tool_config_text():
            return [f"`{span}`: no refusal-lesson command, Makefile rule or CI step knows {option}"]
        return []
    if DOTTED_NAME.fullmatch(span):
        return [problem] if (problem := name_problem(span)) else []
    if looks_like_path(span):
        return [problem] if (problem := path_problem(span)) else []
    return []


def problems(text, doc=ROOT / "README.md"):
    """Everything ``text`` (the Markdown file ``doc``) names that does not exist."""
    found = []
    for language, body in FENCE.findall(text):
        if not language:
            found.append("a code block has no language; label it (bash, python, text, ...)")
        elif language in SHELL_LANGUAGES:
            activated = False
            for line in body.replace("\\\n", " ").splitlines():
                activated = activated or line.strip().startswith(ACTIVATE)
                if line.strip() and not line.lstrip().startswith("#"):
                    found += command_problems(line, activated=activated)
        elif language == "python":
            found += python_block_problems(body)
    prose = FENCE.sub("", text)
    for span in INLINE.findall(prose):
        found += inline_problems(span.strip())
    for target in LINK.findall(prose):
        if "://" in target or target.startswith(("mailto:", "#")):
            continue
        if problem := path_problem(target.split("#", 1)[0], base=doc.parent):
            found.append(f"link {problem}")
    for name in NOTEBOOK_FILE.findall(text):
        if not (ROOT / "notebooks" / name).exists():
            found.append(f"notebook {name} does not exist in notebooks/")
    count = notebook_count()
    for number in NOTEBOOK_NUMBER.findall(prose):
        if not 1 <= int(number) <= count:
            found.append(f"notebook {number} is named, but notebooks/ holds {count}")
    return list(dict.fromkeys(found))


# --- the docs --------------------------------------------------------------


@pytest.mark.parametrize("doc", DOCS, ids=lambda path: path.relative_to(ROOT).as_posix())
def test_doc_names_only_what_exists(doc):
    assert problems(doc.read_text(encoding="utf-8"), doc) == []


@pytest.mark.parametrize("guide", ["docs/student-guide.md", "docs/instructor-guide.md"])
def test_readme_links_each_guide(guide):
    assert f"]({guide})" in (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_shows_the_lesson_before_its_first_section():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    top = readme[: readme.index("\n## ")]
    assert "](docs/images/lesson-screenshot.png)" in top


def guide(name):
    return (ROOT / "docs" / f"{name}-guide.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("notebook", sorted(path.name for path in (ROOT / "notebooks").glob("*.ipynb")))
def test_instructor_guide_covers_every_notebook(notebook):
    assert f"notebooks/{notebook}" in guide("instructor")


@pytest.mark.parametrize("exercise", EXERCISE_NAMES)
@pytest.mark.parametrize("reader", ["student", "instructor"])
def test_guides_name_every_exercise(reader, exercise):
    assert f"`{exercise}" in guide(reader)


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_instructor_guide_shows_every_command(command):
    assert f"refusal-lesson {command}" in guide("instructor")


# --- the checker itself ----------------------------------------------------


def test_checker_accepts_what_exists():
    text = """
```bash
make test
.venv/bin/refusal-lesson --help
REFUSAL_LESSON_SOLUTIONS=1 .venv/bin/jupyter lab tests/
.venv/bin/python tests/test_docs.py
```
Run `.venv/bin/refusal-lesson` or `refusal-lesson release --help`.

```bash
conda activate refusal-lesson
refusal-lesson --help
```
Edit `refusal_lesson/exercises.py` ([the Makefile](Makefile)); `OUT.zip` is yours.

```python
from refusal_lesson.validation import check_threshold
```
"""
    assert problems(text) == []


@pytest.mark.parametrize(
    ("text", "complaint"),
    [
        ("```bash\nmake no-such-target\n```", "no target 'no-such-target'"),
        ("```bash\nrefusal-lesson release OUTDIR\n```", "write .venv/bin/refusal-lesson"),
        ("```bash\nREFUSAL_LESSON_SOLUTIONS=1 jupyter lab\n```", "write .venv/bin/jupyter"),
        ("```bash\nrefusal-lesson no-such-command\n```", "does not parse"),
        ("Run `python -m refusal_lesson --no-such-option`.", "does not parse"),
        ("Run `refusal-lesson no-such-command`.", "does not parse"),
        ("```bash\nfrobnicate notebooks/\n```", "does not know how to check 'frobnicate'"),
        ("```bash\npython tools/no_such_script.py\n```", "`tools/no_such_script.py` does not exist"),
        ("```bash\nREFUSAL_LESSON_TYPO=1 make lab\n```", "never reads"),
        ("Pass `--no-such-option` to grade.", "knows --no-such-option"),
        ("Pass `--no-such-option FILE` to grade.", "knows --no-such-option"),
        ("Edit `refusal_lesson/no_such_file.py`.", "does not exist"),
        ("Grades land in `no-such-output.json`.", "nor a file the package writes"),
        ("See [the guide](docs/no-such-guide.md).", "link `docs/no-such-guide.md` does not exist"),
        ("Use `refusal_lesson.no_such_name`.", "does not exist"),
        ("```python\nfrom refusal_lesson import no_such_name\n```", "does not exist"),
        ("```python\ndef broken(:\n```", "does not compile"),
        ("Open 99-no-such-notebook.ipynb.", "99-no-such-notebook.ipynb does not exist"),
        ("As notebook 99 shows.", "notebook 99 is named"),
        ("```\nmake lab\n```", "has no language"),
    ],
)
def test_checker_catches(text, complaint):
    found = problems(text)
    assert any(complaint in problem for problem in found), found

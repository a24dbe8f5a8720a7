"""The ``uid`` and ``none`` levels, and the files the grader writes where a submission may have been.

tests/test_grading_hostile.py grades everything at the strongest level.
Here the grader runs as a command: as root with ``--isolation uid``, and
as an unprivileged user (``nobody``), where it finds no isolation.  Both
need a Python that other users can read; where the interpreter sits under
a private home (``/root`` is 0700), the command runs in a private mount
namespace (bubblewrap) that lays an open tmpfs over that home with only
the needed folders bound back in.
"""

import csv
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import parallel_submissions
import pytest
from points import fraction, full_marks
from timings import untimed

from refusal_lesson.commands import main
from refusal_lesson.grading import isolation
from refusal_lesson.grading.batch import grade_batch
from refusal_lesson.grading.files import find_files, remove_tree
from refusal_lesson.grading.checks import grading_checks
from refusal_lesson.grading.markdown import plain
from refusal_lesson.grading.sandbox import Limits, Sandbox, _site_directories
from refusal_lesson.grading.submission import exercise_file, submission_name

ROOT = Path(__file__).resolve().parent.parent
SUBMISSIONS = Path(__file__).parent / "submissions"
LEFTOVERS = Path(__file__).parent / "leftovers.py"
NOBODY = 65534
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0
# The hidden checks' seed in the uid-level run: no submission may learn it.
SECRET_SEED = 918273645
needs_root = pytest.mark.skipif(not IS_ROOT, reason="switching users needs root (CI runs as root)")


def open_python():
    """The command prefix that runs Python where other users can read it (see the module docstring).

    Each private folder on the way is covered, outermost first: a checkout
    cloned into ``mktemp -d`` (0700) holds the virtual environment, whose
    Python may sit under ``/root`` besides.
    """
    needed = [*isolation.needed_paths(_site_directories()), Path(sys.prefix), ROOT]
    blocked = sorted({isolation.unreadable([path]) for path in needed} - {None}, key=lambda path: len(path.parts))
    if not blocked:
        return []
    bwrap = isolation.bubblewrap()
    if bwrap is None:
        pytest.skip(f"{blocked[0]} is private and bubblewrap is missing to lay an open folder over it")
    command = [bwrap, "--dev-bind", "/", "/"]
    for folder in blocked:
        tops = sorted({str(folder / Path(path).relative_to(folder).parts[0]) for path in needed if folder in Path(path).parents})
        command += ["--perms", "0755", "--tmpfs", str(folder)]
        for top in tops:
            command += ["--bind", top, top]
    return [*command, "--"]


@pytest.fixture
def shared_folder():
    """A folder nobody can write to, outside pytest's private temporary folders."""
    folder = Path(tempfile.mkdtemp(prefix="refusal-lesson-test-"))
    folder.chmod(0o755)
    yield folder
    remove_tree(folder)


def grade(prefix, *arguments, cwd=ROOT):
    return subprocess.run(
        [*prefix, sys.executable, "-m", "refusal_lesson", "grade", *map(str, arguments)],
        capture_output=True, text=True, timeout=300, cwd=cwd,
        env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"},
    )


def watched(report):
    """The command prefix that runs a grader under tests/leftovers.py, which writes what it left to ``report``."""
    return [sys.executable, str(LEFTOVERS), str(report), "--"]


def left_behind(report):
    """The processes the watched command left running (tests/leftovers.py)."""
    return json.loads(Path(report).read_text())


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="a child subreaper is Linux's")
def test_the_leftover_watch_catches_a_detached_process_and_no_one_elses(tmp_path):
    # Another grader's child on this machine: running all along, not below the watched command.
    other = subprocess.Popen(["sleep", "60"], user=isolation.UID_LOW + 1 if IS_ROOT else None)
    detach = (
        "import os\n"
        "if os.fork() == 0:\n"
        "    os.setsid()\n"
        "    if os.fork() == 0:\n"
        "        os.execvpe('sleep', ['sleep', '60'], {'PATH': os.defpath})\n"
        "    os._exit(0)\n"
        "os.wait()\n"
    )
    try:
        done = subprocess.run([*watched(tmp_path / "left.json"), sys.executable, "-c", detach], timeout=60)
        assert done.returncode == 0
        [left] = left_behind(tmp_path / "left.json")
        assert left["command"] == "sleep 60" and left["pid"] != other.pid
        # It is gone with the watch, and the other grader's process is untouched.
        assert not Path(f"/proc/{left['pid']}").exists()
        assert other.poll() is None
    finally:
        other.kill()
        other.wait()


@needs_root
def test_the_uid_level_holds_without_namespaces(shared_folder):
    names = ["correct", "hostile_forges_then_kills", "hostile_detaches", "probe_reach", "hostile_hidden_leak", "hostile_reads_seed"]
    [with_pool] = parallel_submissions.write(shared_folder, ["with_pool"]).values()
    paths = [SUBMISSIONS / f"{name}.py" for name in names] + [with_pool]
    names.append("with_pool")
    out = shared_folder / "out"
    seed_file = shared_folder / "seed"
    seed_file.write_text(f"{SECRET_SEED}\n")
    seed_file.chmod(0o600)
    report = shared_folder / "left.json"
    done = grade([*watched(report), *open_python()], *paths, "--out", out, "--isolation", "uid", "--seed-file", seed_file, "--timeout", "0.5")
    assert done.returncode == 0, done.stderr
    assert "Isolation: uid" in done.stderr
    results = {name: json.loads((out / name / "results.json").read_text()) for name in names}
    assert {content["extra_data"]["isolation"] for content in results.values()} == {"uid"}
    assert results["correct"]["score"] == full_marks(SUBMISSIONS / "correct.py") and results["hostile_forges_then_kills"]["score"] == 0
    # multiprocessing's locks go in the machine's /dev/shm here, open to all and swept after each child.
    assert results["with_pool"]["score"] == full_marks(with_pool)
    message = "\n".join(line for test in results["probe_reach"]["tests"] for line in plain(test["output"]))
    for fact in ("lean", "runs_listable", "scratch_parent", "environ", "memory"):
        assert f"'{fact}': False" in message
    assert "'signalable': 0" in message
    # The probe found the grader's command line and the seed file it names, and could not read the seed.
    searched = "\n".join(line for test in results["hostile_reads_seed"]["tests"] for line in plain(test["output"]))
    assert f"'{seed_file}'" in searched
    assert str(SECRET_SEED) not in json.dumps(results)
    # What a uid-level child left in the shared temporary folders went with it.
    assert not list(Path("/tmp").glob("seen-*.json")) and not list(Path("/dev/shm").glob("seen-*.json"))
    # Every process this run started, however it detached, was gone when the grader exited.
    assert left_behind(report) == []


@needs_root
def test_a_seed_on_the_command_line_is_refused_at_the_uid_level(shared_folder):
    done = grade(open_python(), SUBMISSIONS / "correct.py", "--isolation", "uid", "--seed", str(SECRET_SEED), cwd=shared_folder)
    assert done.returncode == 2
    assert "--seed-file" in done.stderr and len(done.stderr.strip().splitlines()) == 1
    readable = shared_folder / "seed"
    readable.write_text(f"{SECRET_SEED}\n")
    readable.chmod(0o644)
    done = grade(open_python(), SUBMISSIONS / "correct.py", "--isolation", "uid", "--seed-file", readable, cwd=shared_folder)
    assert done.returncode == 2 and f"chmod 600 {readable}" in done.stderr


@needs_root
def test_without_root_there_is_no_isolation_and_a_batch_must_say_so(shared_folder):
    out = shared_folder / "out"
    out.mkdir()
    os.chown(out, NOBODY, NOBODY)
    as_nobody = [*open_python(), "setpriv", f"--reuid={NOBODY}", f"--regid={NOBODY}", "--clear-groups"]
    correct = SUBMISSIONS / "correct.py"
    refused = grade(as_nobody, correct, "--out", out / "batch", "--public-only", cwd=out)
    assert refused.returncode == 2
    assert "Isolation: none" in refused.stderr and "--unsafe-no-isolation" in refused.stderr
    assert not (out / "batch").exists()
    done = grade(as_nobody, correct, "--out", out / "batch", "--public-only", "--unsafe-no-isolation", cwd=out)
    assert done.returncode == 0, done.stderr
    content = json.loads((out / "batch" / "correct" / "results.json").read_text())
    assert content["extra_data"]["isolation"] == "none" and content["score"] == full_marks(correct, public_only=True)
    one = grade(as_nobody, correct, "--results", out / "one.json", "--public-only", cwd=out)
    assert one.returncode == 0 and "Isolation: none" in one.stderr
    assert json.loads((out / "one.json").read_text())["extra_data"] == {"isolation": "none"}


def test_a_numpy_planted_in_the_working_folder_takes_nothing_over(tmp_path):
    (tmp_path / "numpy.py").write_text("import os\nos._exit(42)\n")
    done = grade([], SUBMISSIONS / "correct.py", "--public-only", "--isolation", "none", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    correct = SUBMISSIONS / "correct.py"
    assert f"{fraction(full_marks(correct, True), full_marks(public_only=True))}  total" in done.stdout.splitlines()


def test_an_unavailable_level_is_one_sentence(capsys):
    level = "uid" if not IS_ROOT else None
    if level is None:
        pytest.skip("as root, every level can be asked for")
    assert main(["grade", str(SUBMISSIONS / "correct.py"), "--isolation", level]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1


def test_odd_names_stay_inside_out_and_out_of_formulas(tmp_path):
    folder = tmp_path / "class"
    (folder / "bob").mkdir(parents=True)
    (folder / "carol ann").mkdir()
    sources = {
        folder / "...py": "dots",
        folder / "bob" / "exercises (1).py": "bob",
        folder / "carol ann" / "exercises.py": "carol_ann",
        folder / "=HYPERLINK(1).py": "HYPERLINK_1",
        folder / "-rf.py": "rf",
    }
    for path in sources:
        shutil.copy(SUBMISSIONS / "correct.py", path)
    assert {submission_name(path) for path in sources} == {"submission", "bob", "carol_ann", "HYPERLINK_1", "rf"}
    checks, _ = grading_checks(public_only=True)
    out = tmp_path / "out"
    with Sandbox(Limits(call_seconds=1), isolation="none") as sandbox:
        grade_batch(list(sources), out, checks, sandbox, stream=open(os.devnull, "w"))
    written = sorted(path.relative_to(tmp_path).as_posix() for path in tmp_path.rglob("results.json"))
    assert written == sorted(f"out/{name}/results.json" for name in ("submission", "bob", "carol_ann", "HYPERLINK_1", "rf"))
    with open(out / "summary.csv", newline="") as stream:
        cells = [cell for row in csv.reader(stream) for cell in row]
    assert not any(cell.startswith(("=", "+", "@")) or cell.startswith("-") and not cell[1:2].isdigit() for cell in cells)


def test_a_symlinked_results_folder_is_never_written_through(tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "alice").symlink_to(elsewhere)
    shutil.copy(SUBMISSIONS / "correct.py", tmp_path / "alice.py")
    shutil.copy(SUBMISSIONS / "correct.py", tmp_path / "bob.py")
    checks, _ = grading_checks(public_only=True)
    progress = tempfile.TemporaryFile("w+")
    with Sandbox(Limits(call_seconds=1), isolation="none") as sandbox:
        results = grade_batch([tmp_path / "alice.py", tmp_path / "bob.py"], out, checks, sandbox, stream=progress)
    assert list(elsewhere.iterdir()) == []
    assert (out / "bob" / "results.json").is_file() and results["alice"]["score"] == full_marks(SUBMISSIONS / "correct.py", True)
    progress.seek(0)
    assert "alice: results not written" in progress.read()
    with open(out / "summary.csv", newline="") as stream:
        assert sorted(row["submission"] for row in csv.DictReader(stream)) == ["alice", "bob"]


def test_resume_regrades_results_it_cannot_prove_it_wrote(tmp_path):
    shutil.copy(SUBMISSIONS / "correct.py", tmp_path / "alice.py")
    shutil.copy(ROOT / "refusal_lesson" / "exercises.py", tmp_path / "bob.py")
    checks, _ = grading_checks(public_only=True)
    out = tmp_path / "out"
    with Sandbox(Limits(call_seconds=1), isolation="none") as sandbox:
        first = grade_batch([tmp_path / "alice.py", tmp_path / "bob.py"], out, checks, sandbox, stream=open(os.devnull, "w"))
        forged = {**first["bob"], "score": float(first["bob"]["max_score"])}
        (out / "bob" / "results.json").write_text(json.dumps(forged))
        progress = tempfile.TemporaryFile("w+")
        again = grade_batch([tmp_path / "alice.py", tmp_path / "bob.py"], out, checks, sandbox, stream=progress)
    progress.seek(0)
    assert progress.read() == f"1/1 bob: {fraction(0, full_marks(public_only=True))}\n"
    assert again["bob"]["score"] == 0 and again["alice"] == first["alice"]
    rewritten = json.loads((out / "bob" / "results.json").read_text())
    assert untimed(rewritten) == untimed(first["bob"] | {"extra_data": again["bob"]["extra_data"]})


def deep_tree(top, depth):
    fd = os.open(top, os.O_RDONLY)
    for _ in range(depth):
        os.mkdir("d", dir_fd=fd)
        inner = os.open("d", os.O_RDONLY, dir_fd=fd)
        os.close(fd)
        fd = inner
    os.close(fd)


def test_deep_trees_are_searched_and_removed_without_recursion(tmp_path):
    top = tmp_path / "alice"
    top.mkdir()
    deep_tree(top, 10_000)
    (top / "refusal_lesson").mkdir()
    shutil.copy(SUBMISSIONS / "correct.py", top / "refusal_lesson" / "exercises.py")
    assert exercise_file(top, tmp_path) == top / "refusal_lesson" / "exercises.py"
    assert [path.name for path in find_files(top, "exercises.py".__eq__)] == ["exercises.py"]
    remove_tree(top)
    assert not top.exists()

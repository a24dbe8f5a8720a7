"""Drive the lesson as a student meets it: ``make lab``, then JupyterLab in Chromium.

``LabServer`` runs the README's ``make lab`` (with ``LAB_ROOT``/``LAB_ARGS``
pointing it at a private copy of the notebooks, a free loopback port and a
token) in its own process group and stops all of it, kernels included, however
the test ends.  ``run_notebook`` opens one notebook in a Playwright page,
clicks Run > Run All Cells, waits for the kernel to finish and reads every cell
back out of the DOM for ``notebook_checks``.
"""

import contextlib
import json
import os
import re
import secrets
import signal
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

# Debian's Chromium first (CI installs it); else Playwright's own download.
DEBIAN_CHROMIUM = "/usr/bin/chromium"
ENABLE_BROWSER_TESTS = (
    "to run them, install Debian's chromium (apt-get install chromium) or Playwright's own "
    "(.venv/bin/playwright install chromium), then run make test again"
)
# The flags that let Chromium run as root in this closed sandbox without
# reaching for Google's servers at every start, or for any other.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    # Loopback only: the Colab badge atop each notebook must not send the
    # browser out to the internet.
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]
VIEWPORT = {"width": 1280, "height": 800}
# Where a run saved its screenshots, for the end-of-run summary (tests/conftest.py).
SCREENSHOTS_KEY = pytest.StashKey[Path]()
# Why the browser tests were skipped, for the same summary.
BROWSER_SKIPPED_KEY = pytest.StashKey[str]()
# Settings a fresh JupyterLab would otherwise spend a toast on (the news
# question), which would cover part of every screenshot.
QUIET_SETTINGS = {
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false", "checkForUpdates": False},
}
MAKE_VARIABLES = ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEOVERRIDES")

READ_CELLS = """
() => [...document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell')].map(cell => ({
  kind: cell.classList.contains('jp-CodeCell') ? 'code' : cell.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw',
  prompt: (cell.querySelector('.jp-InputPrompt')?.textContent ?? '').trim(),
  empty: (cell.querySelector('.cm-content')?.textContent ?? '').trim() === '',
  outputs: [...cell.querySelectorAll('.jp-OutputArea-output')].map(output => {
    const images = [...output.querySelectorAll('img')];
    return {
      mime: output.dataset.mimeType ?? '',
      text: output.textContent,
      images: images.length,
      loaded: images.filter(image => image.complete && image.naturalWidth > 0).length,
    };
  }),
  paragraphs: [...cell.querySelectorAll('.jp-RenderedMarkdown p')].map(p => p.textContent),
  headings: [...cell.querySelectorAll('.jp-RenderedMarkdown :is(h1, h2, h3, h4, h5, h6)')]
    .map(h => [Number(h.tagName[1]), h.textContent.replace(/\\u00b6$/, '').trim()]),
}))
"""

# Done when no cell is queued, every image has finished loading (or failed
# to), and either every cell with source has a count or an error stopped the
# run (JupyterLab then clears the queued prompts).
RUN_FINISHED = """
() => {
  const panel = document.querySelector('.jp-NotebookPanel:not(.lm-mod-hidden)');
  const prompts = [...panel.querySelectorAll('.jp-CodeCell')]
    .filter(cell => (cell.querySelector('.cm-content')?.textContent ?? '').trim() !== '')
    .map(cell => cell.querySelector('.jp-InputPrompt').textContent.trim());
  const idle = panel.querySelector('.jp-Notebook-ExecutionIndicator')?.dataset.status === 'idle';
  const failed = panel.querySelector('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]') !== null;
  const counted = prompts.every(prompt => /^\\[\\d+\\]:$/.test(prompt));
  const decoded = [...panel.querySelectorAll('.jp-OutputArea-output img')].every(image => image.complete);
  return idle && decoded && !prompts.includes('[*]:') && (counted || failed);
}
"""


def free_port():
    """A TCP port on loopback that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def write_settings(folder):
    """Write JupyterLab user settings that keep the page free of toasts."""
    for name, values in QUIET_SETTINGS.items():
        path = Path(folder, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values), encoding="utf-8")


class LabServer:
    """``make lab`` serving ``root`` on loopback, in a process group of its own.

    Parameters
    ----------
    repo : pathlib.Path
        The bundle whose Makefile runs the server.
    root : pathlib.Path
        The folder to serve (a scratch copy, so nothing a student made is touched).
    first_notebook : pathlib.Path
        The notebook ``make lab`` opens, inside ``root``.
    log : pathlib.Path
        Where the server's output goes.
    env : dict
        Extra environment for the server and its kernels.
    """

    def __init__(self, repo, root, first_notebook, log, env=()):
        self.repo, self.root, self.log = Path(repo), Path(root), Path(log)
        self.token = secrets.token_hex(16)
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        # Kernels start in sessions of their own, outside the make process
        # group; this variable, inherited by every process the server starts,
        # finds them if the server dies before shutting them down.
        self.marker = ("REFUSAL_LESSON_BROWSER_RUN", secrets.token_hex(8))
        settings = self.root.parent / f"{self.root.name}-settings"
        write_settings(settings)
        lab_args = [
            "--no-browser",
            "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={self.port}",
            "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={self.token}",
            f"--LabApp.user_settings_dir={settings}",
            f"--LabApp.workspaces_dir={settings}",
        ]
        environment = {key: value for key, value in os.environ.items() if key not in MAKE_VARIABLES}
        environment.update(env)
        environment.update([self.marker])
        self.command = [
            "make",
            "--no-print-directory",
            "lab",
            f"LAB_ROOT={root}",
            # make lab opens it by its path from the root it serves.
            f"FIRST_NOTEBOOK={Path(first_notebook).relative_to(root).as_posix()}",
            f"LAB_ARGS={' '.join(lab_args)}",
        ]
        with self.log.open("w") as sink:
            self.process = subprocess.Popen(
                self.command,
                cwd=self.repo,
                env=environment,
                stdout=sink,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )

    def api(self, path, method="GET"):
        request = urllib.request.Request(
            f"{self.base_url}{path}", method=method, headers={"Authorization": f"token {self.token}"}
        )
        with urllib.request.urlopen(request, timeout=10) as response:
            body = response.read()
        return json.loads(body) if body else None

    def wait_until_ready(self, timeout=90):
        """Block until the server answers, or raise with the tail of its log."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"`make lab` exited with {self.process.returncode}:\n{self.log_tail()}")
            try:
                self.api("/api/status")
                return
            except OSError:
                time.sleep(0.25)
        raise RuntimeError(f"`make lab` did not answer within {timeout} s:\n{self.log_tail()}")

    def log_tail(self, lines=30):
        return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-lines:])

    def stop(self):
        """Stop the server, its kernels and make, whatever state they are in.

        Anything SIGTERM did not stop is killed and named in ``self.stragglers``
        (empty after a clean shutdown).
        """
        # On SIGTERM the server shuts all its kernels down before it exits;
        # SIGKILL and the marker are for a server that hangs or dies first.
        group = self.process.pid
        self.stragglers = []
        with contextlib.suppress(ProcessLookupError):
            os.killpg(group, signal.SIGTERM)
        if not self.wait_for_group(15):
            self.stragglers.append(f"process group {group}")
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGKILL)
            self.wait_for_group(5)
        for pid in processes_with(self.marker):
            self.stragglers.append(f"process {pid}")
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)

    def wait_for_group(self, seconds):
        """Whether make's process group empties within ``seconds``."""
        deadline = time.monotonic() + seconds
        # poll() reaps make once it exits: a zombie still counts as a member.
        while self.process.poll() is None or group_alive(self.process.pid):
            if time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True


def group_alive(group):
    try:
        os.killpg(group, 0)
    except ProcessLookupError:
        return False
    return True


def processes_with(marker):
    """Ids of the processes whose environment holds the ``(name, value)`` pair ``marker``."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            environ = (entry / "environ").read_bytes()
        except OSError:
            continue
        if "=".join(marker).encode() in environ.split(b"\0"):
            found.append(int(entry.name))
    return found


def pick_browser(candidates):
    """The first of ``candidates`` that is an executable file, or None.

    Examples
    --------
    >>> pick_browser(["/no/such/chromium", "/bin/sh"])
    '/bin/sh'
    >>> pick_browser(["/no/such/chromium"]) is None
    True
    """
    return next((str(path) for path in candidates if path and os.path.isfile(path) and os.access(path, os.X_OK)), None)


def no_browser(environ):
    """Skip the browser tests with how to enable them, or fail them where CI requires them.

    Raises
    ------
    pytest.skip.Exception
        Outside CI.
    pytest.fail.Exception
        With ``CI=true`` in ``environ``.
    """
    if environ.get("CI", "").lower() in ("true", "1"):
        pytest.fail(f"no Chromium for the browser tests, which CI requires: {ENABLE_BROWSER_TESTS}.")
    pytest.skip(f"no Chromium found; {ENABLE_BROWSER_TESTS}")


def launch_browser(playwright):
    """Debian's Chromium or Playwright's, headless, with a fresh profile (Playwright makes one).

    Skips (or, in CI, fails) the calling test when neither is installed.
    """
    executable = pick_browser([DEBIAN_CHROMIUM, playwright.chromium.executable_path])
    if executable is None:
        no_browser(os.environ)
    return playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)


def click_menu(page, menu, item):
    page.get_by_role("menuitem", name=menu, exact=True).click()
    page.get_by_role("menuitem", name=item, exact=True).click()


def run_notebook(page, server, path, timeout=120):
    """Open ``path`` (relative to the server root), Run All, wait, and read the cells.

    Returns
    -------
    list of dict
        The cells as ``notebook_checks`` expects them.
    """
    # ?reset starts from an empty workspace, so no earlier notebook is reopened.
    page.goto(f"{server.base_url}/lab/tree/{path}?reset&token={server.token}")
    page.locator("#jp-main-statusbar").get_by_text(re.compile(r"\| Idle$")).wait_for(timeout=timeout * 1000)
    # Stored outputs would look like a finished run; a student starting
    # afresh clears them too.
    click_menu(page, "Edit", "Clear Outputs of All Cells")
    click_menu(page, "Run", "Run All Cells")
    page.wait_for_function(RUN_FINISHED, timeout=timeout * 1000, polling=250)
    return page.evaluate(READ_CELLS)


def screenshot(page, path):
    """Save what the student sees, scrolled to the first plot's cell if there is one."""
    plot_cell = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-CodeCell:has(.jp-OutputArea-output img)").first
    if plot_cell.count():
        # Code at the top, then the plot, then (usually) its caption.  Cells
        # above take their real height only once laid out (JupyterLab renders
        # off-screen cells lazily), which moves the target: scroll until it stays.
        for _ in range(5):
            top = plot_cell.evaluate(
                "cell => { cell.scrollIntoView({block: 'start'}); return cell.getBoundingClientRect().top; }"
            )
            page.wait_for_timeout(200)
            if plot_cell.evaluate("cell => cell.getBoundingClientRect().top") == top:
                break
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(path))

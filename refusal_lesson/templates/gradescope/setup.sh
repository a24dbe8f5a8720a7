#!/usr/bin/env bash
# Gradescope runs this once when it builds the autograder image.
set -euo pipefail
ROOT="${AUTOGRADER_ROOT:-/autograder}"
# bubblewrap gives each submission namespaces where the image allows them;
# where it does not, the grader (root) still runs each one as its own uid.
# A machine that already has Python's venv and bubblewrap skips apt.
if ! python3 -c 'import ensurepip, venv' 2> /dev/null || ! command -v bwrap > /dev/null; then
    apt-get update -qq
    apt-get install -y -qq python3 python3-venv python3-pip bubblewrap > /dev/null
fi
python3 -m venv "$ROOT/venv"
# Core dependencies only: JupyterLab would slow every grading run.
"$ROOT/venv/bin/pip" install --quiet --no-cache-dir "$ROOT/source"

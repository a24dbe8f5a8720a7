# The two commands a fresh machine needs (Python 3 and make):
#   make lab    set up, then open the lesson in JupyterLab
#   make test   set up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FIRST_NOTEBOOK := notebooks/01-two-ways-to-fail.ipynb
CHROMIUM := /usr/bin/chromium
BWRAP := /usr/bin/bwrap
# The server's root is the whole bundle, so the file browser shows
# refusal_lesson/exercises.py beside the notebooks. The browser tests point
# LAB_ROOT at a scratch copy and pass server options in LAB_ARGS.
LAB_ROOT ?= .
LAB_ARGS ?=
# The page JupyterLab opens: the first notebook, with the file browser at the
# lesson's root (not in notebooks/), where refusal_lesson/exercises.py is.
LAB_URL = --LabApp.default_url=/lab/tree/$(FIRST_NOTEBOOK)?file-browser-path=/
# JupyterLab will not start as root unless told to, and containers often run as root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: lab test

lab: $(VENV)/installed
	$(BIN)/jupyter lab --ServerApp.root_dir=$(LAB_ROOT) $(ALLOW_ROOT) $(LAB_ARGS) '$(LAB_URL)'

# After the unit tests, nbval runs the notebooks three times: the instructor
# copies with their stored outputs compared, then the student copies from the
# untouched stubs and with the reference solutions (executed, not compared).
# Overriding addopts keeps the unit run's doctests from being collected again.
NBVAL := $(BIN)/python -m pytest -o addopts="-p no:cacheprovider" --nbval-current-env \
	--nbval-cell-timeout=120 --nbval-sanitize-with tests/nbval_sanitize.cfg

test: $(VENV)/installed $(CHROMIUM) $(BWRAP)
	$(BIN)/python -m pytest
	REFUSAL_LESSON_SOLUTIONS=1 $(NBVAL) --nbval $(wildcard solutions/*.ipynb)
	REFUSAL_LESSON_SOLUTIONS=0 $(NBVAL) --nbval-lax $(wildcard notebooks/*.ipynb)
	REFUSAL_LESSON_SOLUTIONS=1 $(NBVAL) --nbval-lax $(wildcard notebooks/*.ipynb)

# The student's own check: the public checks (and the hidden ones, where this
# copy has them) on refusal_lesson/exercises.py, as the grader runs them.
.PHONY: check handin
check: $(VENV)/installed
	$(BIN)/refusal-lesson grade refusal_lesson/exercises.py

# The student's hand-in: the two files, in one small zip (not the .venv beside them).
handin: $(VENV)/installed
	$(BIN)/refusal-lesson handin

# The egg-info pip's editable install leaves beside the package is build
# debris: the installed metadata lives in $(VENV), and the package is read
# from refusal_lesson/ itself, so students' edits to exercises.py count.
$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	rm -rf refusal_lesson.egg-info
	touch $@

# Debian's Chromium drives the browser tests (Playwright's own browser also
# works) and bubblewrap gives the grading tests their namespaces. As root on
# Debian (as in CI) this installs whichever is missing; anyone else without
# them gets those tests skipped, with one line saying how to enable them
# (CI=true makes the browser tests required instead).
$(CHROMIUM) $(BWRAP):
	@if [ "$$(id -u)" = 0 ] && command -v apt-get > /dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium bubblewrap; \
	fi

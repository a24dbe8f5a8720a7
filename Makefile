# The two commands a fresh machine needs (Python 3 and make):
#   make lab    set up, then open the lesson in JupyterLab
#   make test   set up, then run the whole test suite
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FIRST_NOTEBOOK := notebooks/01-two-ways-to-fail.ipynb

.PHONY: lab test

lab: $(VENV)/installed
	$(BIN)/jupyter lab $(FIRST_NOTEBOOK)

test: $(VENV)/installed
	$(BIN)/python -m pytest

$(VENV)/installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $@

# lunar-report — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
KERNEL := lunar-report
INSTALLED := $(VENV)/.installed

.PHONY: help setup setup-test report test validate lab bench clean distclean

help: ## List the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "lunar-report needs Python >= 3.11 (found $$($(PYTHON) --version)); set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (lunar-report)" >/dev/null
	@touch $@

setup: $(INSTALLED) ## Create .venv, install the package and the system tools for the PDF, register the kernel
	@scripts/system-deps.sh report

setup-test: $(INSTALLED)
	@scripts/system-deps.sh test

report: setup ## Set up, then render every report into reports/
	$(BIN)/lunar-report render

test: setup-test ## Set up, then run the test suite
	$(BIN)/python -m pytest

validate: $(INSTALLED) ## Check the fact base in data/
	$(BIN)/lunar-report validate

lab: setup ## Start JupyterLab on the project's kernel
	$(BIN)/jupyter lab --notebook-dir=notebooks

bench: setup ## Run the benchmarks (render vs papermill+nbconvert CLI, scaling, the authoring loop)
	$(BIN)/python bench/bench_render.py
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_loop.py

clean: ## Remove build output (reports/, caches); keeps .venv
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache build src/*.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean ## Also remove .venv
	rm -rf $(VENV)

# lunar-report — `make help` lists the targets.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
KERNEL := lunar-report
INSTALLED := $(VENV)/.installed
# Exact versions (with hashes) of every Python package, from pyproject.toml by `make lock`.
LOCK := requirements/lock.txt
LOCK_PYTHON := 3.11
UV_VERSION := 0.13.9
PORT ?= 8888
JOBS ?= $(shell nproc 2>/dev/null || echo 2)
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: help setup setup-test lock report lint test test-fast validate lab bench docs clean distclean

help: ## List the targets, one line each
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z_-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(BIN)/python:
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "lunar-report needs Python >= 3.11 (found $$($(PYTHON) --version)); set PYTHON=python3.11"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(INSTALLED): pyproject.toml $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r $(LOCK)
	$(BIN)/python -m pip install --quiet --no-deps -e .
	@# The package's bytecode now, so each run (each kernel too) starts from it, even under PYTHONDONTWRITEBYTECODE.
	$(BIN)/python -m compileall -q src/lunar_report >/dev/null
	@$(BIN)/python -m pip check >/dev/null || { $(BIN)/python -m pip check; echo "$(LOCK) does not match pyproject.toml: run make lock"; exit 1; }
	$(BIN)/python -m ipykernel install --sys-prefix --name $(KERNEL) --display-name "Python (lunar-report)" >/dev/null
	@# Outputs never reach a commit: the nbstripout filter that .gitattributes names, for this clone.
	@if git rev-parse --git-dir >/dev/null 2>&1; then \
	  git config filter.nbstripout.clean "$(abspath $(BIN))/nbstripout --keep-id" && git config filter.nbstripout.smudge cat && \
	  git config diff.ipynb.textconv "$(abspath $(BIN))/nbstripout -t"; fi
	@touch $@

setup: $(INSTALLED) ## Create .venv, install the package and the system tools for the PDF, register the kernel
	@scripts/system-deps.sh report

setup-test: $(INSTALLED) ## Like setup, plus the tools for the browser and PDF tests
	@scripts/system-deps.sh test

lock: | $(BIN)/python ## Re-pin requirements/lock.txt from pyproject.toml after a dependency change (UPGRADE=1: newest of everything)
	@$(BIN)/uv --version 2>/dev/null | grep -q '^uv $(UV_VERSION)\b' || $(BIN)/python -m pip install --quiet 'uv==$(UV_VERSION)'
	@mkdir -p $(dir $(LOCK)) && { [ ! -f $(LOCK) ] || cp $(LOCK) $(LOCK).new; }
	$(BIN)/uv pip compile pyproject.toml --extra test --extra cluster --universal --python-version $(LOCK_PYTHON) --generate-hashes \
	  --custom-compile-command 'make lock' --quiet $(if $(UPGRADE),--upgrade) -o $(LOCK).new || { rm -f $(LOCK).new; exit 1; }
	@if cmp -s $(LOCK).new $(LOCK); then rm $(LOCK).new; echo "$(LOCK) is up to date"; else mv $(LOCK).new $(LOCK); echo "$(LOCK) re-pinned: commit it"; fi
	$(BIN)/python scripts/pin-environment.py

report: setup ## Set up, then render every report into reports/
	$(BIN)/lunar-report render

lint: $(INSTALLED) ## ruff (lint + format check), mypy and the import-linter layer contracts
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy
	$(BIN)/lint-imports

# The tests' bytecode (pytest's rewritten modules) is written to tests/**/__pycache__ even under
# PYTHONDONTWRITEBYTECODE: each worker then imports it instead of rewriting every test module (~3 s each).
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest

test: setup-test lint ## Set up, lint, then the whole suite with the benchmarks' smoke runs on every core, with branch coverage of src/ (fails under the floor; htmlcov/)
	$(PYTEST) -n $(JOBS) --dist loadscope -m "" --cov=lunar_report --cov-report=term:skip-covered --cov-report=html --durations=20

test-fast: $(INSTALLED) ## Unit tests only, on every core: no kernels, fuzzing or benchmarks (the edit loop)
	$(PYTEST) -q -n $(JOBS) -m "not slow and not fuzz and not bench"

validate: $(INSTALLED) ## Check the fact base in data/
	$(BIN)/lunar-report validate

lab: setup ## Start JupyterLab on the project's kernel on port PORT (default 8888), no browser
	$(BIN)/jupyter lab --notebook-dir=notebooks --no-browser --port=$(PORT) $(ALLOW_ROOT)

bench: setup ## Run the benchmarks (render vs papermill+nbconvert CLI, load+validate, the published data, scaling, the authoring loop, a Dask cluster)
	$(BIN)/python bench/bench_render.py
	$(BIN)/python bench/bench_load.py --runs 1
	$(BIN)/python bench/bench_data.py --runs 1
	$(BIN)/python bench/bench_scale.py
	$(BIN)/python bench/bench_loop.py
	$(BIN)/python bench/bench_parameters.py
	$(BIN)/python bench/bench_cluster.py
	$(BIN)/python bench/bench_interrupt.py
	$(BIN)/python bench/bench_limits.py

docs: $(INSTALLED) ## Regenerate the reference pages generated from the code (fact base, CLI)
	$(BIN)/python scripts/make-docs.py

clean: ## Remove build output (reports/, caches); keeps .venv
	find reports -mindepth 1 ! -name .gitkeep -exec rm -rf {} +
	rm -rf .pytest_cache build src/*.egg-info
	find . -name __pycache__ -not -path './$(VENV)/*' -exec rm -rf {} +

distclean: clean ## Also remove .venv
	rm -rf $(VENV)

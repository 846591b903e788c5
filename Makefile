# One task runner: what CI runs is here, and the README shows these targets.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/uv/bin/uv
VENV := .venv
SYNCED := $(VENV)/.synced

export UV_PYTHON_DOWNLOADS := never
export UV_LINK_MODE := copy
export GX_ANALYTICS_ENABLED := false

.PHONY: setup browser postgres demo server serve test test-slow lint bench clean

$(UV):
	$(PYTHON) -m pip install --quiet --disable-pip-version-check --target .tools/uv uv==$(UV_VERSION)

$(SYNCED): pyproject.toml uv.lock | $(UV)
	$(UV) sync --locked --compile-bytecode --python $(PYTHON)
	@touch $@

setup: $(SYNCED) ## create .venv with the locked dependencies

demo: setup ## serve the bundled snapshot and ingest it into warehouse/newsflow.ducklake
	$(VENV)/bin/newsflow demo

server: setup ## a local Prefect server and UI on http://127.0.0.1:4200 (state in .prefect/)
	$(VENV)/bin/newsflow server

serve: setup ## serve the deployments to that server (ingest every 10 min, nightly backfill, reparse)
	$(VENV)/bin/newsflow serve

browser: ## Debian's chromium for the report's browser test (installed once, as root)
	bin/install-browser

postgres: ## Debian's PostgreSQL server for the shared-catalog tests (installed once, as root; never started)
	bin/install-postgres

test: setup browser postgres lint ## lint and types, then the whole test suite (two processes)
	$(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder

test-slow: setup browser postgres lint ## the suite with the slow parts in full (5,000 fuzz cases, 20 kills)
	NEWSFLOW_FUZZ_EXAMPLES=5000 NEWSFLOW_CRASH_KILLS=20 $(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder

bench: setup ## measured figures (printed, and written under bench/results/)
	$(VENV)/bin/python -m bench

lint: setup ## ruff (lint and format) and mypy --strict on the packages
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy

clean:
	rm -rf $(VENV) .tools .pytest_cache .ruff_cache

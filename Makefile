# One task runner: what CI runs is here, and the README shows these targets.
PYTHON ?= python3
UV_VERSION := 0.13.9
UV := .tools/uv/bin/uv
VENV := .venv
SYNCED := $(VENV)/.synced

export UV_PYTHON_DOWNLOADS := never
# Packages hard-linked from uv's cache (uv copies them when the cache is on another file system):
# a new .venv in 30 s instead of a minute or more.
export UV_LINK_MODE := hardlink
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

# Lint and types run beside the suite (mypy keeps one core busy for a minute; the suite takes the
# other), their output printed after it; either failing fails the target.
test: setup browser postgres ## lint and types beside the whole test suite (two processes)
	@log=$$(mktemp); $(MAKE) --no-print-directory lint > $$log 2>&1 & lint=$$!; \
	$(VENV)/bin/pytest -n 2 --dist loadfile --no-loadscope-reorder; tests=$$?; \
	wait $$lint; linted=$$?; cat $$log; rm -f $$log; \
	if [ $$linted -ne 0 ]; then echo "make test: lint or types failed (above)"; fi; \
	exit $$(( tests || linted ))

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

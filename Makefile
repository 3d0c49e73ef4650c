# Strata — the two commands of the quick start are `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
# The embedded default's settings. manage.py uses them when none are named; gunicorn,
# uvicorn and a bare `celery -A config` use the production settings, so the recipes
# that start a server or a worker name them.
DJANGO_SETTINGS_MODULE ?= config.settings.local
LOCAL := DJANGO_SETTINGS_MODULE=$(DJANGO_SETTINGS_MODULE)

.DEFAULT_GOAL := help
.PHONY: help run test install sysdeps test-sysdeps prereqs migrate seed web worker lint audit schemathesis check lock bench backup restore clean

help:
	@echo "make run    — install, migrate, load demo data, serve Strata on http://$(HOST):$(PORT) with a Celery worker and beat"
	@echo "make test   — run the test suite (SQLite, or PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set)"
	@echo "make lint   — ruff, the import layers (lint-imports), Django checks, missing migrations"
	@echo "make audit  — known vulnerabilities in the lock files (pip-audit), Django's deployment checks"
	@echo "make schemathesis — the API against its OpenAPI schema on a throwaway demo (no 5xx, every answer as documented)"
	@echo "make bench  — generate the DESIGN §9 data set and time the main pages (see bench/README.md)"
	@echo "make backup — the whole database in one file under var/backups/ (SQLite or PostgreSQL)"
	@echo "make restore FILE=… — replace the whole database with a backup (stop Strata first)"

# --- Installation ------------------------------------------------------------------
prereqs:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 11) else 1)' 2>/dev/null || { \
	  echo "Strata needs Python 3.11 (found: $$($(PYTHON) --version 2>&1 || echo none))."; \
	  echo "Install it (Debian/Ubuntu: apt-get install python3.11 python3.11-venv) or run: make run PYTHON=/path/to/python3.11"; \
	  exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' 2>/dev/null || { \
	  echo "Python's venv module is missing: apt-get install python3.11-venv"; exit 1; }

$(BIN)/.installed: requirements-dev.lock | prereqs
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.lock
	@touch $@

# System libraries: Pango and fonts for WeasyPrint, Graphviz for the relationship map;
# `make test` adds Chromium (browser tests) and poppler-utils (PDFs read back). As root on
# Debian/Ubuntu they are installed with apt-get; otherwise the one command is printed.
RUN_PACKAGES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu fonts-liberation graphviz
TEST_PACKAGES := $(RUN_PACKAGES) chromium poppler-utils

define ensure_packages
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if ! command -v dpkg-query >/dev/null 2>&1; then \
	    command -v dot >/dev/null 2>&1 || { echo "Strata needs Pango and Graphviz (macOS: brew install pango graphviz)."; exit 1; }; \
	  elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    echo "Installing system packages: $$missing"; \
	    DEBIAN_FRONTEND=noninteractive apt-get update -qq && \
	    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $$missing >/dev/null || exit 1; \
	  else \
	    echo "Strata needs these system packages. Install them, then run make again:"; \
	    echo "  sudo apt-get install -y --no-install-recommends" $$missing; exit 1; \
	  fi; \
	fi
endef

sysdeps:
	$(call ensure_packages,$(RUN_PACKAGES))

test-sysdeps:
	$(call ensure_packages,$(TEST_PACKAGES))

install: $(BIN)/.installed sysdeps
	@$(BIN)/python -c 'import weasyprint' 2>/dev/null || { \
	  echo "WeasyPrint cannot load Pango, which Strata needs to render PDFs."; \
	  echo "Install it: apt-get install libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu"; \
	  echo "(macOS: brew install pango)"; exit 1; }
	@command -v dot >/dev/null 2>&1 || { \
	  echo "Graphviz's dot is missing: Strata draws the relationship map with it."; \
	  echo "Install it: apt-get install graphviz"; \
	  echo "(macOS: brew install graphviz)"; exit 1; }

# --- Running -----------------------------------------------------------------------
migrate: install
	$(BIN)/python manage.py migrate --noinput -v0
	$(BIN)/python manage.py collectstatic --noinput -v0

seed: migrate
	$(BIN)/python manage.py seed_demo

# Web server, Celery worker and beat in the foreground; Ctrl-C stops all three, and so
# does either of them stopping on its own (a taken port, say).
run: seed
	@echo ""
	@echo "  Strata is starting on http://$(HOST):$(PORT)/  — sign in as alice / strata-demo"
	@echo "  (other demo logins: bob, manager, exec, admin — same password). Ctrl-C stops it."
	@echo ""
	@trap 'kill $$(jobs -p) 2>/dev/null; wait' INT TERM EXIT; \
	  $(LOCAL) $(BIN)/celery -A config worker -B -P solo --loglevel=info \
	    --schedule=var/celerybeat-schedule & \
	  $(LOCAL) $(BIN)/python manage.py runserver $(HOST):$(PORT) --noreload & \
	  wait -n

web: migrate
	$(LOCAL) $(BIN)/python manage.py runserver $(HOST):$(PORT)

worker: install
	$(LOCAL) $(BIN)/celery -A config worker -B -P solo --loglevel=info --schedule=var/celerybeat-schedule

# --- Quality -----------------------------------------------------------------------
test: install test-sysdeps
	DJANGO_SETTINGS_MODULE=config.settings.test $(BIN)/python manage.py collectstatic --noinput -v0
	$(BIN)/python -m pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/python manage.py check
	$(BIN)/python manage.py makemigrations --check --dry-run

# pip-audit over the lock files and `check --deploy` on the production settings (CI runs it).
audit: install
	bash .ci/audit

# schemathesis over /api/schema/ against a running Strata on a throwaway demo database
# (SQLite; PostgreSQL when DATABASE_URL names one). CI runs it. See .ci/schemathesis.
schemathesis: install
	bash .ci/schemathesis

lock:
	rm -rf /tmp/strata-lock && $(PYTHON) -m venv /tmp/strata-lock
	/tmp/strata-lock/bin/pip install --quiet .
	( echo "# Runtime dependencies, pinned. Regenerate with: make lock"; \
	  /tmp/strata-lock/bin/pip freeze | grep -v '^strata' ) > requirements.lock
	/tmp/strata-lock/bin/pip install --quiet '.[dev]'
	( echo "# Runtime + development dependencies, pinned. Regenerate with: make lock"; \
	  /tmp/strata-lock/bin/pip freeze | grep -v '^strata' ) > requirements-dev.lock

bench: migrate
	$(BIN)/python manage.py seed_bench
	$(BIN)/python bench/pages.py

# --- Backups -----------------------------------------------------------------------
backup: install
	$(BIN)/python manage.py backup

restore: install
	@test -n "$(FILE)" || { echo "Say which backup: make restore FILE=var/backups/strata-….sqlite3"; exit 1; }
	$(BIN)/python manage.py restore "$(FILE)"

clean:
	rm -rf var/staticfiles var/celery var/test*.sqlite3

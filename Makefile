# Two commands set everything up: `make run` and `make test` (see README.md).
# Everything else here is what they are made of; `make help` lists the parts.
#
# Works with DATABASE_URL / REDIS_URL unset (SQLite under var/, Celery over kombu's filesystem
# transport) and set (PostgreSQL, Redis). Stamp files keep reruns fast: requirements are
# reinstalled only when a requirements file changes, npm packages when package-lock.json does.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip --disable-pip-version-check --quiet
STAMP_RUNTIME := $(VENV)/.installed-requirements
STAMP_DEV := $(VENV)/.installed-requirements-dev
STAMP_NPM := node_modules/.installed-package-lock
STAMP_VENDOR := static/vendor/.copied
# Extra arguments for pytest, e.g. `make test PYTEST_ARGS="-k seed -x"`.
PYTEST_ARGS ?=

.PHONY: help run test install install-dev lock translations assets assets-if-npm services migrate \
	system-packages system-packages-test seed lint format layers typecheck check-migrations pytest ci clean

help:
	@echo "make run    set up (venv, requirements, migrations, translations, assets, demo data)"
	@echo "            and start web on http://127.0.0.1:8000 + Celery worker + beat (honcho)"
	@echo "make test   set up the dev requirements, then ruff, the layer contract (layers), the"
	@echo "            type check (typecheck), the migration check and pytest"
	@echo
	@echo "parts: install install-dev lock translations assets migrate seed lint format layers"
	@echo "       typecheck check-migrations pytest ci clean"

# --- Python ---------------------------------------------------------------------------------

# python3.11, or python3 when that is 3.11; the project runs on 3.11 only (see ARCHITECTURE).
$(PY):
	@py="$$(command -v python3.11 || true)"; \
	if [ -z "$$py" ] && command -v python3 >/dev/null \
	   && python3 -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then \
	  py="$$(command -v python3)"; \
	fi; \
	if [ -z "$$py" ]; then \
	  echo "error: Python 3.11 is needed (python3.11, or python3 being 3.11); none found." >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$py"; \
	"$$py" -m venv $(VENV)

# The requirements files are lock files with hashes (pip-compile from requirements*.in, see
# `make lock`): pip checks every download against them.
$(STAMP_RUNTIME): requirements.txt | $(PY)
	$(PIP) install --require-hashes -r requirements.txt
	@touch $@

$(STAMP_DEV): requirements.txt requirements-dev.txt | $(PY)
	$(PIP) install --require-hashes -r requirements-dev.txt
	@touch $@ $(STAMP_RUNTIME)

install: $(STAMP_RUNTIME)
install-dev: $(STAMP_DEV)

# Re-resolve the lock files after editing requirements.in or requirements-dev.in (needs the
# package index; pip-tools runs from a throwaway venv so it never enters the project's).
# Extras stay in the pins (fonttools[woff]==…): with them stripped, the pip a fresh venv has
# (23.2) resolves weasyprint's "fonttools[woff]>=…" to the newest release, unpinned, and the
# hash-checked install stops.
LOCK_VENV := var/lock-venv
lock:
	python3.11 -m venv $(LOCK_VENV)
	$(LOCK_VENV)/bin/python -m pip install --quiet pip-tools==7.6.2
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
	  --no-emit-find-links --no-emit-index-url -o requirements.txt requirements.in
	$(LOCK_VENV)/bin/pip-compile --quiet --generate-hashes --allow-unsafe --no-strip-extras \
	  --no-emit-find-links --no-emit-index-url -o requirements-dev.txt requirements-dev.in

# --- Translations and front-end assets ------------------------------------------------------

# polib compiles the catalogues: no gettext binary needed. Fast, so it always runs.
translations: $(STAMP_RUNTIME)
	$(PY) scripts/compile_translations.py

$(STAMP_NPM): package.json package-lock.json
	@command -v npm >/dev/null || { echo "error: npm is needed for the front-end assets." >&2; exit 1; }
	npm ci --no-audit --no-fund
	@touch $@

$(STAMP_VENDOR): $(STAMP_NPM) scripts/copy_assets.py | $(PY)
	$(PY) scripts/copy_assets.py
	@touch $@

assets: $(STAMP_VENDOR)

# The test settings use StaticFilesStorage, so pages render without static/vendor; tests
# install the assets when npm is there (as on CI) and carry on without them when it is not.
assets-if-npm:
	@if command -v npm >/dev/null; then \
	  $(MAKE) --no-print-directory assets; \
	else \
	  echo "note: npm not found; tests run without static/vendor (pages still render)."; \
	fi

# Debian packages (Pango, the report fonts; Chromium for the browser tests): see docs/setup.md.
system-packages:
	scripts/system_packages.sh runtime

system-packages-test:
	scripts/system_packages.sh test

# --- Running --------------------------------------------------------------------------------

# With DATABASE_URL / REDIS_URL set: wait for PostgreSQL and Redis, create the database if
# missing. With neither set (SQLite, filesystem broker) this does nothing.
services: $(STAMP_RUNTIME)
	scripts/wait_for_services.sh

migrate: services
	$(PY) manage.py migrate --noinput

seed: migrate
	$(PY) manage.py seed_demo

# honcho is a development tool (requirements-dev.in): production runs the processes apart.
run: $(STAMP_DEV) system-packages translations assets seed
	@echo "Starting web (http://127.0.0.1:8000), worker and beat. Stop with Ctrl-C."
	exec $(VENV)/bin/honcho start -f Procfile

# --- Checking -------------------------------------------------------------------------------

lint: $(STAMP_DEV)
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(STAMP_DEV)
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# The layer contract of docs/architecture.md (pyproject.toml, [tool.importlinter]): each app
# imports only the apps below it, product code imports no tests, networks/ no app and no Django.
layers: $(STAMP_DEV)
	$(VENV)/bin/lint-imports

# mypy with django-stubs on every app's services and selectors (pyproject.toml, [tool.mypy]).
# The plugin loads the settings (on SQLite: DATABASE_URL emptied); it opens no database.
# .mypy_cache (git-ignored) makes a rerun take seconds; a cold run takes about ten.
TYPED := $(shell find . -path ./$(VENV) -prune -o -path ./node_modules -prune -o \
	\( -path '*/services.py' -o -path '*/services/*.py' -o -path '*/selectors.py' \
	   -o -path '*/selectors/*.py' \) -print | sort)
typecheck: $(STAMP_DEV)
	DATABASE_URL= $(VENV)/bin/mypy $(TYPED)

check-migrations: $(STAMP_DEV)
	$(PY) manage.py makemigrations --check --dry-run

# pytest's exit status 5 (no tests collected) fails the target like any other non-zero one.
pytest: $(STAMP_DEV)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

test: $(STAMP_DEV) system-packages-test translations assets-if-npm services
	$(MAKE) --no-print-directory lint layers typecheck check-migrations pytest

ci:
	bash .ci/run

clean:
	rm -rf node_modules static/vendor staticfiles var/cache var/broker var/test-db.sqlite3*
	find . -path ./$(VENV) -prune -o -name '*.mo' -path '*/LC_MESSAGES/*' -exec rm {} +

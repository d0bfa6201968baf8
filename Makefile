# The two commands a new user needs:
#   make run    set up and serve the site on SQLite with demo content (http://127.0.0.1:8000)
#   make test   set up and run the whole test suite
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000
DEBUG ?= 0

.DEFAULT_GOAL := help
.PHONY: help run test lint fmt clean venv serve-prod worker bench bench-scale screenshots

help:
	@echo "make run    set up and serve the site with demo content on http://$(HOST):$(PORT)"
	@echo "make test   set up and run the whole test suite"
	@echo "make lint   ruff check and format check;  make fmt  format the code"

$(PY):
	@python=$$(scripts/find-python) || exit 1; \
	echo "Creating $(VENV) with $$python"; \
	"$$python" -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

$(VENV)/.runtime: requirements.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements.txt
	@touch $@

$(VENV)/.dev: requirements.txt requirements-dev.txt | $(PY)
	$(PY) -m pip install --quiet -r requirements-dev.txt
	@touch $(VENV)/.runtime $@

venv: $(VENV)/.runtime

run: $(VENV)/.runtime
	@HOST=$(HOST) PORT=$(PORT) DEBUG=$(DEBUG) scripts/run-local

test: $(VENV)/.dev
	@scripts/ensure-chromium
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

# Production-like: gunicorn with DEBUG off. Needs the environment of docs/deployment.md
# (at least DJANGO_SECRET_KEY, DJANGO_ALLOWED_HOSTS, DATABASE_URL and REDIS_URL).
serve-prod: $(VENV)/.runtime
	@test -n "$$DJANGO_SECRET_KEY" -a -n "$$DATABASE_URL" -a -n "$$REDIS_URL" || { \
	  echo "serve-prod needs DJANGO_SECRET_KEY, DATABASE_URL and REDIS_URL (see docs/deployment.md)"; exit 1; }
	$(PY) manage.py migrate --noinput
	$(PY) manage.py collectstatic --noinput -v 0
	$(VENV)/bin/gunicorn emsprogram.wsgi -c gunicorn.conf.py

# The task worker (e-mails), its own process next to the app servers.
worker: $(VENV)/.runtime
	$(PY) manage.py db_worker

# Throughput and latency of the main pages against a static file (figures in docs/performance.md).
# Uses the local PostgreSQL and Redis; installs Debian's wrk when missing.
bench: $(VENV)/.runtime
	$(PY) scripts/bench.py

# The staff pages (reports, the applications list with filters, the attention panel) and the applicant's page
# at a school's size after ten years: synthetic data (manage.py make_synthetic_data) in its own database.
bench-scale: $(VENV)/.runtime
	BENCH_SCALE=1 $(PY) scripts/bench.py

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

# Full-page PNGs of the public pages at phone and desktop sizes, and of the e-mails at phone width, in
# docs/screenshots/ (docs/testing.md, docs/emails.md).
# Runs the site with DEBUG on against a throwaway SQLite database with the demo content.
screenshots: $(VENV)/.dev
	@scripts/ensure-chromium
	$(PY) scripts/screenshots.py

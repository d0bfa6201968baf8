# The two commands a new user needs:
#   make run    set up and serve the site on SQLite with demo content (http://127.0.0.1:8000)
#   make test   set up and run the whole test suite
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.DEFAULT_GOAL := help
.PHONY: help run test lint fmt migrate demo collectstatic clean venv

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

run: export DJANGO_DEBUG ?= 1
run: $(VENV)/.runtime
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo_content
	@echo
	@echo "To sign in to the staff side at http://$(HOST):$(PORT)/admin/, create an account first:"
	@echo "    DJANGO_DEBUG=1 $(PY) manage.py createsuperuser"
	@echo
	$(PY) manage.py runserver $(HOST):$(PORT)

test: $(VENV)/.dev
	@scripts/ensure-chromium
	$(PY) -m pytest $(PYTEST_ARGS)

lint: $(VENV)/.dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

fmt: $(VENV)/.dev
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) staticfiles .pytest_cache

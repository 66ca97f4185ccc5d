# The README's two commands: `make run` and `make test`. Everything else supports them.
PORT ?= 5000
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app lms
# Local runs use the development settings (a random secret kept in instance/).
export LMS_CONFIG ?= development

.PHONY: run test lint typecheck pytest browser-test setup setup-dev db courses demo bench clean \
	translations translations-update

run: setup db courses demo
	@echo ""
	@echo "Serving Restorative LMS at http://127.0.0.1:$(PORT)  (Ctrl+C to stop)"
	@echo "Demo accounts: admin, prison.lead, prison.supervisor, prison.trainer, prison.trainee1-3,"
	@echo "  school.lead, school.supervisor, school.trainer, school.trainee1-3, pcc.viewer"
	@echo "Password for every demo account: restorative-demo"
	$(FLASK) run --host 127.0.0.1 --port $(PORT)

test: setup-dev lint typecheck pytest

lint: setup-dev
	$(BIN)/ruff check lms tests bench

# Settings in pyproject.toml ([tool.mypy]): lms/ without its migration scripts.
typecheck: setup-dev
	$(BIN)/mypy

# The browser tests (tests/browser) drive Debian's Chromium; without it they are left out,
# loudly. PYTEST_ARGS adds pytest options (.ci/run uses it for the PostgreSQL pass).
CHROMIUM := /usr/bin/chromium
BROWSER_SKIPPED := "Browser tests: SKIPPED, no $(CHROMIUM) — install Debian's chromium (apt-get install chromium)"

pytest: setup-dev
	@if [ -x $(CHROMIUM) ]; then \
	  $(BIN)/pytest $(PYTEST_ARGS); \
	else \
	  echo $(BROWSER_SKIPPED); \
	  $(BIN)/pytest --ignore=tests/browser $(PYTEST_ARGS) && echo $(BROWSER_SKIPPED); \
	fi

browser-test: setup-dev
	$(BIN)/pytest tests/browser $(PYTEST_ARGS)

setup: $(VENV)/.installed
	@$(MAKE) --no-print-directory translations

setup-dev: $(VENV)/.installed-dev
	@$(MAKE) --no-print-directory translations

# Translations (README, "Translations"): the .po catalogues are kept in git; their compiled
# .mo files are built here, by the install step, whenever a catalogue changes.
PO_FILES := $(wildcard lms/translations/*/LC_MESSAGES/messages.po)
translations: $(PO_FILES:.po=.mo)

%.mo: %.po
	$(BIN)/pybabel compile --statistics -i $< -o $@

# After changing interface text: extract every marked string, then merge it into each
# catalogue (new strings arrive untranslated, changed ones fuzzy, for a translator).
translations-update: setup-dev
	$(BIN)/pybabel extract -F babel.cfg -k _l -k lazy_ngettext:1,2 -k lazy_pgettext:1c,2 --add-location=file \
	  --sort-by-file --no-wrap --project=restorative-lms -o lms/translations/messages.pot .
	$(BIN)/pybabel update -i lms/translations/messages.pot -d lms/translations --no-wrap --no-fuzzy-matching \
	  --ignore-obsolete

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(VENV)/.installed $@

db: setup
	$(FLASK) db upgrade

courses: setup
	$(FLASK) courses load

demo: setup
	$(FLASK) demo load

bench: setup-dev
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/privacy_guard.py
	$(BIN)/python bench/csv_import.py

clean:
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .mypy_cache .hypothesis *.egg-info

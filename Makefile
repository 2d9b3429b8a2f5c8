# Two commands do everything on a fresh machine (Python 3.11+, Node.js/npm, make):
#   make run   set up, load the demo database, serve on http://127.0.0.1:5000
#   make test  set up, then run the whole test suite
.DEFAULT_GOAL := help
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
export FEEDBACK_ENV ?= development

.PHONY: help setup run test db translations translations-compiled assets clean

help:
	@echo "make run    set up and serve the app with demo data"
	@echo "make test   set up and run the test suite"
	@echo "make translations  extract, update and compile the message catalogues"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python setup.cfg pyproject.toml
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: node_modules/.installed $(VENV)/.installed
	npm run --silent build
	$(BIN)/python -m whitenoise.compress -q feedback/static/build

translations-compiled: $(VENV)/.installed
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel -q compile -d translations; fi

setup: $(VENV)/.installed assets translations-compiled

db: setup
	$(FLASK) db upgrade
	$(FLASK) questionnaire install-builtin
	$(FLASK) demo-data

run: db
	@echo
	@echo "Serving the app on http://$(HOST):$(PORT)/ (children start here)"
	@echo "Staff sign in at http://$(HOST):$(PORT)/staff/sign-in with a demo account above."
	@echo
	$(FLASK) run --host $(HOST) --port $(PORT)

# Style, then the layers' import rules and types (setup.cfg says which), then bandit
# (medium severity and up; each `# nosec BXXX` says why beside it), then the suite.
test: setup
	$(BIN)/python -m flake8 feedback tests benchmarks wsgi.py
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/bandit -q -r feedback -ll
	$(BIN)/python -m pytest -n auto $(PYTEST_ARGS)

translations: $(VENV)/.installed
	$(BIN)/pybabel extract -F translations/babel.cfg --add-comments "Translators:" \
		--sort-by-file --no-wrap -k _l -k lazy_gettext -o translations/messages.pot .
	@if ls translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
		$(BIN)/pybabel update -i translations/messages.pot -d translations --no-wrap \
			--no-fuzzy-matching; fi
	$(MAKE) translations-compiled

clean:
	rm -rf $(VENV) node_modules feedback/static/build feedback/static/vendor \
		.mypy_cache .import_linter_cache

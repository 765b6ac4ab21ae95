# Two commands: `make run` and `make test`. Both set up everything they need.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=wsgi.py $(BIN)/flask
HOST ?= 127.0.0.1
PORT ?= 5000
SYSTEM_PACKAGES := fonts-noto-cjk poppler-utils libharfbuzz-subset0 libpango-1.0-0 libpangoft2-1.0-0
# Only for `make test`: the browser the tests in tests/browser drive (Playwright with Debian's Chromium; they are
# skipped, with the reason printed, where it cannot be installed).
TEST_SYSTEM_PACKAGES := chromium
RUFF_ARGS := --line-length 120 --target-version py311 --ignore RUF012 --extend-select E501
LINT_PATHS := disputes tests migrations config.py wsgi.py $(wildcard bench)
PYTEST_ARGS ?= -q -p no:cacheprovider -n 2 --durations=15 -rs

.PHONY: help run test lint format deploy-check bench bench-pages bench-sla bench-docs bench-case-file bench-ledger bench-metrics bench-load setup system-packages test-system-packages translations-update translations-compile clean
.DEFAULT_GOAL := help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 24

run: setup  ## serve on http://127.0.0.1:5000 with demo data (SQLite)
	@$(FLASK) db upgrade
	@$(FLASK) demo load --if-empty
	@echo "Serving on http://$(HOST):$(PORT)  (Ctrl-C stops)"
	@$(BIN)/gunicorn --workers 3 --threads 2 --max-requests 2000 --max-requests-jitter 200 --bind $(HOST):$(PORT) --access-logfile - wsgi:app  # measured: bench/README.md, issue 18 part 5

test: setup test-system-packages  ## the whole suite on SQLite (browser tests in Chromium too), then on PostgreSQL when TEST_DATABASE_URL is set
	$(BIN)/ruff check $(RUFF_ARGS) $(LINT_PATHS)
	$(BIN)/ruff format --check --line-length 120 $(LINT_PATHS)
	env -u TEST_DATABASE_URL $(BIN)/python -m pytest $(PYTEST_ARGS) tests
	@if [ -n "$$TEST_DATABASE_URL" ]; then \
		echo "--- again on PostgreSQL ($$TEST_DATABASE_URL)"; \
		$(BIN)/python -m pytest $(PYTEST_ARGS) tests; \
	fi

lint: setup  ## ruff check (with line length) and ruff format --check
	$(BIN)/ruff check $(RUFF_ARGS) $(LINT_PATHS)
	$(BIN)/ruff format --check --line-length 120 $(LINT_PATHS)

format: setup  ## ruff format and import sorting
	$(BIN)/ruff check $(RUFF_ARGS) --select I --fix $(LINT_PATHS)
	$(BIN)/ruff format --line-length 120 $(LINT_PATHS)

BENCH_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/bench
BENCH_CASES ?= 1000000
BENCH_WAIT ?= 300

BENCH_QUEUES = $(BIN)/python bench/queues.py --users bench-supervisor,bench-clerk,med-bjm-1,arb-lga-01 --baseline bench/baseline.json

bench: setup  ## fill BENCH_DATABASE_URL with BENCH_CASES cases and all their tracks (emptied first), time every page as four scoped users; fails on a page 50 % slower than bench/baseline.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/generate.py --cases $(BENCH_CASES) --reset
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/case_pages.py --wait-quiet $(BENCH_WAIT) --baseline bench/baseline.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH_QUEUES)

bench-pages: setup  ## time the pages again on the generated BENCH_DATABASE_URL, against bench/baseline.json ("my work", the calendars and the board too)
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BIN)/python bench/case_pages.py --wait-quiet $(BENCH_WAIT) --baseline bench/baseline.json
	DATABASE_URL=$(BENCH_DATABASE_URL) $(BENCH_QUEUES)

BENCH_SLA_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/bench_sla

bench-docs: setup  ## time a one-page notice: our render against WeasyPrint on the same HTML, and its PDF size
	$(BIN)/python bench/documents.py

bench-sla: setup  ## time the deadline scan and board counts on 1,000,000 open timers (BENCH_SLA_DATABASE_URL, loaded if short)
	BENCH_DATABASE_URL=$(BENCH_SLA_DATABASE_URL) $(BIN)/python bench/sla_scan.py

BENCH_LEDGER_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/bench_ledger

bench-ledger: setup  ## import a 100,000-row ledger (goal < 60 s) vs a bare COPY of it (BENCH_LEDGER_DATABASE_URL, reset)
	BENCH_DATABASE_URL=$(BENCH_LEDGER_DATABASE_URL) $(BIN)/python bench/ledger_import.py

bench-case-file: setup  ## time building a 10-page case file (cover, index, documents; goal < 2 s warm)
	$(BIN)/python bench/case_file.py

BENCH_METRICS_DATABASE_URL ?= postgresql://postgres@127.0.0.1:5432/bench_metrics

bench-metrics: setup  ## time the statistics (flask metrics, /reports) for the district and a year (generates 1M cases if empty)
	BENCH_METRICS_DATABASE_URL=$(BENCH_METRICS_DATABASE_URL) $(BIN)/python bench/metrics.py --cases $(BENCH_CASES)

bench-load: setup  ## 10 s of 8 clients per page under gunicorn (as make run): case list, case page, /reports beside a static file; fails on any 5xx
	$(BIN)/python bench/load.py

setup: system-packages $(VENV)/.installed translations-compile bytecode

bytecode: $(VENV)/.installed  # compiled once here (as pip does for the libraries), not at every start-up
	@$(BIN)/python -m compileall -q -j 0 disputes migrations config.py wsgi.py >/dev/null

# apt-get install the packages named in $(1) that are not installed yet (sudo unless root).
define apt_install_missing
	@missing=$$(for p in $(1); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q "install ok installed" || echo $$p; done); \
	if [ -n "$$missing" ]; then \
		echo "Installing system packages:" $$missing; \
		if [ "$$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
endef

system-packages:  ## fonts, poppler and HarfBuzz subsetting (apt), installed when missing
	$(call apt_install_missing,$(SYSTEM_PACKAGES))

test-system-packages:  ## Chromium for the browser tests (apt), installed when missing; tests skip if this fails
	-$(call apt_install_missing,$(TEST_SYSTEM_PACKAGES))

$(VENV)/.installed: requirements.txt
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -r requirements.txt
	@touch $@

translations-update: $(VENV)/.installed  ## extract messages and update both catalogues
	$(BIN)/pybabel -q extract -F disputes/translations/babel.cfg -k _l -k N_ -k lazy_gettext \
		--add-comments=TRANSLATORS: --project=disputes -o disputes/translations/messages.pot .
	$(BIN)/pybabel -q update --no-fuzzy-matching --ignore-obsolete \
		-i disputes/translations/messages.pot -d disputes/translations
	$(BIN)/python disputes/translations/fill_en.py

translations-compile: $(VENV)/.installed
	@$(BIN)/pybabel -q compile -d disputes/translations

deploy-check:  ## build the image and bring up deploy/compose.yaml (skipped, with the reason, without Docker)
	@deploy/check.sh

clean:  ## remove the virtualenv, caches and the local database
	rm -rf $(VENV) instance .pytest_cache .ruff_cache .hypothesis
	find . -name __pycache__ -type d -prune -exec rm -rf {} +

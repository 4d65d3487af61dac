# Minsheng: `make run` to serve on SQLite, `make test` to run the tests. `make help` lists all.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi

.DEFAULT_GOAL := help
.PHONY: help install dev migrate run test bench bench-kpis bench-models bench-reports lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the runtime dependencies

dev: $(VENV)/.dev-installed ## Add the test, lint and benchmark tools

migrate: install ## Create or upgrade the schema and reference data (SQLite under instance/ by default)
	$(FLASK) db upgrade

run: migrate ## Migrate, print the demo app token on first start, serve on http://127.0.0.1:8000
	$(FLASK) accounts demo
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: dev ## Lint, then run the tests (SQLite; PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set)
	$(BIN)/ruff check .
	$(BIN)/pytest

bench: dev ## Load the intake endpoints on PostgreSQL and print the figures for BENCHMARKS.md
	$(BIN)/python bench/intake.py

bench-kpis: dev ## Time the figures on a generated province of 100k, then 1M ratings (PostgreSQL)
	$(BIN)/python bench/kpis.py

bench-models: dev ## Sentiment, theme and import speed and accuracy on ../shared/data (PostgreSQL)
	$(BIN)/python bench/models.py

bench-reports: dev ## Time the theme report on 100k, then 1M generated messages (PostgreSQL)
	$(BIN)/python bench/reports.py

lint: dev ## ruff
	$(BIN)/ruff check .

clean: ## Remove .venv and the SQLite database
	rm -rf $(VENV) instance/minsheng.db*

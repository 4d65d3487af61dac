# Minsheng: `make run` to serve on SQLite, `make test` to run the tests. `make help` lists all.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
LOCK_OPTIONS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links

.DEFAULT_GOAL := help
.PHONY: help install dev lock audit backup restore migrate assets models run test test-fast coverage bench bench-kpis bench-models bench-reports bench-replies bench-soak image-test stack-test lint clean

help: ## List the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F ':.*## ' '{printf "  make %-12s %s\n", $$1, $$2}'

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements-dev.txt $(VENV)/.installed
	$(BIN)/pip install --quiet --require-hashes -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the runtime dependencies

dev: $(VENV)/.dev-installed ## Add the test, lint and benchmark tools

lock: dev ## After changing requirements*.in: compile them into the locks (requirements*.txt, hashed)
	$(BIN)/pip-compile $(LOCK_OPTIONS) -o requirements.txt requirements.in
	$(BIN)/pip-compile $(LOCK_OPTIONS) -o requirements-dev.txt requirements-dev.in

audit: dev ## Check every locked package against PyPI's known vulnerabilities (pip-audit)
	$(BIN)/pip-audit --strict --disable-pip -r requirements.txt -r requirements-dev.txt

backup: install ## Copy the database (DATABASE_URL, else SQLite) to backups/, or to BACKUP=<file>
	$(FLASK) backup $(if $(BACKUP),--to $(BACKUP))

restore: install ## Replace the database's contents with BACKUP=<file> (stop the service first)
	@test -n "$(BACKUP)" || { echo "make restore BACKUP=<file>: which backup?"; exit 2; }
	$(FLASK) restore --yes $(BACKUP)

migrate: install ## Create or upgrade the schema and reference data (SQLite under instance/ by default)
	$(FLASK) db upgrade

assets: install ## Fetch ECharts and Jiangxi's map outlines (pinned npm tarballs) into the dashboard's static files
	$(BIN)/python scripts/vendor_assets.py

models: dev ## Retrain the shipped sentiment model from the development set and ../shared/data (about a minute)
	$(BIN)/python -m analytics.sentiment.build ngrams

run: migrate assets ## Migrate, load the demo data and print its accounts on first start, serve on :8000
	$(FLASK) accounts demo
	$(FLASK) demo
	$(BIN)/gunicorn -c gunicorn.conf.py wsgi:app

test: dev assets ## Lint, then run the tests (SQLite; PostgreSQL and Redis when DATABASE_URL and REDIS_URL are set)
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto

test-fast: dev assets ## Lint, then the tests but the slow end-to-end ones (tests/conftest.py, SLOW_MODULES)
	$(BIN)/ruff check .
	$(BIN)/pytest -n auto -m "not slow"

coverage: dev assets ## The tests under coverage.py: a report by module, and htmlcov/ (code run in this process)
	$(BIN)/coverage run -m pytest -q
	$(BIN)/coverage report --sort=cover
	$(BIN)/coverage html -q

bench: dev ## Load the intake endpoints on PostgreSQL and print the figures for BENCHMARKS.md
	$(BIN)/python bench/intake.py

bench-kpis: dev ## Time the figures on a generated province of 100k, then 1M ratings (PostgreSQL)
	$(BIN)/python bench/kpis.py

bench-models: dev ## Sentiment, theme and import speed and accuracy on ../shared/data (PostgreSQL)
	$(BIN)/python bench/models.py

bench-reports: dev ## Time the theme report and hot issues on 100k, then 1M messages (PostgreSQL, Redis)
	$(BIN)/python bench/reports.py

bench-replies: dev ## Reply quality: judging the real replies, and the replies report at 200k (PostgreSQL)
	$(BIN)/python bench/replies.py

bench-soak: dev ## Queue mode for minutes under a mixed load: intake, queue lag, counts (PostgreSQL, Redis)
	$(BIN)/python bench/soak.py

image-test: dev ## Build the Docker image (a stand-in base when no registry answers) and smoke-test it: SQLite, PostgreSQL and Redis with a worker container, then the compose stack
	$(BIN)/python scripts/image_test.py
	$(BIN)/python scripts/stack_test.py

stack-test: dev ## docker-compose.yml up (stand-in service images when no registry answers), tried through nginx, then removed
	$(BIN)/python scripts/stack_test.py

lint: dev ## ruff
	$(BIN)/ruff check .

clean: ## Remove .venv and the SQLite database
	rm -rf $(VENV) instance/minsheng.db*

# OIP Tracker. Two commands do everything:
#   make run    install, migrate SQLite, load the 2010 fixtures and demo accounts, serve
#   make test   ruff + the whole pytest suite (SQLite; PostgreSQL too when DATABASE_URL is set)
#   make serve  production: DEBUG off, collectstatic, migrate, deploy checks, gunicorn (README: Operations)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run serve install migrate seed test lint format clean bench

$(STAMP): requirements.txt package.json package-lock.json
	@command -v $(PYTHON) >/dev/null || { echo "$(PYTHON) not found: OIP Tracker needs Python 3.11"; exit 1; }
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	$(BIN)/npm ci --no-audit --no-fund --loglevel=error
	touch $(STAMP)

install: $(STAMP)

migrate: install
	$(BIN)/python manage.py migrate --noinput

seed: migrate
	$(BIN)/python manage.py load_seed_data
	$(BIN)/python manage.py create_demo_users

# The background worker that generates issued packs runs beside the web
# server; Ctrl-C (or the server stopping) stops both. --no-reload so the
# worker is one process the trap can stop: restart `make run` after changing
# a task's code. In production the worker is its own service (README).
run: seed
	@echo "Serving OIP Tracker on http://127.0.0.1:$(PORT)/ with the background worker (manage.py db_worker)"
	@$(BIN)/python manage.py db_worker --no-reload --no-startup-delay & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Production serving. Needs SECRET_KEY and ALLOWED_HOSTS (and DATABASE_URL for
# more than one server); every other setting has a safe production default.
serve: install
	@test -n "$$SECRET_KEY" && test -n "$$ALLOWED_HOSTS" || { \
		echo "make serve runs the production settings: set SECRET_KEY and ALLOWED_HOSTS first (README: Operations)"; exit 1; }
	DEBUG=false $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	DEBUG=false $(BIN)/python manage.py migrate --noinput
	DEBUG=false $(BIN)/python manage.py check --deploy
	DEBUG=false exec $(BIN)/gunicorn --config bromley_oip/gunicorn_config.py bromley_oip.wsgi

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# The suite runs on SQLite always. With DATABASE_URL set it also runs on that
# PostgreSQL server, side by side with the SQLite run (one per core); each
# run's output is kept in test-artifacts/ and printed when both have ended.
# Then each test that does not depend on the database runs once, not twice:
# the browser tests in the PostgreSQL pass, the `single_pass` ones (their own
# SQLite file, gunicorn, PDF layout) in the SQLite pass.
# With CI=true a missing PostgreSQL or Chromium is a failure.
LOGS := test-artifacts
test: lint
	$(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@if [ -n "$$DATABASE_URL" ]; then \
		mkdir -p $(LOGS); \
		echo "== Running the suite on SQLite and on PostgreSQL ($$DATABASE_URL) side by side"; \
		env -u DATABASE_URL $(BIN)/pytest -p no:cacheprovider -m "not browser" > $(LOGS)/sqlite.log 2>&1 & sqlite=$$!; \
		$(BIN)/pytest -p no:cacheprovider --require-postgresql -m "not single_pass" > $(LOGS)/postgresql.log 2>&1 & pg=$$!; \
		trap 'kill $$sqlite $$pg 2>/dev/null' INT TERM; \
		wait $$sqlite; sqlite_rc=$$?; wait $$pg; pg_rc=$$?; \
		echo "== SQLite run (exit $$sqlite_rc)"; cat $(LOGS)/sqlite.log; \
		echo "== PostgreSQL run (exit $$pg_rc)"; cat $(LOGS)/postgresql.log; \
		[ $$sqlite_rc -eq 0 ] && [ $$pg_rc -eq 0 ]; \
	elif [ "$$CI" = "true" ]; then \
		echo "CI=true but DATABASE_URL is not set: the PostgreSQL run is required in CI"; exit 1; \
	else \
		env -u DATABASE_URL $(BIN)/pytest && \
		echo "SKIPPED: the PostgreSQL run (set DATABASE_URL=postgres://... to include it)"; \
	fi

bench: install
	$(BIN)/python bench/run_all.py
	$(BIN)/python bench/pack_pdf.py
	$(BIN)/python bench/concurrency.py

clean:
	rm -rf $(VENV) node_modules staticfiles db.sqlite3

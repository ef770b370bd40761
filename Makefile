# Peta Konvergensi: `make run` (install, demo data, serve) and `make test` (install, test).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1:8000

.PHONY: run test install install-dev chromium lint format messages clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

# Reinstall only when the dependencies change.
$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet ".[dev]"
	touch $(VENV)/.installed $@

install: $(VENV)/.installed

install-dev: $(VENV)/.installed-dev

.env:
	cp .env.example .env

run: install .env
	$(BIN)/python manage.py migrate --no-input
	$(BIN)/python manage.py seed_demo
	@# The task worker (big rounds' reports, built in the background) runs beside the
	@# server and stops with it.
	$(BIN)/python manage.py db_worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(BIN)/python manage.py runserver $(HOST)

# The browser tests drive Debian's Chromium; install it when we may (root), otherwise
# they skip and say why.
chromium:
	@if command -v chromium >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
		echo "Installing Debian's Chromium for the browser tests..."; \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "Chromium is missing and cannot be installed here: the browser tests will skip."; fi

test: install-dev chromium
	$(BIN)/python -m pytest $(PYTEST_ARGS)

# Every target of issue 16 ("Fast at any size"), each printed PASS or FAIL as a ratio to a
# figure of the same run, on the configured database (DATABASE_URL; see docs/benchmarks.md):
# the national pages at 1x and 10x, one 200-actor district's pages, the reports, and the
# throughput at 50 and at 200 actors. About 20 minutes on the 2-core machine (estimated
# from --scale 0.1 runs);
# BENCH_ARGS="--tenfold-scale 0.5" shortens the 10x set. bench_load needs wrk: installed
# here when we may (root).
# The benchmarks measure the app as production runs it, DEBUG off (no query log); the rest
# only makes that possible without a deployment's secret or TLS, as the tests do.
BENCH_ENV = DEBUG=0 SECRET_KEY=bench-only-not-a-secret ALLOWED_HOSTS=testserver,127.0.0.1,localhost \
	STATIC_MANIFEST=0 SECURE_SSL_REDIRECT=0 SECURE_COOKIES=0
bench: install
	@if ! command -v wrk >/dev/null 2>&1; then \
		if [ "$$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then \
			apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; \
		else echo "wrk is missing and cannot be installed here (apt-get install wrk as root)."; exit 1; fi; \
	fi
	$(BIN)/python manage.py migrate --no-input
	$(BENCH_ENV) $(BIN)/python manage.py bench $(BENCH_ARGS)
	$(BENCH_ENV) $(BIN)/python manage.py bench_pages --actors 200
	$(BENCH_ENV) $(BIN)/python manage.py bench_reports --actors 200
	$(BENCH_ENV) $(BIN)/python manage.py bench_load --actors 50 --connections 16 --duration 20
	$(BENCH_ENV) $(BIN)/python manage.py bench_load --actors 200 --connections 16 --duration 20 --timeout 10

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Refresh the Bahasa Indonesia catalogue after adding strings, then translate them in
# locale/id/LC_MESSAGES/django.po and compile.
messages:
	$(BIN)/python manage.py makemessages -l id --ignore=.venv --ignore=tests --ignore=staticfiles --ignore=test-artifacts --no-obsolete --add-location=file
	$(BIN)/python manage.py compilemessages -l id --ignore=.venv

clean:
	rm -rf $(VENV) db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles

# Two commands do all the set-up on a fresh machine:
#   make run   - the demo partnership on http://127.0.0.1:5000
#   make test  - every test, browser tests included
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
VENDOR := webapp/static/vendor
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run run-authority run-google test lint bench setup assets browser clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo init
	$(FLASK) demo sign-ins
	SCHEDULER_ENABLED=1 $(FLASK) run --host 127.0.0.1 --port 5000

# The demo across partnerships: the demo's partnership and two more, the county council
# that supports them, its officer and development visits (docs/partnerships.md).
run-authority: setup
	$(FLASK) db upgrade
	$(FLASK) demo init
	$(FLASK) demo authority
	$(FLASK) demo sign-ins
	SCHEDULER_ENABLED=1 $(FLASK) run --host 127.0.0.1 --port 5000

# The Google Sheets path, against the local stand-in for Sheets and Drive (no
# Google account needed): its own database, the demo workbooks loaded into it.
EMULATOR_PORT ?= 8089
GOOGLE_DEMO := SHEETS_BACKEND=google GOOGLE_SHEETS_EMULATOR_HOST=127.0.0.1:$(EMULATOR_PORT) \
	PARTNERSHIP_WORKBOOK=https://docs.google.com/spreadsheets/d/demo-partnership-0000000000/edit \
	DATABASE_URL=sqlite:///$(CURDIR)/instance/google-demo.sqlite

run-google: setup
	$(FLASK) demo write-workbooks
	$(BIN)/python -m sheets_emulator --port $(EMULATOR_PORT) --workbooks instance/demo-workbooks & \
	emulator=$$!; trap "kill $$emulator" EXIT; sleep 2; \
	$(GOOGLE_DEMO) $(FLASK) db upgrade && \
	$(GOOGLE_DEMO) $(FLASK) demo init && \
	$(GOOGLE_DEMO) $(FLASK) demo sign-ins && \
	$(GOOGLE_DEMO) SCHEDULER_ENABLED=1 $(FLASK) run --host 127.0.0.1 --port 5000

test: setup browser lint
	$(BIN)/python -m pytest
	@if $(PG_REACHABLE); then \
		echo "Again on PostgreSQL (127.0.0.1:5432): $(PG_TESTS)"; \
		HUB_TEST_DATABASE=postgres $(BIN)/python -m pytest $(PG_TESTS); \
	else \
		echo "PostgreSQL not reachable on 127.0.0.1:5432: skipped the PostgreSQL run"; \
	fi

# The second run, on PostgreSQL (HUB_TEST_DATABASE=postgres: tests/conftest.py gives
# every test that takes the database an emptied PostgreSQL database instead of a new
# SQLite file). tests/deploy and tests/sync/test_postgres.py run on PostgreSQL in the
# first run already. The whole of tests/web and tests/sync again would nearly double
# the suite's time (425 tests: 13 min wall, 4 min 10 s of CPU on this 2-core machine
# while shared, 1 Dec 2026; as long on PostgreSQL as on SQLite), far past the three
# minutes a second run may add; this subset (188 tests) took 4 min 27 s wall on the
# same loaded machine and 1 min 53 s of CPU, so about 2 to 3 minutes on a quiet one
# (198 tests by 2 Dec: 2 min 16 s on a fresh clone).
# It is where the two databases differ: the sync storing every kind of row (string lengths and types
# are enforced on PostgreSQL only), the outbox and saving (row versions, conditional
# UPDATEs, the lock), people and sessions (row locks, sign-in counts), IDs past the
# integer range, paging and ordering (collation), the watch and Sync now's lease, the turn of
# the school year (one current workbook a code: a partial unique index; every table's rows kept),
# many partnerships (every statement held to one partnership by its criteria; the published
# report kept by a trigger), sign-in with school accounts (one link an account and a person, a
# sign-in's state taken once).
# `make test-postgres` runs all of tests/web and tests/sync on PostgreSQL.
PG_REACHABLE = $(BIN)/python -c "import socket; socket.create_connection(('127.0.0.1', 5432), 2).close()" 2>/dev/null
PG_TESTS ?= tests/sync/test_workbook_sync.py tests/sync/test_outbox.py tests/sync/test_save_row_edit.py \
	tests/sync/test_jobs.py tests/sync/test_watch.py tests/sync/test_text_on_every_database.py tests/web/test_edits.py tests/web/test_saving_what_changed.py \
	tests/web/test_people.py tests/web/test_sessions.py tests/web/test_auth.py tests/web/test_sync_pages.py \
	tests/web/test_ids_in_urls.py tests/web/test_long_lists.py tests/web/test_priorities.py \
	tests/sync/test_school_years.py tests/web/test_school_years.py \
	tests/sync/test_partnerships_sync.py tests/web/test_partnership_boundaries.py tests/web/test_support.py \
	tests/web/test_background_jobs.py tests/web/test_people_mail.py tests/web/test_board_packs.py tests/web/test_kept_figures.py \
	tests/web/test_school_accounts.py tests/web/test_transactions.py

.PHONY: test-postgres
test-postgres: setup
	HUB_TEST_DATABASE=postgres $(BIN)/python -m pytest -m "not browser" tests/web tests/sync

# ruff, configured in pyproject.toml: unused imports and names, import order, line length,
# docstrings on the public functions of domain/ and sync/.
lint: setup
	$(BIN)/ruff check .

setup: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# htmx and Pico come from the npm registry, pinned by package-lock.json, and are
# served from our own static folder: this is an intranet, never a CDN.
assets: $(VENDOR)/htmx.min.js $(VENDOR)/pico.min.css

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund
	touch $@

$(VENDOR)/htmx.min.js: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/htmx.org/dist/htmx.min.js $@

$(VENDOR)/pico.min.css: node_modules/.package-lock.json
	mkdir -p $(VENDOR)
	cp node_modules/@picocss/pico/css/pico.min.css $@

# Browser tests drive Debian's Chromium; Playwright never downloads a browser.
browser:
	@command -v chromium >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

# The load run (bench/load.py) drives the app with wrk from Debian, installed when missing.
bench: setup pdf-libs
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk; }
	$(BIN)/python -m bench

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance

# The board packs' PDFs are made by WeasyPrint, which needs Pango, HarfBuzz and fonts from
# Debian: installed, as Chromium is, only when missing (dpkg-query says which).
PDF_LIBS := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core
.PHONY: pdf-libs
pdf-libs:
	@missing=$$(for p in $(PDF_LIBS); do dpkg-query -W -f='$${Status}' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	[ -z "$$missing" ] || { $(SUDO) apt-get update -qq && $(SUDO) DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; }
run test: pdf-libs

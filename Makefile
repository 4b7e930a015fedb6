# Two commands do all the set-up on a fresh machine:
#   make run   - the demo partnership on http://127.0.0.1:5000
#   make test  - every test, browser tests included
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
FLASK  := $(BIN)/flask --app wsgi
VENDOR := webapp/static/vendor
SUDO   := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: run test setup assets browser clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo init
	$(FLASK) demo sign-ins
	SCHEDULER_ENABLED=1 $(FLASK) run --host 127.0.0.1 --port 5000

test: setup browser
	$(BIN)/python -m pytest

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

clean:
	rm -rf $(VENV) node_modules $(VENDOR) instance

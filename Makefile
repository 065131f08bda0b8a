# AI Plus: two commands on a fresh machine.
#   make run   - create .venv, install, migrate, load demo data, serve http://127.0.0.1:8000
#   make test  - install test dependencies, run the whole suite on SQLite and on PostgreSQL
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
AIPLUS_HOME ?= ./var
export AIPLUS_HOME

.PHONY: run test install test-deps system-deps bench lock clean

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12)), "AI Plus needs Python 3.11 or 3.12"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[all]'
	@touch $@

$(VENV)/.test-installed: pyproject.toml constraints.txt $(VENV)/.installed
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.installed
test-deps: $(VENV)/.test-installed

# Debian's Chromium for the browser tests and wrk for the benchmarks; never a downloaded browser.
system-deps:
	@command -v chromium >/dev/null && command -v wrk >/dev/null || { \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium wrk >/dev/null; \
	  else echo "Please install Debian's chromium and wrk: sudo apt-get install chromium wrk" >&2; exit 1; fi; }

run: install
	$(BIN)/aiplus migrate
	$(BIN)/aiplus demo load
	$(BIN)/aiplus serve --host 127.0.0.1 --port 8000 --no-migrate

test: test-deps system-deps
	AIPLUS_TEST_DATABASE=sqlite $(BIN)/python -m pytest
	AIPLUS_TEST_DATABASE=postgresql $(BIN)/python -m pytest

bench: install system-deps
	$(BIN)/aiplus bench all

# Re-pin every dependency after changing pyproject.toml (needs the registry).
lock: | $(BIN)/python
	$(PIP) install --quiet -e '.[test]'
	$(PIP) freeze --exclude-editable | grep -v '^aiplus' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache

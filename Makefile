# AI Plus: two commands on a fresh machine.
#   make run   - create .venv, install, migrate, load demo data, serve http://127.0.0.1:8000
#   make test  - install test dependencies, run the whole suite on SQLite and on PostgreSQL
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
PIP    := $(BIN)/python -m pip
AIPLUS_HOME ?= ./var
export AIPLUS_HOME

.PHONY: run test install test-deps runtime-deps system-deps bench lock clean layers \
        test-sqlite test-sqlite-fuzz test-postgresql test-postgresql-fuzz

$(BIN)/python:
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] in ((3, 11), (3, 12)), "AI Plus needs Python 3.11 or 3.12"'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade "pip>=24"

$(VENV)/.installed: pyproject.toml constraints.txt | $(BIN)/python
	$(PIP) install --quiet -c constraints.txt -e '.[all]'
	$(BIN)/aiplus models assemble
	@touch $@

$(VENV)/.test-installed: pyproject.toml constraints.txt $(VENV)/.installed
	$(PIP) install --quiet -c constraints.txt -e '.[test]'
	@touch $@

install: $(VENV)/.installed
test-deps: $(VENV)/.test-installed

# Debian packages, never a downloaded browser: espeak-ng speaks Cantonese voice replies (run time);
# Chromium drives the browser tests and wrk the benchmarks.
define apt_need
	@missing=""; for tool in $(1); do command -v $$tool >/dev/null || missing="$$missing $$tool"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $(2) >/dev/null; \
	  else echo "Please install Debian's $(2): sudo apt-get install $(2)" >&2; exit 1; fi; fi
endef

define apt_need_pkg
	@missing=""; for pkg in $(1); do dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "ok installed" || missing="$$missing $$pkg"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "Please install Debian's$$missing: sudo apt-get install$$missing" >&2; exit 1; fi; fi
endef

# Tesseract (with its Traditional Chinese data) is the forms' second OCR engine; Noto CJK renders
# Chinese in synthetic forms and PDF reports.
runtime-deps:
	$(call apt_need,espeak-ng,espeak-ng)
	$(call apt_need_pkg,tesseract-ocr tesseract-ocr-eng tesseract-ocr-chi-tra fonts-noto-cjk)

system-deps: runtime-deps
	$(call apt_need,chromium wrk,chromium wrk)

run: install runtime-deps
	$(BIN)/aiplus migrate
	$(BIN)/aiplus demo load
	$(BIN)/aiplus serve --host 127.0.0.1 --port 8000 --no-migrate

# Per backend, the suite runs on xdist workers (Ray and Flower tests share one, see
# tests/conftest.py) while the OpenAPI fuzzing runs beside it in its own process, because
# Schemathesis' generated cases do not run under xdist. Tests wait on servers, browsers and
# subprocesses much of the time, so three workers beside the fuzzer keep two cores busy.
# `make -O` prints each part's output whole when it ends.
TEST_WORKERS ?= 3
PYTEST := $(BIN)/python -m pytest
PG_ONLY := not nodb and not browser
test: test-deps system-deps layers
	$(MAKE) --no-print-directory -j2 -O test-sqlite test-sqlite-fuzz
	$(MAKE) --no-print-directory -j2 -O test-postgresql test-postgresql-fuzz

# The architecture's import rules (pyproject.toml [tool.importlinter]): layers, independent apps,
# no cycles between sibling modules.
layers: test-deps
	$(BIN)/lint-imports

test-sqlite:
	AIPLUS_TEST_DATABASE=sqlite $(PYTEST) -n $(TEST_WORKERS) --dist loadgroup -m "not fuzz"
test-sqlite-fuzz:
	AIPLUS_TEST_DATABASE=sqlite $(PYTEST) -m fuzz
test-postgresql:
	AIPLUS_TEST_DATABASE=postgresql $(PYTEST) -n $(TEST_WORKERS) --dist loadgroup \
	  -m "$(PG_ONLY) and not fuzz"
test-postgresql-fuzz:
	AIPLUS_TEST_DATABASE=postgresql $(PYTEST) -m "$(PG_ONLY) and fuzz"

bench: install system-deps
	$(BIN)/aiplus bench all

# Re-pin every dependency after changing pyproject.toml (needs the registry).
lock: | $(BIN)/python
	$(PIP) install --quiet -e '.[test]'
	$(PIP) freeze --exclude-editable | grep -v '^aiplus' > constraints.txt

clean:
	rm -rf $(VENV) var .pytest_cache

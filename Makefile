# The set-up contract: `make run` serves the dashboard on the demo data,
# `make test` runs the whole suite (browser tests included). Both create .venv.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
CHROMIUM := /usr/bin/chromium

.PHONY: run test bench lint demo clean chromium postgresql

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.run-installed: requirements.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.dev-installed: requirements.txt requirements-dev.txt | $(BIN)/python
	$(BIN)/pip install --quiet -r requirements-dev.txt
	touch $@ $(VENV)/.run-installed

run: $(VENV)/.run-installed
	$(BIN)/streamlit run dashboard.py

# Debian's chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	@if [ ! -x $(CHROMIUM) ]; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends chromium; \
	  else \
	    echo "chromium is not installed and this is not root: browser tests will be skipped" \
	         "(run 'sudo apt-get install chromium' to include them)."; \
	  fi; \
	fi

# Debian's PostgreSQL for the store's tests, which start their own server in a temporary
# directory (nothing is configured or started here). Missing: its tests are skipped, except
# under CI=true, where they fail.
postgresql:
	@if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends postgresql; \
	  else \
	    echo "PostgreSQL is not installed and this is not root: its tests will be skipped" \
	         "(run 'sudo apt-get install postgresql' to include them)."; \
	  fi; \
	fi

test: $(VENV)/.dev-installed chromium postgresql
	$(BIN)/python -m pytest

bench: $(VENV)/.dev-installed chromium
	$(BIN)/python -m benchmarks.run

lint: $(VENV)/.dev-installed
	$(BIN)/ruff check .

demo: $(VENV)/.run-installed
	$(BIN)/python scripts/make_demo.py

clean:
	rm -rf $(VENV) .pytest_cache

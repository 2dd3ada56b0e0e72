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

# $(call debian,PACKAGE,TEST,WHAT): install Debian's PACKAGE unless the shell TEST finds it; as root
# only (apt-get update first), otherwise say that WHAT will be skipped.
define debian
	@if ! ( $(2) ) >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = "0" ]; then \
	    apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends $(1); \
	  else \
	    echo "$(1) is not installed and this is not root: $(3) will be skipped" \
	         "(run 'sudo apt-get install $(1)' to include them)."; \
	  fi; \
	fi
endef

# Debian's chromium for the browser tests (Playwright cannot download browsers here).
chromium:
	$(call debian,chromium,test -x $(CHROMIUM),browser tests)

# Debian's PostgreSQL for the store's tests, which start their own server in a temporary
# directory (nothing is configured or started here). Missing: its tests are skipped, except
# under CI=true, where they fail.
postgresql:
	$(call debian,postgresql,ls /usr/lib/postgresql/*/bin/initdb || command -v initdb,its tests)

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

# Two commands on a fresh machine: `make run` and `make test`. Everything else is optional.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
export SUHDE_DATA_DIR ?= $(CURDIR)/var
VENDOR := src/suhde/static/vendor

.PHONY: run test lint format bench messages openapi install clean demo serve check-deploy

$(BIN)/.installed: pyproject.toml setup.py src/suhde/analysis/_sweep.c
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Suhde needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(VENDOR)/.copied: node_modules/.installed
	mkdir -p $(VENDOR)/bootstrap $(VENDOR)/htmx $(VENDOR)/axe $(VENDOR)/cytoscape
	cp node_modules/bootstrap/dist/css/bootstrap.min.css $(VENDOR)/bootstrap/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js $(VENDOR)/bootstrap/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/htmx/
	cp node_modules/cytoscape/dist/cytoscape.min.js $(VENDOR)/cytoscape/
	touch $@

install: $(BIN)/.installed $(VENDOR)/.copied

demo: install
	[ -d $(SUHDE_DATA_DIR) ] || install -d -m 700 $(SUHDE_DATA_DIR)
	mkdir -p $(SUHDE_DATA_DIR)/static
	$(BIN)/suhde migrate --no-input -v 0
	$(BIN)/suhde demo

serve: install
	$(BIN)/suhde serve --port $(PORT)

# Links in mail and the calendar address follow the port unless SUHDE_SITE_URL says otherwise.
run: demo
	SUHDE_SITE_URL="$${SUHDE_SITE_URL:-http://127.0.0.1:$(PORT)}" $(BIN)/suhde serve --port $(PORT)

# The suite runs on every core (pytest-xdist), a test file per worker at a time; each worker
# has its own test database and, with REDIS_URL, its own Redis database (tests/xdist_env.py).
# `make test PYTEST_WORKERS=0` runs it in one process.
PYTEST_WORKERS ?= auto
test: install
	$(BIN)/ruff check src tests bench
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p tests.xdist_env -n $(PYTEST_WORKERS) --dist loadfile $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench

format: install
	$(BIN)/ruff format src tests bench
	$(BIN)/ruff check --fix src tests bench

bench: install
	$(BIN)/python bench/pages.py
	$(BIN)/python bench/surveys.py
	$(BIN)/python bench/paths.py
	$(BIN)/python bench/map.py
	$(BIN)/python bench/map_scale.py
	$(BIN)/python bench/import.py
	$(BIN)/python bench/tie_migration.py
	$(BIN)/python bench/readers.py
	$(BIN)/python bench/dashboard.py
	$(BIN)/python bench/run.py $(BENCH_ARGS)

# Only the analysis rows of issue 17: NetworkX against `suhde analyze` at 10,000 people as whole
# processes, then 100,000 and 1,000,000 people with 1 and 2 workers (docs/benchmarks.md).
.PHONY: bench-analysis
bench-analysis: install
	$(BIN)/python bench/run.py $(BENCH_ARGS)

.PHONY: bench-live bench-live-push
bench-live: install
	$(BIN)/python bench/live.py $(BENCH_ARGS)

# 10,000 phones on the push stream (docs/benchmarks.md); takes about 3 minutes.
bench-live-push: install
	$(BIN)/python bench/live_push.py $(BENCH_ARGS)

messages: install
	cd src/suhde && ../../$(BIN)/suhde makemessages -l fi -l sv -l en --no-obsolete --no-location -i "static/vendor/*"
	cd src/suhde && ../../$(BIN)/suhde compilemessages -v 0

openapi: install
	$(BIN)/suhde export_openapi > docs/openapi.json

check-deploy: install
	SUHDE_HTTPS=1 SUHDE_SECRET_KEY=$$(openssl rand -base64 60 | tr -d '\n') SUHDE_STATIC_MANIFEST=1 \
	  SUHDE_SITE_URL="$${SUHDE_SITE_URL:-https://suhde.example.org}" \
	  $(BIN)/suhde check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules $(VENDOR)

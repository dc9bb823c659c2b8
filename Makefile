# creatorlens — the two commands: `make demo` and `make test`. Both set up everything on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
DB ?= creatorlens.duckdb
CHROMIUM ?= /usr/bin/chromium

.PHONY: demo test lint typecheck bench system clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,semantic]'
	touch $(STAMP)

## demo: build the synthetic demo workspace, score it and print where the results are
demo: $(STAMP)
	$(BIN)/creatorlens demo --db $(DB)

## system: Debian's Chromium (Playwright's own browser download does not work offline), a
## PostgreSQL server and a Java runtime for Spark, for the backend tests (the tests start them),
## and Noto CJK fonts so that Korean renders in Chromium's pages, screenshots and PDFs.
system:
	@missing=""; test -x $(CHROMIUM) || missing="$$missing chromium"; \
	  ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	  command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	  test -d /usr/share/fonts/opentype/noto || missing="$$missing fonts-noto-cjk"; \
	  if [ -n "$$missing" ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; fi

## test: the whole suite (pytest exit 5, "no tests ran", counts as a failure)
test: $(STAMP) system
	$(BIN)/python -m pytest -q -p no:cacheprovider -n 2 --dist loadfile; code=$$?; \
	  if [ $$code -eq 5 ]; then echo "no tests ran"; exit 1; fi; exit $$code

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks scripts

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	@command -v wrk >/dev/null || (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)
	$(BIN)/python benchmarks/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache $(DB)

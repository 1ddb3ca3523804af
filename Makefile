# Every target sets itself up: a fresh clone needs only `make ingest` or `make test`.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
RAW    ?= data/raw
OUT    ?= data/parquet

.PHONY: setup ingest test lint bench docs clean

setup: $(STAMP)

# Reinstalls only when pyproject.toml changed, so repeated targets stay quick.
$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -e '.[dev]'
	touch $(STAMP)

ingest: setup
	$(BIN)/kommunkompassen ingest --raw $(RAW) --out $(OUT)

test: setup
	$(BIN)/pytest

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: setup
	$(BIN)/python bench/throughput.py

# The data dictionary is generated from the schemas; a test fails when it is stale.
docs: setup
	$(BIN)/python -m normalize.dictionary docs/dataset.md

clean:
	rm -rf $(VENV) build *.egg-info

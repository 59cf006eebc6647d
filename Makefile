# Every target creates what it needs: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint typecheck bench docs clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

# The main job on the bundled example project (SQLite): findings, then the fixes as a diff.
demo: $(STAMP)
	$(BIN)/python examples/demo.py

# The whole suite: style, types, then every test.
test: $(STAMP) check
	$(BIN)/python -m pytest $(PYTEST_ARGS)

check: lint typecheck

lint: $(STAMP)
	$(BIN)/ruff check hardsess lint_rules tests benchmarks
	$(BIN)/ruff format --check hardsess lint_rules tests benchmarks

typecheck: $(STAMP)
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m benchmarks

docs: $(STAMP)
	$(BIN)/python -m hardsess.docs > docs/rules.md

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

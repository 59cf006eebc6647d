# Every target creates what it needs: `make demo` and `make test` work on a fresh clone.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed

.PHONY: demo test check lint typecheck bench docs clean django-suite matrix

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[test,bench]"
	touch $(STAMP)

# The demo needs hardsess and its own dependencies (Django, libcst, and cryptography for the
# key-store part: the `keystore` extra), not the test tools.
CORE_STAMP := $(VENV)/.installed-core
$(CORE_STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet -e ".[keystore]"
	touch $(CORE_STAMP)

# The main job on the bundled example project (SQLite): findings, then the fixes as a diff.
demo: $(CORE_STAMP)
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

# Django's own session/auth/CSRF/messages/signing/request tests with the firewall installed
# (also part of `make test`); expectations in tests/django_suite/expected_divergences*.txt (one file per test-client mode).
django-suite: $(STAMP)
	$(BIN)/python -m pytest tests/django_suite -s -p no:cacheprovider

# The Django x Python matrix (noxfile.py), two sessions at a time. pyenv's shims only run the
# versions PYENV_VERSION lists, so list every installed 3.10-3.13; without pyenv, python3.X
# comes from PATH.
PYENV_MATRIX = $(shell command -v pyenv >/dev/null 2>&1 && pyenv versions --bare | grep -E '^3\.1[0-3]\.[0-9]+$$' | paste -sd: -)
matrix: $(STAMP)
	$(if $(PYENV_MATRIX),PYENV_VERSION=$(PYENV_MATRIX)) $(BIN)/python noxfile.py --jobs 2 $(MATRIX_ARGS)

docs: $(STAMP)
	$(BIN)/python -m hardsess.docs > docs/rules.md
	$(BIN)/python -m hardsess.tables

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

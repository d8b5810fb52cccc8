# One task runner for people and CI. `make demo` and `make test` do all their own set-up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp

.PHONY: install demo test check lint bench clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev,spark]"
	@touch $(STAMP)

install: $(STAMP)

demo: install
	$(BIN)/joinedup demo

test: install
	scripts/test

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src

check: lint test

bench: install
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

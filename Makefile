# One task runner for people and CI. `make demo` and `make test` do all their own set-up.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# the web application's front-end, built from npm packages (package-lock.json) by Sass
ASSETS := src/joinedup/web/static/build
ASSETS_STAMP := $(ASSETS)/.built-stamp
SCSS := $(wildcard src/joinedup/web/assets/*.scss)

.PHONY: install assets demo serve test check lint bench clean

$(STAMP): pyproject.toml requirements.lock
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c requirements.lock -e ".[dev,spark,ssd-database]"
	@touch $(STAMP)

$(ASSETS_STAMP): package.json package-lock.json $(SCSS)
	npm ci --no-audit --no-fund --loglevel=error
	mkdir -p $(ASSETS)
	node_modules/.bin/sass --load-path=node_modules --style=compressed --no-source-map \
	  src/joinedup/web/assets/joinedup.scss $(ASSETS)/joinedup.css
	cp node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js $(ASSETS)/
	@touch $(ASSETS_STAMP)

install: $(STAMP) $(ASSETS_STAMP)

assets: $(ASSETS_STAMP)

demo: install
	$(BIN)/joinedup demo
	$(BIN)/joinedup serve --demo

serve: install
	$(BIN)/joinedup serve

test: install
	scripts/test

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/mypy src
	$(BIN)/lint-imports

check: lint test

bench: install
	$(BIN)/python benchmarks/ingest.py

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache .import_linter_cache node_modules $(ASSETS)

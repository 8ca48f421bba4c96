# Two commands for a new user: `make run` and `make test` (see README.md).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install run test lint typecheck pytest pytest-sqlite pytest-postgres bench chaos lock clean

$(STAMP): pyproject.toml constraints.txt scripts/system-deps.sh
	@scripts/system-deps.sh
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

run: $(STAMP)
	$(BIN)/qaward up

lint: $(STAMP)
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .

typecheck: $(STAMP)
	$(BIN)/mypy .

pytest-sqlite: $(STAMP)
	$(BIN)/pytest --cov=domain --cov-branch --cov-report=term-missing:skip-covered --cov-fail-under=100 || test $$? -eq 5

pytest-postgres: $(STAMP)
	$(BIN)/python -m tests.support.postgres -- $(BIN)/pytest -m "not sqlite_only" || test $$? -eq 5

test: lint typecheck pytest-sqlite pytest-postgres

bench: $(STAMP)
	$(BIN)/qaward bench

# The chaos run (README, 混沌测试): SEED=N to reproduce one, CHAOS_ARGS="--stage years" etc.;
# on the machine's PostgreSQL, the dev server then the time-skipping test server.
SEED ?= 1
chaos: $(STAMP)
	$(BIN)/python -m tests.chaos.run --seed $(SEED) $(CHAOS_ARGS)

# Refresh the pinned versions after editing pyproject.toml.
lock: $(STAMP)
	$(BIN)/python -m pip freeze --exclude-editable | grep -v '^-e' > constraints.txt

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .coverage

# The two commands of the README: `make run` and `make test`. Both are idempotent and quick
# once everything is installed (the stamps below are remade only when pyproject.toml changes).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
RUN_STAMP := $(VENV)/.stamp-run
TEST_STAMP := $(VENV)/.stamp-test
SYSDEPS_STAMP := $(VENV)/.stamp-sysdeps

.PHONY: run test install install-test system-deps screenshots bench lint clean

run: install system-deps
	$(BIN)/digit-app

test: install-test system-deps lint
	QT_QPA_PLATFORM=offscreen $(BIN)/pytest

# The static checks alone: ruff, mypy (config in pyproject.toml) and the import contracts.
lint: install-test
	$(BIN)/ruff check digit_app tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/lint-imports

install: $(RUN_STAMP)
install-test: $(TEST_STAMP)

$(VENV)/bin/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(RUN_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(TEST_STAMP): pyproject.toml | $(VENV)/bin/python
	$(BIN)/pip install --quiet -e ".[test]"
	touch $@ $(RUN_STAMP)

system-deps: $(SYSDEPS_STAMP)
$(SYSDEPS_STAMP): scripts/install-system-deps.sh | $(VENV)/bin/python
	scripts/install-system-deps.sh
	touch $@

# Each mode in a real window under Xvfb, with the sample inputs of assets/, saved as PNG.
screenshots: install system-deps
	scripts/install-system-deps.sh --xvfb
	xvfb-run -a -s "-screen 0 1600x1000x24" $(BIN)/python -m digit_app.gui.devtools.screenshots docs/screenshots

bench: install-test
	$(BIN)/python benchmarks/bench_inference.py

clean:
	rm -rf $(VENV) .pytest_cache

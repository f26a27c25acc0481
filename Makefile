PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint screenshots bench fake-server clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/inbox-tui --demo

test: $(STAMP)
	$(BIN)/python -m pytest -q -n auto --dist loadgroup --durations=15

lint: $(STAMP)
	$(BIN)/ruff check inbox_tui tests benchmarks scripts
	$(BIN)/ruff format --check inbox_tui tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit/test_import_rules.py

screenshots: $(STAMP)
	$(BIN)/python -m scripts.screenshots screenshots

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

fake-server: $(STAMP)
	$(BIN)/inbox-tui fake-server --port 8765

clean:
	rm -rf $(VENV) .pytest_cache build *.egg-info

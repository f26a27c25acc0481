PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint screenshots bench fake-server lock clean

# The pinned versions first (requirements.lock: CI and every clone resolve the same), then the
# package itself, editable, adding nothing; `pip check` says if the pins disagree with it.
$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.lock
	$(BIN)/python -m pip install --quiet --no-deps -e .
	$(BIN)/python -m pip check
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/inbox-tui --demo

# Twice as many test workers as cores: much of a UI test is waiting on the app (debounces,
# Pilot's idle waits, a child process starting), which another worker's test fills. Bytecode
# is written (whatever the environment says) so the commands the tests start (inbox-tui in a
# pty, the benchmarks' children) load it instead of compiling every module each time.
WORKERS := $(shell $(PY) -c 'import os; print(2 * (os.cpu_count() or 1))')

test: $(STAMP)
	PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -q -n $(WORKERS) --dist loadgroup --durations=15

lint: $(STAMP)
	$(BIN)/ruff check inbox_tui tests benchmarks scripts
	$(BIN)/ruff format --check inbox_tui tests benchmarks scripts
	$(BIN)/mypy
	$(BIN)/python -m pytest -q -p no:cacheprovider tests/unit/test_import_rules.py

# The app's screens from the demo, and the page the browser test sees (where Chromium is).
screenshots: $(STAMP)
	$(BIN)/python -m scripts.screenshots screenshots
	INBOX_TUI_SCREENSHOTS=1 $(BIN)/python -m pytest -q -p no:cacheprovider tests/e2e/test_browser.py -k in_a_browser

bench: $(STAMP)
	$(BIN)/python -m benchmarks.run

lock: $(STAMP)
	$(BIN)/python -m scripts.lock requirements.lock

fake-server: $(STAMP)
	$(BIN)/inbox-tui fake-server --port 8765

clean:
	rm -rf $(VENV) .venv-3.* .pytest_cache build *.egg-info

# Two commands matter: `make run` and `make test`. Both set up .venv first.
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test lint format clean

$(VENV)/.installed: pyproject.toml
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[test]"
	touch $@

run: $(VENV)/.installed
	@# The video export needs chromium and ffmpeg: installed when we may, else we say how.
	-./scripts/ensure-chromium
	-./scripts/ensure-ffmpeg
	$(PY) manage.py migrate --noinput
	$(PY) manage.py ensure_demo_user
	@echo "chatvideo is at http://127.0.0.1:$(PORT)/"
	@# Beside daphne, stopped with it: one worker (exports, and replies whose page never
	@# asked), the export recovery loop, and the reply recovery and event pruning loop.
	$(PY) manage.py db_worker --no-reload --queue-name default,exports & worker=$$!; \
	$(PY) manage.py recover_exports --every 30 & recover=$$!; \
	$(PY) manage.py recover_messages --every 60 & sweep=$$!; \
	trap 'kill $$worker $$recover $$sweep 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/daphne -b 127.0.0.1 -p $(PORT) chatvideo.asgi:application

test: $(VENV)/.installed
	./scripts/ensure-chromium
	./scripts/ensure-ffmpeg
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/pytest

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) db.sqlite3 test-db-*.sqlite3 .pytest_cache .ruff_cache

# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: run test lint install install-dev clean messages

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

install: $(BIN)/python
	$(BIN)/pip install --quiet -e .

install-dev: $(BIN)/python
	$(BIN)/pip install --quiet -e '.[dev]'

# The demo (sandbox + bot in one process) when BOT_TOKEN is unset, the real bot when set.
run: install
	@if [ -z "$$BOT_TOKEN" ] && ! grep -qs '^BOT_TOKEN=.' .env; then \
		$(BIN)/python -m bot demo; \
	else \
		$(BIN)/python -m bot run; \
	fi

test: install-dev
	$(BIN)/python -m pytest

lint: install-dev
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy

# Extract every marked text into the template and merge it into each language's catalogue.
# The bot reads the .po files directly (no compile step); a new msgid is untranslated until a
# translator fills it in, and the bot refuses to start until then.
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --add-comments=Translators: \
		--no-wrap --sort-by-file \
		--project=FootCare -o bot/locale/footcare.pot bot
	$(BIN)/pybabel update -i bot/locale/footcare.pot -d bot/locale -D footcare --no-wrap \
		--ignore-obsolete

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

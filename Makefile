# Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# No bytecode compiled at install (Python compiles what it imports), no version check.
PIP_FLAGS := --quiet --no-compile --disable-pip-version-check
# Test workers: the tests spend much of their time waiting on sockets and child processes,
# so a 2-core machine runs best with 4 (docs/TESTING.md has the figures).
TEST_WORKERS ?= 4

.PHONY: run test lint install install-dev clean messages image image-test browser-test

# The venv's own pip installs this project; upgrading it first cost a PyPI round trip.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Each install is redone only when pyproject.toml changed since (the stamp files).
install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml | $(BIN)/python
	$(BIN)/pip install $(PIP_FLAGS) -e '.[dev]'
	touch $@ $(VENV)/.installed

# The demo (sandbox + bot in one process) when BOT_TOKEN is unset, the real bot when set.
run: install
	@if [ -z "$$BOT_TOKEN" ] && ! grep -qs '^BOT_TOKEN=.' .env; then \
		$(BIN)/python -m bot demo; \
	else \
		$(BIN)/python -m bot run; \
	fi

# In parallel (pytest-xdist); PYTEST_ARGS adds options, e.g. PYTEST_ARGS=--durations=15.
test: install-dev
	$(BIN)/python -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# The share page in headless Chromium from the system's packages (apt-get install -y chromium):
# it renders in both languages, prints to an A4 PDF with the page's figures, runs no script.
browser-test: install-dev
	FOOTCARE_BROWSER_TEST=1 $(BIN)/python -m pytest tests/web/test_in_chromium.py

lint: install-dev
	$(BIN)/ruff check bot tests bench
	$(BIN)/ruff format --check bot tests bench
	$(BIN)/mypy
	$(BIN)/hadolint Dockerfile

# Extract every marked text into the template and merge it into each language's catalogue.
# The bot reads the .po files directly (no compile step); a new msgid is untranslated until a
# translator fills it in, and the bot refuses to start until then.
messages: install-dev
	$(BIN)/pybabel extract -F babel.cfg -k N_ -k ngettext:1,2 --add-comments=Translators: \
		--no-wrap --sort-by-file \
		--project=FootCare -o bot/locale/footcare.pot bot
	$(BIN)/pybabel update -i bot/locale/footcare.pot -d bot/locale -D footcare --no-wrap \
		--ignore-obsolete

# The container image (README, "Container image"): deploy/build-image.sh makes the pinned base
# image from Debian packages when it is missing, then builds. BASE_IMAGE defaults to the tag the
# Dockerfile pins; IMAGE_BUILD_FLAGS defaults (in the script) to --network=host.
IMAGE ?= footcare:latest
BASE_IMAGE ?= $(shell sed -n 's/^ARG BASE_IMAGE=//p' Dockerfile)

image:
	IMAGE=$(IMAGE) BASE_IMAGE=$(BASE_IMAGE) deploy/build-image.sh

# Builds (reusing cached layers) and runs the image's smoke test, then the compose example in
# webhook mode against the sandbox (deploy/compose-smoke-test.sh); skipped without a daemon.
image-test:
	IMAGE=$(IMAGE) BASE_IMAGE=$(BASE_IMAGE) deploy/image-smoke-test.sh
	IMAGE=$(IMAGE) deploy/compose-smoke-test.sh

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

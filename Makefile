# Two commands work on a fresh machine: `make demo` and `make test` (both set up first).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
OUT := out

.PHONY: setup system demo test test-fast test-browser test-consumers bench eval train lint samples clean

setup: system $(INSTALLED)

system:
	@scripts/ensure-system-packages

# pip twice quiet: errors only (setuptools warns on every editable install).
$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --quiet --upgrade pip
	$(BIN)/pip install --quiet --quiet -e '.[base,test,ray,train]'
	@touch $@

demo: setup
	@bash scripts/demo $(OUT)

# Everything but the browser and consumer checks (CI runs all three).
test: setup
	$(BIN)/python -m pytest -q -m "not browser and not consumers"

# The pure tests, without the models, voices, encoders and browser: a quick loop.
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow"

# The HTML page in headless Chromium; screenshots in out/browser.
test-browser: setup
	BROWSER_SCREENSHOTS=$(OUT)/browser $(BIN)/python -m pytest -q -m browser

# The feed, page and Markdown through the programs people publish with: feedparser,
# podcast-partytime, html-validate, axe-core in Chromium, Hugo, Jekyll, Pelican and MkDocs. The npm
# packages come from consumers/package-lock.json, with npm ci.
CONSUMERS := $(VENV)/.consumers
$(CONSUMERS): $(INSTALLED) consumers/package-lock.json
	@scripts/ensure-system-packages --consumers
	$(BIN)/pip install --quiet --quiet -e '.[consumers]'
	npm ci --prefix consumers --no-audit --no-fund --loglevel=error
	@touch $@

test-consumers: setup $(CONSUMERS)
	$(BIN)/python -m pytest -q -m consumers

bench: setup
	$(BIN)/python -m bench

# Scores both sides on ../shared/corpus (real episodes and roundups with gold answers) when it exists.
eval: setup
	$(BIN)/python -m bench.eval

# Refits the shipped structure models on ../shared/corpus and prints their cross-validated tables.
train: setup
	$(BIN)/python -m bench.train

lint: setup
	$(BIN)/python -m ruff check episodekit hearing audio2text text2audio tests bench samples

samples: setup
	$(BIN)/python samples/synthesize.py

clean:
	rm -rf $(OUT) .pytest_cache

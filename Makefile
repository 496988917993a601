# Two commands for a newcomer: `make serve` and `make test` (see README.md).
PY ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv serve test check build bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	touch $(STAMP)

check: venv
	$(BIN)/zhixing check

# Problems in the records are printed, and the site is served anyway: it shows them too.
serve: venv
	-$(BIN)/zhixing check
	$(BIN)/mkdocs serve --dev-addr 127.0.0.1:8000

# Publishing never stops for compliance findings (they are shown on the 问题清单); the check's
# report is printed, and the site is built whatever main holds.
build: venv
	-$(BIN)/zhixing check --format summary
	$(BIN)/mkdocs build --strict

test: venv
	$(BIN)/pytest

bench: venv
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,bench]'
	$(BIN)/python bench/run.py

clean:
	rm -rf $(VENV) site .pytest_cache

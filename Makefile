# Two commands for a newcomer: `make serve` and `make test` (see README.md).
PY ?= python3
export NO_MKDOCS_2_WARNING := 1
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: venv cms serve test check build bench bench-quick clean

venv: $(STAMP)

$(STAMP): pyproject.toml requirements.lock
	$(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test]'
	$(BIN)/python -m compileall -q tools/zhixing  # as pip compiles installed packages (editable ones are not)
	touch $(STAMP)

# The web form (/admin/, README 网页填报): Decap CMS and its local backend from npm, pinned by
# cms/package-lock.json. Without Node.js the site is built and served without the form.
CMS_STAMP := cms/node_modules/.package-lock.json
cms: $(CMS_STAMP)

$(CMS_STAMP): cms/package.json cms/package-lock.json
	@if command -v npm >/dev/null; then \
	  npm ci --prefix cms --no-audit --no-fund --ignore-scripts --loglevel=error && touch $(CMS_STAMP); \
	else \
	  echo "make: 没有 npm，网页填报（/admin/）不安装；安装 Node.js 后重新运行 / no npm: the web form is not installed"; \
	fi

check: venv
	$(BIN)/zhixing check

# Problems in the records are printed, and the site is served anyway: it shows them too. --dirty:
# after a change only the pages whose text changed are rendered again (site/hooks.py), and the
# search index is rebuilt in the background.
serve: venv cms
	-$(BIN)/zhixing check
	$(BIN)/mkdocs serve --dirty --dev-addr 127.0.0.1:8000

# Publishing never stops for compliance findings (they are shown on the 问题清单); the check's
# report is printed, and the site is built whatever main holds.
build: venv cms
	-$(BIN)/zhixing check --format summary
	$(BIN)/mkdocs build --strict

test: venv cms
	$(BIN)/pytest

bench: venv cms
	$(BIN)/pip install --quiet -c requirements.lock -e '.[test,bench]'
	$(BIN)/python bench/run.py

# Under a minute, before a merge: 1,000 and 5,000 records, no browser (writes bench/results-quick.md).
bench-quick: venv cms
	$(BIN)/python bench/run.py --quick

clean:
	rm -rf $(VENV) site .pytest_cache cms/node_modules

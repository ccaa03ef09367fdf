# The two commands of the README: `make report` and `make test`. Both create .venv from
# pyproject.toml on first use (Python 3.11+) and reuse it afterwards. `make test` also needs a
# few Debian packages (Chromium, fonts, poppler-utils, LibreOffice Writer): scripts/setup-system.sh
# installs the missing ones first, or stops at once saying what to install.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
PIP := $(BIN)/python -m pip install --quiet --disable-pip-version-check
# One stamp per set of extras: the reports need the package only, the tests also the test tools.
INSTALLED := $(VENV)/.installed
TEST_TOOLS := $(VENV)/.installed-test
BENCH_TOOLS := $(VENV)/.installed-bench

.PHONY: setup system-packages report test bench lab clean

$(INSTALLED): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(PIP) -e .
	touch $@

$(TEST_TOOLS): $(INSTALLED)
	$(PIP) -e '.[test]'
	touch $@

$(BENCH_TOOLS): $(INSTALLED)
	$(PIP) -e '.[bench]'
	touch $@

setup: $(TEST_TOOLS)

# Ingest the bundled raw tables and 766 files, then render every HTML report and reports/index.html.
# A month that fails to ingest does not stop the others' reports: they are rendered, and then the
# ingest's summary of what failed (its stderr) is repeated last and the command fails. Run again with
# nothing changed, both steps skip their work (the manifests in data/processed/ and reports/).
# DATA_DIR and REPORTS_DIR choose other folders (default: data/ and reports/; the benchmarks use them).
DATA_DIR ?=
REPORTS_DIR ?=
DATA_ARGUMENT := $(if $(DATA_DIR),--data-dir "$(DATA_DIR)")
report: $(INSTALLED)
	@ingest_failures=$$(mktemp); \
	$(BIN)/python -m helpers ingest $(DATA_ARGUMENT) 2>$$ingest_failures; ingested=$$?; \
	$(BIN)/python -m helpers report $(DATA_ARGUMENT) $(if $(REPORTS_DIR),--output-dir "$(REPORTS_DIR)"); reported=$$?; \
	cat $$ingest_failures >&2; rm -f $$ingest_failures; \
	test $$ingested -eq 0 && test $$reported -eq 0

system-packages:
	scripts/setup-system.sh

# The system packages are checked first so that a machine without them stops at the start.
test: system-packages $(TEST_TOOLS)
	$(BIN)/python -m pytest

# What a report costs and what national scale costs: writes benchmarks/RESULTS.md and
# benchmarks/results.csv (about 20 minutes; BENCH_ARGS=--quick for a 5-minute smoke run).
bench: $(BENCH_TOOLS)
	$(BIN)/python benchmarks/run.py $(BENCH_ARGS)

# Ingest first, so that Run All in a fresh clone finds the months (the notebooks read
# data/processed/), then open JupyterLab on notebooks/ (docs/huong-dan.md: explore_trends.ipynb).
lab: $(INSTALLED)
	$(PIP) -e '.[lab]'
	$(BIN)/python -m helpers ingest
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf $(VENV) build reports data/processed

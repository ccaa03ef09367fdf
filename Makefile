# The two commands of the README: `make report` and `make test`. Both create .venv from
# pyproject.toml on first use (Python 3.11+, nothing else needed) and reuse it afterwards.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: setup report test lab clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[test]'
	touch $(STAMP)

setup: $(STAMP)

# Ingest the bundled raw tables and 766 files, then render every HTML report and reports/index.html.
report: $(STAMP)
	$(BIN)/python -m helpers ingest
	$(BIN)/python -m helpers report

test: $(STAMP)
	$(BIN)/python -m pytest

lab: $(STAMP)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -e '.[lab]'
	$(BIN)/jupyter lab notebooks/ $(if $(filter 0,$(shell id -u)),--allow-root)

clean:
	rm -rf $(VENV) build reports data/processed

# make run    the kiosk, with the shipped content and a local data folder (.kiosk-data/)
# make test   the test suite (offscreen: no screen needed)
# make check  ruff, mypy and the import contract (the core never imports Qt)
# make bench  benchmarks; figures go to bench/results/ and into README.md
# Each target creates the virtual environment and installs what it needs.

PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-stamp
DATA ?= .kiosk-data

.PHONY: run run-windowed test check bench clean

$(STAMP): pyproject.toml
	@PYTHON=$(PYTHON) scripts/system-deps.sh python
	@$(PY) -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null \
		|| { rm -rf $(VENV) && $(PYTHON) -m venv $(VENV); }
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test,dev]'
	@touch $(STAMP)

run: $(STAMP)
	@scripts/system-deps.sh run
	$(PY) main.py --data-dir $(DATA) $(ARGS)

run-windowed: $(STAMP)
	@scripts/system-deps.sh run
	$(PY) main.py --windowed --data-dir $(DATA) $(ARGS)

test: $(STAMP)
	@scripts/system-deps.sh test
	$(PY) -m pytest $(PYTEST_ARGS)

check: $(STAMP)
	$(VENV)/bin/ruff check kiosk tests bench scripts main.py
	$(VENV)/bin/ruff format --check kiosk tests bench scripts main.py
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

bench: $(STAMP)
	@scripts/system-deps.sh test
	$(PY) -m bench $(BENCH_ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .mypy_cache .ruff_cache
